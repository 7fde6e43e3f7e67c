package dev.mcgate.cli;

import dev.mcgate.io.linux.Privileges;
import dev.mcgate.lab.DemoStream;
import dev.mcgate.lab.Lab;
import dev.mcgate.lab.LabDemo;
import dev.mcgate.lab.LabException;
import dev.mcgate.lab.LabTopology;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mcgate lab}: the network-namespace lab (up, down, status) and its traffic tools (send, receive).
 */
@Command(
        name = "lab",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Build a namespace lab (source, router, two receivers) and send or receive multicast in it.",
        subcommands = {
            LabCommand.Demo.class,
            LabCommand.Up.class,
            LabCommand.Down.class,
            LabCommand.Status.class,
            LabSendCommand.class,
            LabBenchCommand.class,
            LabReceiveCommand.class
        })
public final class LabCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Options every lab subcommand shares, mixed into each. */
    static final class LabOptionsMixin {
        @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
        CommandLine.Model.CommandSpec mixee;

        @Option(
                names = "--prefix",
                defaultValue = LabTopology.DEFAULT_PREFIX,
                description = "Name prefix of the lab's namespaces (default: ${DEFAULT-VALUE}); several labs with "
                        + "different prefixes can coexist.")
        String prefix;

        Lab lab() {
            try {
                return new Lab(new LabTopology(prefix));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(mixee.commandLine(), e.getMessage());
            }
        }
    }

    /** Namespaces and veth pairs need root: say so in one line with EX_NOPERM rather than fail half-way. */
    static void requireRoot() {
        if (!Privileges.isRoot()) {
            throw new CommandFailure(
                    ExitCodes.NOPERM, "root is required (network namespaces and veth pairs): run it with sudo");
        }
    }

    @Command(
            name = "demo",
            mixinStandardHelpOptions = true,
            description =
                    "Build the lab, run mcgate in its "
                            + "router, stream to receivers that join and leave while showing what each gets, then remove the lab.")
    static final class Demo implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(
                names = "--prefix",
                defaultValue = "demo",
                description = "Name prefix of the demo lab's namespaces (default: ${DEFAULT-VALUE}).")
        String prefix;

        @Option(
                names = "--ipv6",
                description = "Stream an IPv6 group instead (ff3e::1:1, joined source-specific with MLDv2).")
        boolean ipv6;

        @Override
        public Integer call() throws Exception {
            requireRoot();
            LabTopology topology;
            try {
                topology = new LabTopology(prefix);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            // mcgate in the router runs from this very installation: the same java and class path.
            List<String> self = List.of(
                    ProcessHandle.current().info().command().orElse("java"),
                    "-cp",
                    System.getProperty("java.class.path"),
                    Main.class.getName());
            DemoStream stream = ipv6 ? DemoStream.ipv6() : DemoStream.ipv4();
            return new LabDemo(topology, stream, spec.commandLine().getOut()).run(self);
        }
    }

    @Command(
            name = "up",
            mixinStandardHelpOptions = true,
            description = "Create the lab: namespaces PREFIX-src, "
                    + "PREFIX-rtr, PREFIX-rx1, PREFIX-rx2 wired with veth pairs.")
    static final class Up implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        LabOptionsMixin options;

        @Option(
                names = "--igmp-version",
                split = ",",
                paramLabel = "RX=V",
                description = "Force a receiver's kernel to an IGMP version, e.g. --igmp-version 1=2,2=3.")
        Map<Integer, Integer> igmpVersions = new TreeMap<>();

        @Option(
                names = "--mld-version",
                split = ",",
                paramLabel = "RX=V",
                description = "Force a receiver's kernel to an MLD version (1 or 2), e.g. --mld-version 1=1.")
        Map<Integer, Integer> mldVersions = new TreeMap<>();

        @Override
        public Integer call() throws LabException {
            requireRoot();
            Lab lab = options.lab();
            lab.up(igmpVersions, mldVersions);
            LabTopology t = lab.topology();
            spec.commandLine()
                    .getOut()
                    .printf(
                            """
                    lab '%s' is up:
                      %s  %s %s %s  --  %s %s  %s %s
                      %s  %s %s %s  --  %s %s  %s %s
                      %s  %s %s %s  --  %s %s  %s %s
                    Run the router with: ip netns exec %s mcgate run -c %s
                    Remove it with:      mcgate lab down --prefix %s
                    """,
                            t.prefix(),
                            t.source(),
                            LabTopology.HOST_IF,
                            LabTopology.SOURCE_LINK.hostAddress(),
                            LabTopology.SOURCE_LINK.hostAddress6(),
                            t.router(),
                            LabTopology.SOURCE_LINK.routerIf(),
                            LabTopology.SOURCE_LINK.routerAddress(),
                            LabTopology.SOURCE_LINK.routerAddress6(),
                            t.receiver(1),
                            LabTopology.HOST_IF,
                            LabTopology.RX1_LINK.hostAddress(),
                            LabTopology.RX1_LINK.hostAddress6(),
                            t.router(),
                            LabTopology.RX1_LINK.routerIf(),
                            LabTopology.RX1_LINK.routerAddress(),
                            LabTopology.RX1_LINK.routerAddress6(),
                            t.receiver(2),
                            LabTopology.HOST_IF,
                            LabTopology.RX2_LINK.hostAddress(),
                            LabTopology.RX2_LINK.hostAddress6(),
                            t.router(),
                            LabTopology.RX2_LINK.routerIf(),
                            LabTopology.RX2_LINK.routerAddress(),
                            LabTopology.RX2_LINK.routerAddress6(),
                            t.router(),
                            t.routerConfigFile(),
                            t.prefix());
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "down",
            mixinStandardHelpOptions = true,
            description = "Remove the lab: stop processes in its namespaces and delete them.")
    static final class Down implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        LabOptionsMixin options;

        @Override
        public Integer call() throws LabException {
            requireRoot();
            Lab lab = options.lab();
            boolean existed = lab.exists();
            lab.down();
            spec.commandLine()
                    .getOut()
                    .println(
                            existed
                                    ? "lab '" + options.prefix + "' removed"
                                    : "no lab '" + options.prefix + "' to remove");
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "status",
            mixinStandardHelpOptions = true,
            description = "Show the lab's namespaces, addresses and the processes running in them.")
    static final class Status implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        LabOptionsMixin options;

        @Override
        public Integer call() throws LabException {
            requireRoot();
            Map<String, String> status = options.lab().status();
            boolean any = status.values().stream().anyMatch(s -> !s.equals("absent"));
            status.forEach(
                    (ns, s) -> spec.commandLine().getOut().println("[" + ns + "]\n  " + s.replace("\n", "\n  ")));
            // Exit 1 when there is no lab, so scripts can ask "is it up?".
            return any ? ExitCodes.OK : 1;
        }
    }
}
