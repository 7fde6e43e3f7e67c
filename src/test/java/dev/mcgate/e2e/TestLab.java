package dev.mcgate.e2e;

import dev.mcgate.io.CaptureFilter;
import dev.mcgate.io.FrameHandler;
import dev.mcgate.io.InterfacePort;
import dev.mcgate.io.NetInterface;
import dev.mcgate.io.linux.Netns;
import dev.mcgate.io.linux.SystemInterfaces;
import dev.mcgate.io.pcap.PcapPacketIo;
import dev.mcgate.lab.ControlSocketProbe;
import dev.mcgate.lab.Lab;
import dev.mcgate.lab.LabException;
import dev.mcgate.lab.LabTopology;
import dev.mcgate.net.Ip4;
import dev.mcgate.net.Ip6;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * The end-to-end harness: a namespace lab of its own for one test class, and helpers to act in it as real hosts do.
 *
 * <p>Hosts are the kernel's own: receivers join with {@link DatagramChannel#join} (the kernel sends the IGMP reports),
 * the source sends with a UDP socket. Everything opened through the harness (ports, sockets, processes, the lab
 * itself) is closed by {@link #close()}, which tests call from a try-with-resources or {@code @AfterAll}, so a failing
 * test still tears everything down.
 */
public final class TestLab implements AutoCloseable {

    /** Test labs are named "mt" + the JVM's pid + a counter: unique per run, easy for the leftovers check to find. */
    static final String PREFIX_STEM = "mt";

    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final Lab lab;
    private final OpenedResources resources = new OpenedResources();

    private TestLab(Lab lab) {
        this.lab = lab;
    }

    public static TestLab up() throws LabException {
        return up(Map.of());
    }

    public static TestLab up(Map<Integer, Integer> igmpVersions) throws LabException {
        Lab lab = new Lab(new LabTopology(newPrefix()));
        lab.up(igmpVersions);
        return new TestLab(lab);
    }

    /** A lab with an IGMP and an MLD version forced per receiver (receiver number to version). */
    public static TestLab up(Map<Integer, Integer> igmpVersions, Map<Integer, Integer> mldVersions)
            throws LabException {
        Lab lab = new Lab(new LabTopology(newPrefix()));
        lab.up(igmpVersions, mldVersions);
        return new TestLab(lab);
    }

    /** A lab prefix no other lab of this run uses, recognisable by the leftovers check. */
    static String newPrefix() {
        return PREFIX_STEM + ProcessHandle.current().pid() % 100000 + "x" + COUNTER.incrementAndGet();
    }

    public LabTopology topology() {
        return lab.topology();
    }

    public Lab lab() {
        return lab;
    }

    /** The interface as the namespace's kernel describes it. */
    public NetInterface netInterface(String ns, String ifName) throws IOException {
        return Netns.call(
                ns,
                () -> new SystemInterfaces()
                        .find(ifName)
                        .orElseThrow(() -> new IOException("no interface " + ifName + " in " + ns)));
    }

    /** The IPv6 link-local address the kernel gave an interface of the lab (where MLD messages come from). */
    public Ip6 linkLocalAddress(String ns, String ifName) throws LabException {
        return Lab.awaitLinkLocalAddress(ns, ifName);
    }

    /**
     * Forces the kernel's MLD host side on an interface to version 1 or 2 ({@code force_mld_version}), or back to
     * the default with 0: an MLDv1 host reports with type 131 and leaves with a Done (132).
     */
    public void forceMldVersion(String ns, String ifName, int version) throws LabException {
        Lab.forceMldVersion(ns, ifName, version);
    }

    /** Starts a command in a namespace, its stdout and stderr to a log file; ended with the lab. */
    public Process startIn(String ns, Path log, String... command) throws IOException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        full.addAll(List.of(command));
        Process p = new ProcessBuilder(full)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        track(() -> {
            p.destroy();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        });
        return p;
    }

    /** Opens a pcap port inside a namespace; closed with the lab. */
    public InterfacePort openPcap(String ns, String ifName, CaptureFilter filter, FrameHandler handler)
            throws IOException {
        InterfacePort port = Netns.call(ns, () -> {
            NetInterface nif = new SystemInterfaces()
                    .find(ifName)
                    .orElseThrow(() -> new IOException("no interface " + ifName + " in " + ns));
            return new PcapPacketIo().open(nif, filter, handler);
        });
        track(port);
        return port;
    }

    /** A receiver socket of receiver 1 or 2 joined to a group through the kernel's IGMP host stack. */
    public final class Membership implements AutoCloseable {
        private final DatagramChannel channel;

        Membership(DatagramChannel channel) {
            this.channel = channel;
        }

        /** The next datagram's payload, or empty if none arrives in time. */
        public Optional<byte[]> receive(long timeoutMs) throws IOException {
            channel.socket().setSoTimeout((int) timeoutMs);
            DatagramPacket packet = new DatagramPacket(new byte[65536], 65536);
            try {
                channel.socket().receive(packet);
            } catch (SocketTimeoutException e) {
                return Optional.empty();
            }
            return Optional.of(Arrays.copyOf(packet.getData(), packet.getLength()));
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    /**
     * Joins a group on receiver {@code n}'s eth0 as an application would: any-source, or source-specific when a source
     * is given. The kernel sends the report.
     */
    public Membership join(int n, Ip4 group, int port, Optional<Ip4> source) throws IOException {
        DatagramChannel channel = Netns.call(topology().receiver(n), () -> {
            NetworkInterface eth0 = NetworkInterface.getByName(LabTopology.HOST_IF);
            DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET);
            try {
                ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                ch.bind(new InetSocketAddress(port));
                InetAddress g = InetAddress.getByAddress(group.toBytes());
                if (source.isPresent()) {
                    ch.join(g, eth0, InetAddress.getByAddress(source.get().toBytes()));
                } else {
                    ch.join(g, eth0);
                }
                return ch;
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
        });
        Membership m = new Membership(channel);
        track(m);
        return m;
    }

    /**
     * Joins an IPv6 group on receiver {@code n}'s eth0 as an application would, any-source or source-specific; the
     * kernel's MLD host stack sends the report (MLDv2 unless the receiver is forced to MLDv1).
     */
    public Membership join6(int n, Ip6 group, int port, Optional<Ip6> source) throws IOException {
        DatagramChannel channel = Netns.call(topology().receiver(n), () -> {
            NetworkInterface eth0 = NetworkInterface.getByName(LabTopology.HOST_IF);
            DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET6);
            try {
                ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                ch.bind(new InetSocketAddress(port));
                InetAddress g = InetAddress.getByAddress(group.toBytes());
                if (source.isPresent()) {
                    ch.join(g, eth0, InetAddress.getByAddress(source.get().toBytes()));
                } else {
                    ch.join(g, eth0);
                }
                return ch;
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
        });
        Membership m = new Membership(channel);
        track(m);
        return m;
    }

    /** Sends one UDP datagram from the source host to a group, as an application would. */
    public void sendFromSource(Ip4 group, int port, byte[] payload, int ttl) throws IOException {
        Netns.call(topology().source(), () -> {
            try (DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET)) {
                ch.setOption(StandardSocketOptions.IP_MULTICAST_IF, NetworkInterface.getByName(LabTopology.HOST_IF));
                ch.setOption(StandardSocketOptions.IP_MULTICAST_TTL, ttl);
                ch.send(
                        ByteBuffer.wrap(payload),
                        new InetSocketAddress(InetAddress.getByAddress(group.toBytes()), port));
            }
            return null;
        });
    }

    /**
     * Starts {@code mcgate ARGS...} in a namespace, from the test class path, output to a log file. A {@code run}
     * without {@code --control-socket} gets {@link #controlSocketFor} its log: the socket path is shared by every
     * namespace, and a second daemon on the same socket would refuse to start.
     */
    public Process startMcgate(String ns, Path log, String... args) throws IOException {
        return startMcgate(ns, log, List.of(), Map.of(), System.getProperty("java.class.path"), args);
    }

    /**
     * Starts {@code mcgate ARGS...} in a namespace under a command that changes its credentials ({@code setpriv
     * ...}, or none), with more environment variables and a class path of its own (one the user it runs as can read).
     */
    public Process startMcgate(
            String ns,
            Path log,
            List<String> wrapper,
            Map<String, String> environment,
            String classPath,
            String... args)
            throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        command.addAll(wrapper);
        command.addAll(List.of(java, "-cp", classPath, "dev.mcgate.cli.Main"));
        command.addAll(List.of(args));
        if (args.length > 0 && args[0].equals("run") && !List.of(args).contains("--control-socket")) {
            command.addAll(List.of("--control-socket", controlSocketFor(log).toString()));
        }
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        Process p = builder.start();
        track(() -> {
            p.destroy();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        });
        return p;
    }

    /** The control socket of a daemon started with {@link #startMcgate} and this log. */
    public static Path controlSocketFor(Path log) {
        return log.resolveSibling(log.getFileName() + ".sock");
    }

    /** Runs a command (ip, bridge, ethtool ...) to completion; fails the test with its output if it does not exit 0. */
    public static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }

    /** Waits until a file contains a text (a daemon's log line), or fails after the timeout. */
    public static String awaitText(Path file, String text, long timeoutMs) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        String content = "";
        while (System.nanoTime() < deadline) {
            content = Files.exists(file) ? Files.readString(file) : "";
            if (content.contains(text)) {
                return content;
            }
            Thread.sleep(20);
        }
        throw new AssertionError(
                "'" + text + "' did not appear in " + file + " within " + timeoutMs + " ms; it has:\n" + content);
    }

    /** One question to a daemon's control socket (see {@link ControlSocketProbe}). */
    @FunctionalInterface
    public interface Question<T> {
        T ask(ControlSocketProbe probe) throws LabException;
    }

    /**
     * Asks a daemon on its control socket until the answer is the one wanted, or fails after the timeout with the
     * last answer: the daemon's own view of its state, where a log line would only say that something was logged.
     * A daemon that does not answer yet (its socket not made, the interface not open) is asked again.
     *
     * @return the answer wanted
     */
    public static <T> T awaitAnswer(Path socket, String what, long timeoutMs, Question<T> question, Predicate<T> wanted)
            throws InterruptedException {
        ControlSocketProbe probe = new ControlSocketProbe(socket);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        String last = "no answer";
        do {
            try {
                T answer = question.ask(probe);
                if (wanted.test(answer)) {
                    return answer;
                }
                last = String.valueOf(answer);
            } catch (LabException e) {
                last = e.getMessage();
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        throw new AssertionError(
                "mcgate on " + socket + ": not " + what + " within " + timeoutMs + " ms; it said: " + last);
    }

    /** Waits until mcgate holds {@code group} on {@code downstream} ({@code groups --json}): it forwards it there. */
    public static void awaitGroup(Path socket, String downstream, Ip4 group, long timeoutMs)
            throws InterruptedException {
        awaitAnswer(
                socket,
                "holding " + group + " on " + downstream,
                timeoutMs,
                p -> p.joinedGroups(downstream),
                joined -> joined.contains(group));
    }

    /** Waits until mcgate reports {@code group} on {@code upstream}, or until it no longer does. */
    public static void awaitUpstreamGroup(Path socket, String upstream, Ip4 group, boolean reported, long timeoutMs)
            throws InterruptedException {
        awaitAnswer(
                socket,
                (reported ? "reporting " : "no longer reporting ") + group + " on " + upstream,
                timeoutMs,
                p -> p.upstreamGroups(upstream),
                groups -> groups.contains(group) == reported);
    }

    /** Waits until mcgate sees {@code querier} as the querier on {@code interfaceName} ({@code status --json}). */
    public static void awaitQuerier(
            Path socket, String interfaceName, ControlSocketProbe.Querier querier, long timeoutMs)
            throws InterruptedException {
        awaitAnswer(
                socket,
                "seeing " + querier + " as querier on " + interfaceName,
                timeoutMs,
                p -> p.querier(interfaceName),
                q -> q.equals(Optional.of(querier)));
    }

    private void track(AutoCloseable resource) {
        resources.add(resource);
    }

    /** Closes everything the harness opened, newest first, then removes the lab; never throws past a failure. */
    @Override
    public void close() throws Exception {
        Exception first = resources.closeAll();
        try {
            lab.down();
        } catch (LabException e) {
            first = first == null ? e : first;
        }
        if (first != null) {
            throw first;
        }
    }
}
