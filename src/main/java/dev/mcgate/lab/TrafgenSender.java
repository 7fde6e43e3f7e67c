package dev.mcgate.lab;

import dev.mcgate.net.Ip4;
import dev.mcgate.net.Ip6;
import dev.mcgate.net.IpAddress;
import dev.mcgate.net.IpFamily;
import dev.mcgate.net.MacAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The benchmark's traffic source: netsniff-ng's trafgen writing frames through a PACKET_MMAP TX ring in the source
 * namespace, pinned to CPU 0, paced by a tbf qdisc and decoupled from the router so that it never waits for it.
 *
 * <pre>
 *   trafgen -> gen0 [tbf: the offered rate] -> gen1 ingress: mirred mirror (a clone) -> eth0 -> the router's up0
 * </pre>
 *
 * <p>Why each piece (all seen here, Linux 6.18):
 * <ul>
 *   <li>trafgen's own {@code --rate} sends each second's frames in one burst; tbf spreads them evenly.</li>
 *   <li>A frame stays charged to trafgen's socket until it is freed. Sent straight to the router, the frames waiting
 *       in the router CPU's backlog (up to 1000) exhaust the socket's send buffer when the router is slower than the
 *       offered rate: trafgen's TX ring flush fails with EAGAIN and it aborts, or the sender slows to the router's
 *       speed. A mirred <em>mirror</em> sends an uncharged clone on and lets the original die in gen1's IP input, so
 *       the sender never waits and what the router cannot take is counted as loss.</li>
 *   <li>tbf's queue is kept short (a few dozen frames): frames queued there are still charged to trafgen, and a
 *       longer queue would fill its send buffer; what tbf cannot queue it drops before eth0, so it is not offered.</li>
 * </ul>
 * The offered rate is what eth0 sent, counted there; the sending window is from the first frame on eth0 to the stop.
 */
final class TrafgenSender {

    static final String GENERATOR_IF = "gen0";
    private static final String MIRROR_IN_IF = "gen1";
    /** The capacity stream's UDP ports; receivers join the groups, nobody needs to read the datagrams. */
    static final int SOURCE_PORT = 40_000;

    static final int PORT = IperfSender.PORT;
    static final int TTL = 32;
    /** Ethernet, IPv4 and UDP headers in front of the payload: what tbf counts besides it. */
    static final int HEADER_BYTES = 14 + 20 + 8;

    /** The headers in front of the payload in {@code family}'s frames. */
    static int headerBytes(IpFamily family) {
        return family == IpFamily.IPV4 ? HEADER_BYTES : TrafgenIpv6Frames.HEADER_BYTES;
    }
    /**
     * tbf's queue, in frames: well under what even the default socket send buffer (~208 KiB) holds of 1316-byte
     * frames, so the queue alone never stops trafgen.
     */
    static final int QUEUE_FRAMES = 48;
    /** The fewest frames tbf's bucket holds. */
    static final int BURST_FRAMES = 32;

    private static final long START_TIMEOUT_MILLIS = 5_000;
    private static final long POLL_MILLIS = 2;

    private final LabTopology topology;
    private final Path directory;

    TrafgenSender(LabTopology topology, Path directory) {
        this.topology = topology;
        this.directory = directory;
    }

    static boolean available() {
        try {
            // trafgen 0.6.8 exits with 1 after printing its version.
            return Shell.tryRun("trafgen", "-v").stdout().startsWith("trafgen");
        } catch (LabException e) {
            return false;
        }
    }

    /** Adds the generator's devices to the source namespace: the veth pair and the mirred action above. */
    static void setUp(LabTopology topology) throws LabException {
        String ns = topology.source();
        Shell.run("ip", "-n", ns, "link", "add", GENERATOR_IF, "type", "veth", "peer", "name", MIRROR_IN_IF);
        Shell.run("ip", "-n", ns, "link", "set", GENERATOR_IF, "up");
        Shell.run("ip", "-n", ns, "link", "set", MIRROR_IN_IF, "up");
        Shell.run("ip", "netns", "exec", ns, "tc", "qdisc", "add", "dev", MIRROR_IN_IF, "handle", "ffff:", "ingress");
        // u32 with an empty match: every frame (this kernel has no matchall classifier).
        Shell.run(
                "ip",
                "netns",
                "exec",
                ns,
                "tc",
                "filter",
                "add",
                "dev",
                MIRROR_IN_IF,
                "parent",
                "ffff:",
                "protocol",
                "all",
                "u32",
                "match",
                "u32",
                "0",
                "0",
                "action",
                "mirred",
                "egress",
                "mirror",
                "dev",
                LabTopology.HOST_IF);
    }

    /** The tbf that offers {@code pps} frames of {@code family} with {@code payload} bytes per second. */
    static List<String> tbfArguments(IpFamily family, double pps, int payload) {
        long frame = headerBytes(family) + payload;
        long bitsPerSecond = Math.max(8 * frame, Math.round(pps * frame * 8));
        // A millisecond's worth, and never fewer than 32 frames: tbf's timer fires late on a busy CPU, and tokens
        // beyond the bucket are lost, so a bucket of a frame or two paces below the rate asked for (seen here).
        long burst = Math.max(BURST_FRAMES * frame, bitsPerSecond / 8 / 1000);
        // The queue stays short whatever the bucket: frames waiting there are charged to trafgen's send buffer.
        long limit = QUEUE_FRAMES * frame;
        return List.of(
                "tbf", "rate", bitsPerSecond + "bit", "burst", Long.toString(burst), "limit", Long.toString(limit));
    }

    /**
     * trafgen's packet configuration: one frame per group, sent in turn, with valid IPv4 and UDP checksums. The IP
     * identification counts up per frame (trafgen recomputes the header checksum): identical frames would be dropped
     * by mcgate's duplicate guard as a loop's echo, and the UDP checksum does not cover the identification.
     */
    static String config(MacAddress sourceMac, Ip4 sourceAddress, List<Ip4> groups, int payload) {
        StringBuilder sb = new StringBuilder("/* written by mcgate lab bench: one frame per group, in turn */\n");
        for (Ip4 g : groups) {
            sb.append(String.format(
                    Locale.ROOT,
                    "{ eth(da=%s, sa=%s), ipv4(saddr=%s, daddr=%s, ttl=%d, id=dinc()), "
                            + "udp(sport=%d, dport=%d), fill(0x5a, %d) }%n",
                    MacAddress.forGroup(g),
                    sourceMac,
                    sourceAddress,
                    g,
                    TTL,
                    SOURCE_PORT,
                    PORT,
                    payload));
        }
        return sb.toString();
    }

    /** A running sender: when its first frame left, and how to stop it. */
    static final class Run {
        private final Process process;
        private final long startedNanos;
        private final Path log;

        private Run(Process process, long startedNanos, Path log) {
            this.process = process;
            this.startedNanos = startedNanos;
            this.log = log;
        }

        /** When its first frame left eth0 (System.nanoTime). */
        long startedNanos() {
            return startedNanos;
        }

        /**
         * Stops trafgen; returns how long frames were sent, in seconds. A trafgen that died on the way would make its
         * step look like the sender's limit: that is an error, with what trafgen said.
         */
        double stop() throws LabException {
            long stopped = System.nanoTime();
            boolean died = !process.isAlive();
            stopWithWorkers(process);
            if (died) {
                throw new LabException("trafgen stopped on its own (exit " + process.exitValue() + "): " + tail(log));
            }
            return (stopped - startedNanos) / 1e9;
        }
    }

    /**
     * The last lines trafgen wrote, for an error message, without its warnings that it cannot tune the host's socket
     * memory from inside a namespace (it prints them at every start; the bench does that tuning, HostSendBuffer).
     */
    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log).stream()
                    .filter(l -> !l.startsWith("Cannot set system socket memory"))
                    .toList();
            return String.join(" / ", lines.subList(Math.max(0, lines.size() - 3), lines.size()))
                            .strip() + " (" + log + ")";
        } catch (IOException e) {
            return "see " + log;
        }
    }

    /**
     * trafgen sends from a worker process it forks per CPU, and a worker outlives a parent that is killed: it would go
     * on sending into the next step. So the workers are stopped first, then trafgen itself.
     */
    static void stopWithWorkers(Process process) {
        List<ProcessHandle> workers = process.descendants().toList();
        workers.forEach(ProcessHandle::destroy);
        BenchProcesses.stop(process, 2_000);
        for (ProcessHandle w : workers) {
            try {
                w.onExit().get(2, java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                w.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                w.destroyForcibly();
            }
        }
    }

    /**
     * The configuration for {@code groups}, all of one family, sent from the source host's address of that family on
     * the lab's source link.
     */
    static String config(MacAddress sourceMac, List<? extends IpAddress> groups, int payload) {
        IpFamily family = familyOf(groups);
        if (family == IpFamily.IPV4) {
            return config(
                    sourceMac,
                    LabTopology.SOURCE_LINK.hostAddress(),
                    groups.stream().map(Ip4.class::cast).toList(),
                    payload);
        }
        return TrafgenIpv6Frames.config(
                sourceMac,
                LabTopology.SOURCE_LINK.hostAddress6(),
                groups.stream().map(Ip6.class::cast).toList(),
                payload);
    }

    /** The one family of a stream's groups. */
    static IpFamily familyOf(List<? extends IpAddress> groups) {
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("a stream needs a group");
        }
        IpFamily family = groups.get(0).family();
        if (groups.stream().anyMatch(g -> g.family() != family)) {
            throw new IllegalArgumentException("one stream, one family: " + groups);
        }
        return family;
    }

    /**
     * Starts offering {@code pps} datagrams per second in total over {@code groups} (all of one family), and returns
     * once the first frame has left eth0.
     */
    Run start(List<? extends IpAddress> groups, double pps, int payload) throws LabException {
        String ns = topology.source();
        IpFamily family = familyOf(groups);
        Path conf = directory.resolve(
                "trafgen-" + family.name().toLowerCase(Locale.ROOT) + "-" + groups.size() + "g-" + payload + "B.cfg");
        Path log = directory.resolve("trafgen.log");
        List<String> tc = new ArrayList<>(
                List.of("ip", "netns", "exec", ns, "tc", "qdisc", "replace", "dev", GENERATOR_IF, "root"));
        tc.addAll(tbfArguments(family, pps, payload));
        Shell.run(tc.toArray(String[]::new));
        long before = BenchLab.netDev(ns).sent(LabTopology.HOST_IF);
        Process p;
        try {
            // Written every time: a file left by a killed bench would carry an old source MAC.
            MacAddress mac = MacAddress.parse(
                    Shell.run("ip", "netns", "exec", ns, "cat", "/sys/class/net/" + LabTopology.HOST_IF + "/address")
                            .strip());
            Files.writeString(conf, config(mac, groups, payload));
            // Not at nice -10: a sender that spins must not starve CPU 0's softirq thread, which moves its frames on.
            p = new ProcessBuilder(
                            "ip",
                            "netns",
                            "exec",
                            ns,
                            "taskset",
                            "-c",
                            "0",
                            "trafgen",
                            "--qdisc-path",
                            "--dev",
                            GENERATOR_IF,
                            "--conf",
                            conf.toString(),
                            "--cpus",
                            "1",
                            "--no-cpu-stats",
                            "--notouch-irq")
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
        } catch (IOException e) {
            throw new LabException("cannot start trafgen: " + e.getMessage());
        }
        long deadline = System.nanoTime() + START_TIMEOUT_MILLIS * 1_000_000;
        try {
            while (BenchLab.netDev(ns).sent(LabTopology.HOST_IF) == before) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    throw new LabException("trafgen sent nothing within " + START_TIMEOUT_MILLIS + " ms: " + tail(log));
                }
                CapacityProbe.sleep(POLL_MILLIS);
            }
        } catch (LabException e) {
            stopWithWorkers(p);
            throw e;
        }
        return new Run(p, System.nanoTime(), log);
    }
}
