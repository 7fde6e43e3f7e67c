package dev.mcgate.lab;

import dev.mcgate.net.IpAddress;
import dev.mcgate.net.IpFamily;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Multicast load from iperf2 clients in the source namespace, pinned to CPU 0: one client per group, the rate split
 * evenly between them. The join/leave probe's stream; the capacity steps use {@link TrafgenSender}, which outruns it.
 */
final class IperfSender {

    static final int PORT = 5001;

    private final String namespace;

    IperfSender(String namespace) {
        this.namespace = namespace;
    }

    static boolean available() {
        try {
            return Shell.tryRun("iperf", "-v").exitCode() <= 1;
        } catch (LabException e) {
            return false;
        }
    }

    /**
     * The shell line that runs one client per group in the background and waits for all of them. An IPv6 client is
     * bound to eth0 (-c GROUP%eth0, SO_BINDTODEVICE): every interface of the source namespace has a route for ff00::/8
     * in the local table, so the route alone does not pick the lab's link.
     */
    static String commandLine(List<? extends IpAddress> groups, double totalPps, int size, double seconds) {
        long perGroup = Math.max(1, Math.round(totalPps / groups.size()));
        String each = groups.stream()
                .map(g -> String.format(
                        Locale.ROOT,
                        "iperf -u %s -p %d -T 32 -b %dpps -l %d -t %.2f >/dev/null 2>&1 &",
                        g.family() == IpFamily.IPV4 ? "-c " + g : "-V -c " + g + "%" + LabTopology.HOST_IF,
                        PORT,
                        perGroup,
                        size,
                        seconds))
                .collect(Collectors.joining(" "));
        return each + " wait";
    }

    /** Starts the clients; the caller waits for the returned process. */
    Process start(List<? extends IpAddress> groups, double totalPps, int size, double seconds) throws LabException {
        try {
            List<String> command = new java.util.ArrayList<>(List.of("ip", "netns", "exec", namespace));
            command.addAll(BenchProcesses.pinned(0));
            command.addAll(List.of("sh", "-c", commandLine(groups, totalPps, size, seconds)));
            return new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            throw new LabException("cannot start iperf: " + e.getMessage());
        }
    }
}
