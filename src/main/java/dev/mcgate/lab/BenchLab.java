package dev.mcgate.lab;

import dev.mcgate.io.linux.Netns;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The benchmark's namespace lab: the ordinary lab plus the CPU split that makes the figures measure the router
 * (DESIGN.md, last section). The router's ingress softirq is steered to CPU 1 with RPS, the receivers' back to CPU 0;
 * the sender, the receivers and this JVM run on CPU 0, mcgate on CPU 1. The source namespace gets the devices of the
 * trafgen sender ({@link TrafgenSender}). Beside it, the tunnel path ({@link BenchTunnelPath}): gateway B and a
 * receiver behind it, with the router as gateway A.
 */
final class BenchLab implements AutoCloseable {

    private final Lab lab;
    private final Path directory;

    private BenchLab(Lab lab, Path directory) {
        this.lab = lab;
        this.directory = directory;
    }

    /** Builds the lab (removing a leftover one of the same prefix first) and its CPU split. */
    static BenchLab up(LabTopology topology, boolean fastLeaveOnDown2) throws LabException {
        Lab lab = new Lab(topology);
        // Whatever a killed bench left, the tunnel path's namespaces included.
        lab.down();
        // IGMPv3 on both receivers, whatever queries they hear (the bridge's, mcgate's): every forwarder is measured
        // with the same reports.
        lab.up(Map.of(1, 3, 2, 3));
        BenchLab bench = new BenchLab(lab, directory(topology));
        try {
            Files.createDirectories(bench.directory);
            Files.writeString(bench.config(), config(topology, bench.directory, fastLeaveOnDown2));
            BenchTunnelPath.up(topology, bench.directory);
            Files.writeString(bench.gatewayAConfig(), BenchTunnelPath.gatewayAConfig(topology, bench.directory));
            Files.writeString(bench.gatewayBConfig(), BenchTunnelPath.gatewayBConfig(topology, bench.directory));
            rps(topology.router(), LabTopology.UPSTREAM_IF, 1 << BenchProcesses.ROUTER_CPU);
            for (int rx = 1; rx <= 2; rx++) {
                rps(topology.receiver(rx), LabTopology.HOST_IF, 1);
            }
            rps(topology.source(), LabTopology.HOST_IF, 1);
            TrafgenSender.setUp(topology);
            // TX checksum offload is already off on the hosts (Lab.up); the source needs it most.
            pinSelfToCpu0();
        } catch (IOException | LabException e) {
            try {
                bench.close();
            } catch (LabException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e instanceof LabException le ? le : new LabException("bench setup: " + e.getMessage());
        }
        return bench;
    }

    /**
     * mcgate's configuration: down1 leaves normally (last-member queries), down2 with fast leave. Its control socket
     * is the bench's own, so that a daemon running on the machine neither blocks the bench nor is disturbed by it.
     * down1's limits are raised above what the bench puts there (the report-rate steps' groups and the 10 000 of the
     * memory load, 16 000 in all, at up to 32 000 reports/s): the bench measures what mcgate holds and absorbs, not
     * the default guards against hosts nobody vets (1024 groups, 1000 messages/s).
     */
    static String config(LabTopology topology, Path directory, boolean fastLeaveOnDown2) {
        return """
                # mcgate configuration for the benchmark lab '%s' (written by 'mcgate lab bench')
                log-level info
                control-socket %s
                interface %s {
                    role upstream
                }
                interface %s {
                    role downstream
                    fast-leave no
                    max-groups 20000
                    igmp-rate-limit 100000
                }
                interface %s {
                    role downstream
                    fast-leave %s
                }
                """.formatted(
                        topology.prefix(),
                        directory.resolve("mcgate.sock"),
                        LabTopology.UPSTREAM_IF,
                        LabTopology.RX1_LINK.routerIf(),
                        LabTopology.RX2_LINK.routerIf(),
                        fastLeaveOnDown2 ? "yes" : "no");
    }

    private static Path directory(LabTopology topology) {
        return topology.routerConfigFile().getParent().resolve(topology.prefix() + "-bench");
    }

    static void rps(String ns, String ifName, int cpuMask) throws LabException {
        Shell.run(
                "ip",
                "netns",
                "exec",
                ns,
                "sh",
                "-c",
                "echo " + Integer.toHexString(cpuMask) + " > /sys/class/net/" + ifName + "/queues/rx-0/rps_cpus");
    }

    // Threads inherit the affinity of the thread that creates them: pinning every thread now pins the later ones.
    private static void pinSelfToCpu0() throws LabException {
        Shell.run(
                "taskset",
                "-a",
                "-p",
                "-c",
                "0",
                Long.toString(ProcessHandle.current().pid()));
    }

    LabTopology topology() {
        return lab.topology();
    }

    Path directory() {
        return directory;
    }

    Path config() {
        return directory.resolve("mcgate.conf");
    }

    Path gatewayAConfig() {
        return directory.resolve("gateway-a.conf");
    }

    Path gatewayBConfig() {
        return directory.resolve("gateway-b.conf");
    }

    /** An interface counter read inside a namespace, from /proc/net/dev as that namespace sees it. */
    static NetDev netDev(String ns) throws LabException {
        try {
            return new NetDev(Netns.call(ns, () -> Files.readString(Path.of("/proc/thread-self/net/dev"))));
        } catch (IOException e) {
            throw new LabException("cannot read the interface counters of " + ns + ": " + e.getMessage());
        }
    }

    /** One reading of /proc/net/dev. */
    record NetDev(String text) {
        long received(String ifName) {
            return ProcFiles.receivedPackets(text, ifName);
        }

        long sent(String ifName) {
            return ProcFiles.sentPackets(text, ifName);
        }

        /** Packets the interface sent or dropped on sending: what a sender offered. */
        long offered(String ifName) {
            return ProcFiles.sentPackets(text, ifName) + ProcFiles.sendDrops(text, ifName);
        }
    }

    /** Removes the lab and the benchmark's files; kills whatever still runs in its namespaces. */
    @Override
    public void close() throws LabException {
        remove(lab.topology());
    }

    /** Deletes {@code directory} and everything under it, deepest first; what is gone already is no error. */
    static void deleteTree(Path directory) {
        try (var files = Files.walk(directory)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | java.io.UncheckedIOException ignored) {
            // nothing there, or already gone
        }
    }

    /** What {@link #close()} does, for a shutdown hook that has no BenchLab at hand. */
    static void remove(LabTopology topology) throws LabException {
        Path directory = directory(topology);
        try {
            // The tunnel path's namespaces go with the lab's (LabTopology.allNamespaces).
            new Lab(topology).down();
        } finally {
            deleteTree(directory);
        }
    }
}
