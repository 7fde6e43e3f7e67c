package dev.mcgate.lab;

import dev.mcgate.io.linux.Netns;
import dev.mcgate.net.Ip4;
import dev.mcgate.net.IpFamily;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * The kernel's multicast forwarding (MFC) as a forwarder under test, driven by smcroute's static (*,G) routes from
 * the upstream to the receivers' downstreams. Its CPU cost is the busy time of the router CPU, softirq included.
 */
final class SmcrouteUnderTest implements BenchForwarder {

    static final String NAME = "kernel[smcroute]";
    private static final long READY_TIMEOUT_MS = 10_000;

    private final LabTopology topology;
    private final Path directory;
    private List<Integer> receivers = List.of(1);
    private List<Ip4> groups = List.of();
    private Process process;

    SmcrouteUnderTest(LabTopology topology, Path directory) {
        this.topology = topology;
        this.directory = directory;
    }

    /** True if smcrouted is installed. */
    static boolean available() {
        try {
            return Shell.tryRun("smcrouted", "-v").exitCode() == 0;
        } catch (LabException e) {
            return false;
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> receivers() {
        return topology.receivers();
    }

    @Override
    public boolean followsJoins() {
        return false;
    }

    /** IPv4 points only: the bench gives smcroute IPv4 routes (see {@link KernelReferences#smcroute6Absent()}). */
    @Override
    public List<BenchPlan.Point> points(BenchPlan plan) {
        return BenchForwarder.super.points(plan).stream()
                .filter(p -> p.family() == IpFamily.IPV4)
                .toList();
    }

    /** The smcroute.conf for the current routes: one {@code mroute} line per group. */
    static String config(List<Integer> receivers, List<Ip4> groups) {
        String to = receivers.stream()
                .map(n -> LabTopology.receiverLink(n).routerIf())
                .collect(Collectors.joining(" "));
        StringBuilder sb = new StringBuilder("# written by mcgate lab bench\n");
        for (Ip4 g : groups) {
            sb.append("mroute from ")
                    .append(LabTopology.UPSTREAM_IF)
                    .append(" group ")
                    .append(g)
                    .append(" to ")
                    .append(to)
                    .append('\n');
        }
        return sb.toString();
    }

    @Override
    public void routeTo(List<Integer> receivers, List<Ip4> groups) throws LabException {
        this.receivers = List.copyOf(receivers);
        this.groups = List.copyOf(groups);
        if (process != null) {
            // smcroute re-reads its file on SIGHUP, but a restart is as quick and certain to drop old routes.
            stop();
            start();
        }
    }

    @Override
    public void start() throws LabException {
        Path conf = directory.resolve("smcroute.conf");
        String ident = "mcgbench-" + topology.prefix();
        try {
            Files.writeString(conf, config(receivers, groups));
            process = new ProcessBuilder(
                            "ip",
                            "netns",
                            "exec",
                            topology.router(),
                            "smcrouted",
                            "-n",
                            "-f",
                            conf.toString(),
                            "-i",
                            ident,
                            "-l",
                            "err",
                            "-P",
                            directory.resolve("smcroute.pid").toString(),
                            "-u",
                            directory.resolve("smcroute.sock").toString())
                    .redirectErrorStream(true)
                    .redirectOutput(directory.resolve("smcroute.log").toFile())
                    .start();
        } catch (IOException e) {
            throw new LabException("cannot start smcrouted: " + e.getMessage());
        }
        // Ready when the kernel lists its multicast interfaces (VIFs) in the router namespace.
        long deadline = System.nanoTime() + READY_TIMEOUT_MS * 1_000_000;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new LabException(
                        "smcrouted exited with " + process.exitValue() + "; see " + directory.resolve("smcroute.log"));
            }
            if (vifCount() >= 1 + receivers.size()) {
                return;
            }
            sleep(50);
        }
        throw new LabException("smcrouted did not set up its interfaces within " + READY_TIMEOUT_MS + " ms");
    }

    private int vifCount() throws LabException {
        try {
            String vifs =
                    Netns.call(topology.router(), () -> Files.readString(Path.of("/proc/thread-self/net/ip_mr_vif")));
            return (int) vifs.lines().skip(1).filter(l -> !l.isBlank()).count();
        } catch (IOException e) {
            return 0;
        }
    }

    @Override
    public long cpuNanos() throws LabException {
        return BenchProcesses.routerCpuBusyNanos();
    }

    @Override
    public OptionalLong residentKib() {
        return OptionalLong.empty();
    }

    @Override
    public void stop() throws LabException {
        BenchProcesses.stop(process, 5_000);
        process = null;
        // The mroute socket closes with the process; wait until the kernel has dropped the VIFs.
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (vifCount() > 0 && System.nanoTime() < deadline) {
            sleep(20);
        }
    }

    private static void sleep(long ms) throws LabException {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted");
        }
    }
}
