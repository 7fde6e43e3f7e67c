package dev.mcgate.cli;

import dev.mcgate.lab.LabOptionChecks;
import dev.mcgate.lab.MulticastReceiver;
import dev.mcgate.lab.ReceiveOptions;
import dev.mcgate.lab.ReceiveStats;
import dev.mcgate.net.IpFamily;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mcgate lab receive}: joins a group through the kernel and reports loss, duplicates, reordering, latency and TTL of lab datagrams. */
@Command(
        name = "receive",
        mixinStandardHelpOptions = true,
        description = {
            "Join a multicast group (any-source, or source-specific with --source) and count the "
                    + "datagrams of 'mcgate lab send': lost, duplicated, reordered, one-way latency, TTL, and the time "
                    + "from the join to the first datagram.",
            "Runs until a limit is reached or Ctrl-C."
        },
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {
            "0:at least --expect N (default 1) distinct datagrams arrived (with --expect-none: none did)",
            "1:otherwise",
            "64:bad option value",
            "74:the socket could not be set up or the join failed"
        })
public final class LabReceiveCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = {"-g", "--group"},
            required = true,
            paramLabel = "GROUP",
            description = "Multicast group to join, IPv4 or IPv6 (239.1.1.1, ff3e::1:1).")
    String group;

    @Option(
            names = {"-p", "--port"},
            defaultValue = "5001",
            description = "UDP port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(
            names = {"-s", "--source"},
            paramLabel = "ADDRESS",
            description = "Join source-specific (IGMPv3 / MLDv2): receive only from this source, of the group's family "
                    + "(default: any source).")
    String source;

    @Option(
            names = {"-i", "--interface"},
            paramLabel = "IF",
            description = "Interface to join on (default: the route to the group).")
    String interfaceName;

    @Option(
            names = {"-c", "--count"},
            defaultValue = "0",
            description = "Stop after this many datagrams; 0 = no limit (default).")
    long count;

    @Option(
            names = {"-d", "--duration"},
            converter = HumanDurationConverter.class,
            paramLabel = "TIME",
            description = "Stop after this long: 500ms, 10s, 2m (default: no limit).")
    Duration duration;

    @Option(
            names = "--idle-timeout",
            converter = HumanDurationConverter.class,
            paramLabel = "TIME",
            description = "Stop this long after the last datagram; starts with the first one (default: never).")
    Duration idleTimeout;

    @Option(
            names = "--expect",
            defaultValue = "1",
            paramLabel = "N",
            description = "Exit 0 only if at least N distinct datagrams arrived (default: ${DEFAULT-VALUE}).")
    long expect;

    @Option(
            names = "--expect-none",
            description = "Exit 0 only if no lab datagram arrived (to check that a flow is NOT delivered).")
    boolean expectNone;

    @Option(
            names = "--rcvbuf",
            defaultValue = "8388608",
            paramLabel = "BYTES",
            description = "Socket receive buffer; forced past rmem_max when root (default: ${DEFAULT-VALUE}).")
    int receiveBuffer;

    @Option(
            names = "--json",
            arity = "0..1",
            fallbackValue = LabArguments.STDOUT,
            paramLabel = "FILE",
            description = "Write the result as JSON to FILE, or to stdout (instead of the text summary).")
    String json;

    @Option(
            names = {"-q", "--quiet"},
            description = "Print nothing but errors (and --json output).")
    boolean quiet;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        ReceiveOptions options;
        try {
            if (expect < 0) {
                throw new IllegalArgumentException("--expect " + expect + " must be >= 0");
            }
            options = new ReceiveOptions(
                    LabArguments.group(group),
                    port,
                    source == null ? null : LabArguments.address("--source", source),
                    LabArguments.networkInterface(interfaceName),
                    count,
                    duration,
                    idleTimeout,
                    receiveBuffer);
        } catch (IllegalArgumentException e) {
            err.println(spec.qualifiedName() + ": " + e.getMessage());
            err.flush();
            return ExitCodes.USAGE;
        }
        MulticastReceiver receiver = new MulticastReceiver(options, Clock.systemUTC(), System::nanoTime);
        StopSignals.onStop(receiver::stop);
        if (!quiet) {
            err.println("receiving " + describe(options) + " (Ctrl-C to stop)");
            err.flush();
        }
        ReceiveStats stats;
        try {
            stats = receiver.run();
        } catch (IOException e) {
            err.println(spec.qualifiedName() + ": " + e.getMessage() + hint(e, options));
            err.flush();
            return ExitCodes.IOERR;
        }
        report(options, stats);
        int code = succeeded(stats) ? 0 : 1;
        return code;
    }

    private void report(ReceiveOptions options, ReceiveStats stats) {
        PrintWriter out = spec.commandLine().getOut();
        if (!quiet && !LabArguments.STDOUT.equals(json)) {
            out.println(describe(options) + ":");
            out.println(stats.summary());
            out.flush();
        }
        if (json != null) {
            try {
                LabArguments.writeJson(json, out, w -> {
                    w.beginObject()
                            .field("group", options.group().toString())
                            .field("port", options.port())
                            .field(
                                    "source",
                                    options.source() == null
                                            ? null
                                            : options.source().toString())
                            .field(
                                    "interface",
                                    options.networkInterface() == null
                                            ? null
                                            : options.networkInterface().getName());
                    stats.writeJsonFields(w);
                    w.endObject();
                });
            } catch (IOException e) {
                PrintWriter err = spec.commandLine().getErr();
                err.println(spec.qualifiedName() + ": cannot write " + json + ": " + e.getMessage());
                err.flush();
            }
        }
    }

    private static String hint(IOException e, ReceiveOptions options) {
        // The kernel answers a join without --interface and without a multicast route with ENODEV.
        return String.valueOf(e.getMessage()).endsWith("No such device")
                ? " (no route to the group: name the --interface or add a route for "
                        + LabOptionChecks.multicastRange(options.group().family()) + ")"
                : "";
    }

    private boolean succeeded(ReceiveStats stats) {
        return expectNone ? stats.received() == 0 : stats.unique() >= expect;
    }

    private static String describe(ReceiveOptions options) {
        String group = options.group().family() == IpFamily.IPV6
                ? "[" + options.group() + "]"
                : options.group().toString();
        return group + ":" + options.port()
                + (options.source() == null ? " from any source" : " from " + options.source())
                + (options.networkInterface() == null
                        ? ""
                        : " on " + options.networkInterface().getName());
    }
}
