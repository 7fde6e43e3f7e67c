package dev.mcgate.cli;

import dev.mcgate.lab.BenchPlan;
import dev.mcgate.lab.BenchReport;
import dev.mcgate.lab.LabBench;
import dev.mcgate.lab.LabTopology;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mcgate lab bench}: mcgate against the kernel's multicast forwarding, side by side, in a lab of its own.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Measure mcgate, the kernel's own multicast forwarding (a snooping bridge everywhere; smcroute "
                + "where the kernel has multicast routing) and mcgate's tunnel in turn, in a namespace lab of its own, "
                + "with trafgen as the sender and its ceiling measured (every round; --quick: the last): forwarded rate, CPU per packet, "
                + "latency, join/leave times, memory, IGMP report rate and the HTTP relay's throughput to 1 and 50 "
                + "clients. Prints medians and ratios (to the bridge) "
                + "and writes them as JSON. Full run about 7 minutes.")
final class LabBenchCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.ArgGroup(exclusive = true)
    Size size;

    static final class Size {
        @Option(
                names = "--quick",
                description = "Fewer points, 1 round, the HTTP relay to 50 clients and no Kafka rows: under 2 minutes.")
        boolean quick;

        @Option(names = "--smoke", description = "One round, one point, small loads: a check that everything works.")
        boolean smoke;
    }

    @Option(
            names = "--json",
            paramLabel = "FILE",
            description = "Where to write the JSON report (default: " + "mcgate-bench.json in the working directory).")
    Path json = LabBench.defaultJson();

    @Option(
            names = "--engines",
            paramLabel = "LIST",
            split = ",",
            description =
                    "mcgate's packet I/O engines to bench, each beside the kernel: pcap, af-packet, af-xdp, nft (default: "
                            + "pcap, the default engine; each one more adds about 2.5 min to the full run). The tunnel runs "
                            + "with the first.")
    List<String> engines;

    @Option(
            names = "--prefix",
            defaultValue = "bench",
            description = "Name prefix of the bench lab's namespaces (default: ${DEFAULT-VALUE}).")
    String prefix;

    @Override
    public Integer call() throws Exception {
        LabCommand.requireRoot();
        LabTopology topology;
        try {
            topology = new LabTopology(prefix);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        BenchPlan plan = size == null ? BenchPlan.full() : size.smoke ? BenchPlan.smoke() : BenchPlan.quick();
        PrintWriter out = spec.commandLine().getOut();
        // mcgate in the router runs from this very installation: the same java and class path.
        List<String> self = List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName());
        BenchReport report = new LabBench(topology, plan, self, engines(), VersionProvider.version(), out).run();
        out.println();
        out.print(report.table());
        try {
            Files.writeString(json, report.json());
        } catch (IOException e) {
            throw new CommandFailure(ExitCodes.IOERR, "cannot write " + json + ": " + e.getMessage());
        }
        out.println("JSON report: " + json.toAbsolutePath());
        out.flush();
        return ExitCodes.OK;
    }

    /** The engines named with --engines, else the default engine (pcap), which keeps the full run under 15 min. */
    private List<LabBench.Engine> engines() {
        if (engines == null) {
            return LabBench.ENGINES.subList(0, 1);
        }
        List<LabBench.Engine> chosen = new java.util.ArrayList<>();
        for (String name : engines) {
            LabBench.Engine engine = LabBench.ENGINES.stream()
                    .filter(e -> e.name().equals("mcgate[" + name + "]"))
                    .findFirst()
                    .orElseThrow(() -> new CommandLine.ParameterException(
                            spec.commandLine(), "--engines: unknown engine '" + name + "': pcap, af-packet or nft"));
            if (!chosen.contains(engine)) {
                chosen.add(engine);
            }
        }
        return chosen;
    }
}
