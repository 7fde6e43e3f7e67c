package dev.mcgate.cli;

import dev.mcgate.lab.LabOptionChecks;
import dev.mcgate.lab.MulticastSender;
import dev.mcgate.lab.SendOptions;
import dev.mcgate.lab.SendResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mcgate lab send}: a paced multicast test sender, like msend, whose datagrams carry a sequence number and send time. */
@Command(
        name = "send",
        mixinStandardHelpOptions = true,
        description = {
            "Send paced multicast test datagrams (sequence number and send time in each) to a group.",
            "Runs until --count or --duration is reached, or Ctrl-C; then prints what was sent."
        },
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {
            "0:every datagram was sent",
            "1:some sends failed",
            "64:bad option value",
            "74:the socket could not be set up (no route to the group, ...)"
        })
public final class LabSendCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = {"-g", "--group"},
            required = true,
            paramLabel = "GROUP",
            description = "Multicast group to send to, IPv4 or IPv6 (239.1.1.1, ff3e::1:1).")
    String group;

    @Option(
            names = {"-p", "--port"},
            defaultValue = "5001",
            description = "UDP port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(
            names = {"-s", "--source"},
            paramLabel = "ADDRESS",
            description = "Local address to send from, of the group's family (default: the interface's address).")
    String source;

    @Option(
            names = {"-i", "--interface"},
            paramLabel = "IF",
            description = "Interface to send on (default: the source's interface, else the route to the group).")
    String interfaceName;

    @Option(
            names = {"-r", "--rate"},
            defaultValue = "100",
            paramLabel = "PPS",
            description =
                    "Datagrams per second, fractions allowed; 0 = as fast as possible (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(
            names = "--size",
            defaultValue = "64",
            paramLabel = "BYTES",
            description = "UDP payload size, at least 32 (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(
            names = {"--ttl", "--hop-limit"},
            defaultValue = "8",
            description = "IPv4 TTL or IPv6 hop limit; a router forwards only >= 2 (default: ${DEFAULT-VALUE}).")
    int ttl;

    @Option(
            names = {"-c", "--count"},
            defaultValue = "0",
            description = "Datagrams to send; 0 = no limit (default).")
    long count;

    @Option(
            names = {"-d", "--duration"},
            converter = HumanDurationConverter.class,
            paramLabel = "TIME",
            description = "How long to send: 500ms, 10s, 2m (default: no limit).")
    Duration duration;

    @Option(names = "--loop", description = "Deliver to sockets on this host too (IP_MULTICAST_LOOP; off by default).")
    boolean loopback;

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
        SendOptions options;
        try {
            options = new SendOptions(
                    LabArguments.group(group),
                    port,
                    LabArguments.localSource(source),
                    LabArguments.networkInterface(interfaceName),
                    rate,
                    size,
                    ttl,
                    count,
                    duration,
                    loopback);
        } catch (IllegalArgumentException e) {
            err.println(spec.qualifiedName() + ": " + e.getMessage());
            err.flush();
            return ExitCodes.USAGE;
        }
        MulticastSender sender =
                new MulticastSender(options, Clock.systemUTC(), System::nanoTime, new SecureRandom().nextLong());
        StopSignals.onStop(sender::stop);
        SendResult result;
        try {
            result = sender.run();
        } catch (IOException e) {
            err.println(spec.qualifiedName() + ": " + e.getMessage() + hint(e, options));
            err.flush();
            return ExitCodes.IOERR;
        }
        report(options, result);
        int code = result.errors() == 0 ? 0 : 1;
        return code;
    }

    private void report(SendOptions options, SendResult result) {
        PrintWriter out = spec.commandLine().getOut();
        if (!quiet && !LabArguments.STDOUT.equals(json)) {
            out.println(result.summary(options));
            out.flush();
        }
        if (json != null) {
            try {
                LabArguments.writeJson(json, out, w -> result.writeJson(w, options));
            } catch (IOException e) {
                PrintWriter err = spec.commandLine().getErr();
                err.println(spec.qualifiedName() + ": cannot write " + json + ": " + e.getMessage());
                err.flush();
            }
        }
    }

    private static String hint(IOException e, SendOptions options) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("unreachable")) {
            return " (no route to the group: add one for "
                    + LabOptionChecks.multicastRange(options.group().family()) + " or name the --interface)";
        }
        return "";
    }
}
