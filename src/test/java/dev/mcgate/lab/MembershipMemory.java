package dev.mcgate.lab;

import dev.mcgate.net.Ip4;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Resident memory of mcgate holding many groups, by hand: the membership-load phase of {@code lab bench} alone.
 *
 * <p>Needs root and a lab made with {@code mcgate lab up --prefix PREFIX}. It runs mcgate in the router namespace with
 * the bench's configuration and JVM flags ({@link BenchLab#config}, {@link JvmFlags}), has 1000 simulated hosts on
 * receiver 1's LAN join 10 groups each at 500 reports/s ({@link ReportLoad}, as the bench does), waits until mcgate's
 * control socket lists every group on down1 ({@link ControlSocketProbe}) and prints VmRSS. The bench's other phases
 * (forwarding, report-rate steps) do not run before it, so its figure is not the bench's; it compares engines and
 * versions with each other.
 *
 * <pre>
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) dev.mcgate.lab.MembershipMemory PREFIX JAR ENGINE
 * </pre>
 *
 * JAR is the mcgate jar to measure (so an older build can be measured by the same driver); ENGINE pcap or af-packet;
 * an optional fourth argument is a configuration file to run with instead of the bench's. With {@code -Dreports=N}
 * it first checks, as a step of the bench's report-rate phase does, that 1000 reports at N/s are all reflected; with
 * {@code -Dsmaps=true} it lists the largest resident mappings (a pcap ring is a {@code socket:[...]} mapping).
 */
public final class MembershipMemory {

    private static final Ip4 BASE = Ip4.of(239, 32, 0, 0);
    private static final int HOSTS = 1000;
    private static final int GROUPS_PER_HOST = 10;
    private static final int REPORTS_PER_SECOND = 500;
    private static final long TIMEOUT_MILLIS = 60_000;

    /** -Dreports=N: first inject 1000 reports at N/s, as a step of the bench's report-rate phase (0: skip). */
    private static final int REPORT_RATE = Integer.getInteger("reports", 0);

    private MembershipMemory() {}

    /** -Dsmaps=true: where the resident memory is, by mapping (the mcgate started with this configuration file). */
    private static void printLargestMappings(Path config) throws java.io.IOException {
        long pid = ProcessHandle.allProcesses()
                .filter(p -> p.info()
                        .commandLine()
                        .map(c -> c.contains("dev.mcgate.cli.Main") && c.contains(config.toString()))
                        .orElse(false))
                .mapToLong(ProcessHandle::pid)
                .max()
                .orElseThrow();
        java.util.Map<String, Long> rss = new java.util.TreeMap<>();
        String name = "?";
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "smaps"))) {
            String[] f = line.trim().split("\\s+");
            if (line.matches("^[0-9a-f]+-[0-9a-f]+ .*")) {
                name = f.length > 5 ? f[5] : "[anon]";
            } else if (f[0].equals("Rss:")) {
                rss.merge(name, Long.parseLong(f[1]), Long::sum);
            }
        }
        rss.entrySet().stream()
                .sorted(java.util.Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(8)
                .forEach(e -> System.out.printf(Locale.ROOT, "  %8.1f MiB  %s%n", e.getValue() / 1024.0, e.getKey()));
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: MembershipMemory PREFIX JAR pcap|af-packet [CONFIG]");
            System.exit(64);
        }
        LabTopology topology = new LabTopology(args[0]);
        Path directory = Files.createDirectories(Path.of("/run/mcgate-lab", topology.prefix() + "-memory"));
        Path config = args.length > 3 ? Path.of(args[3]) : directory.resolve("mcgate.conf");
        if (args.length <= 3) {
            Files.writeString(config, BenchLab.config(topology, directory, true));
        }
        List<String> java = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                args[1],
                "dev.mcgate.cli.Main"));
        McgateUnderTest mcgate = new McgateUnderTest(
                "mcgate[" + args[2] + "]",
                topology.router(),
                List.of(topology.receiver(1), topology.receiver(2)),
                java,
                List.of("--packet-io", args[2]),
                config,
                directory.resolve("mcgate.log"));
        mcgate.start();
        try (ReportLoad load = ReportLoad.open(topology)) {
            double idle = mcgate.residentKib().getAsLong() / 1024.0;
            if (REPORT_RATE > 0) {
                // As the bench's report-rate step: 1000 single-group reports at once, every one must be reflected.
                Ip4 base = Ip4.of(239, 40, 0, 0);
                double reached = load.inject(ReportLoad.frames(base, 1000, 1), REPORT_RATE);
                int got = LabBench.awaitGroups(
                        mcgate.probe(), LabTopology.RX1_LINK.routerIf(), ReportLoad.groups(base, 1000), TIMEOUT_MILLIS);
                System.out.printf(
                        Locale.ROOT, "%s: %,.0f reports/s: %d of 1000 reflected%n", mcgate.name(), reached, got);
            }
            load.inject(ReportLoad.frames(BASE, HOSTS, GROUPS_PER_HOST), REPORTS_PER_SECOND);
            Set<Ip4> wanted = ReportLoad.groups(BASE, HOSTS * GROUPS_PER_HOST);
            int held = LabBench.awaitGroups(mcgate.probe(), LabTopology.RX1_LINK.routerIf(), wanted, TIMEOUT_MILLIS);
            double rss = mcgate.residentKib().getAsLong() / 1024.0;
            if (Boolean.getBoolean("smaps")) {
                printLargestMappings(config);
            }
            System.out.printf(
                    Locale.ROOT,
                    "%s: resident %.1f MiB at start, %.1f MiB with %d of %d groups held; " + "config %s, log %s%n",
                    mcgate.name(),
                    idle,
                    rss,
                    held,
                    wanted.size(),
                    config,
                    mcgate.log());
        } finally {
            mcgate.stop();
        }
    }
}
