package dev.mcgate.e2e;

import dev.mcgate.io.CaptureFilter;
import dev.mcgate.io.FrameHandler;
import dev.mcgate.io.InterfacePort;
import dev.mcgate.io.NetInterface;
import dev.mcgate.io.linux.Netns;
import dev.mcgate.io.linux.SystemInterfaces;
import dev.mcgate.io.pcap.PcapPacketIo;
import dev.mcgate.net.Ip4;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The tunnel's lab: an exchange LAN with a source, gateway A, a transit namespace that routes unicast only (it runs
 * no multicast router, so no multicast crosses it), gateway B, and two receiver LANs behind B.
 *
 * <pre>
 *  [src] eth0 --- lan0 [gwa] wan0 --- a0 [transit] b0 --- wan0 [gwb] down1 --- eth0 [rx1]
 *  10.1.0.10   10.1.0.1   10.9.1.1   10.9.1.254  10.9.2.254  10.9.2.1  10.2.1.1    10.2.1.10
 *                                                                      down2 --- eth0 [rx2]
 *                                                                      10.2.2.1    10.2.2.10
 * </pre>
 *
 * Built with ip commands; every namespace, process and port it opens is removed by {@link #close()}.
 */
final class McgateTunnelLab implements AutoCloseable {

    static final Ip4 A_WAN = Ip4.parse("10.9.1.1");
    static final Ip4 B_WAN = Ip4.parse("10.9.2.1");
    static final Ip4 TRANSIT_B = Ip4.parse("10.9.2.254");
    static final Ip4 SOURCE = Ip4.parse("10.1.0.10");
    static final int TUNNEL_PORT = 7400;

    final String src;
    final String gwa;
    final String transit;
    final String gwb;
    final String rx1;
    final String rx2;
    private final List<String> namespaces;
    private final OpenedResources resources = new OpenedResources();
    final Path keyFile;
    private final boolean ipv6;

    static final dev.mcgate.net.Ip6 SOURCE6 = dev.mcgate.net.Ip6.parse("fd00:1::10");
    static final dev.mcgate.net.Ip6 RX1_6 = dev.mcgate.net.Ip6.parse("fd00:21::10");

    /** The lab with IPv4 only. */
    McgateTunnelLab(Path dir) throws Exception {
        this(dir, false);
    }

    /**
     * @param ipv6 IPv6 also on the exchange LAN and the receiver LANs ({@link #SOURCE6}, {@link #RX1_6}, link-local
     *             addresses, DAD off so that they are usable at once); the transit stays IPv4, as the tunnel is
     */
    McgateTunnelLab(Path dir, boolean ipv6) throws Exception {
        this.ipv6 = ipv6;
        String p = TestLab.newPrefix();
        src = p + "-src";
        gwa = p + "-gwa";
        transit = p + "-tr";
        gwb = p + "-gwb";
        rx1 = p + "-rx1";
        rx2 = p + "-rx2";
        namespaces = List.of(src, gwa, transit, gwb, rx1, rx2);
        try {
            build();
        } catch (Exception | AssertionError e) {
            close();
            throw e;
        }
        keyFile = dir.resolve("tunnel.key");
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        Files.writeString(keyFile, Base64.getEncoder().encodeToString(key) + "\n");
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
    }

    private void build() throws Exception {
        for (String ns : namespaces) {
            TestLab.run("ip", "netns", "add", ns);
            TestLab.run("ip", "-n", ns, "link", "set", "lo", "up");
            boolean six = ipv6 && !ns.equals(transit);
            sysctl(ns, "net.ipv6.conf.all.disable_ipv6", six ? "0" : "1");
            sysctl(ns, "net.ipv6.conf.default.disable_ipv6", six ? "0" : "1");
            if (six) {
                sysctl(ns, "net.ipv6.conf.all.accept_dad", "0");
                sysctl(ns, "net.ipv6.conf.default.accept_dad", "0");
            }
            sysctl(ns, "net.ipv4.conf.all.rp_filter", "0");
            sysctl(ns, "net.ipv4.conf.default.rp_filter", "0");
        }
        link(src, "eth0", "10.1.0.10/24", gwa, "lan0", "10.1.0.1/24");
        link(gwa, "wan0", "10.9.1.1/24", transit, "a0", "10.9.1.254/24");
        link(transit, "b0", "10.9.2.254/24", gwb, "wan0", "10.9.2.1/24");
        link(gwb, "down1", "10.2.1.1/24", rx1, "eth0", "10.2.1.10/24");
        link(gwb, "down2", "10.2.2.1/24", rx2, "eth0", "10.2.2.10/24");
        if (ipv6) {
            TestLab.run("ip", "-n", src, "addr", "add", SOURCE6 + "/64", "dev", "eth0", "nodad");
            TestLab.run("ip", "-n", gwa, "addr", "add", "fd00:1::1/64", "dev", "lan0", "nodad");
            TestLab.run("ip", "-n", gwb, "addr", "add", "fd00:21::1/64", "dev", "down1", "nodad");
            TestLab.run("ip", "-n", gwb, "addr", "add", "fd00:22::1/64", "dev", "down2", "nodad");
            TestLab.run("ip", "-n", rx1, "addr", "add", RX1_6 + "/64", "dev", "eth0", "nodad");
            TestLab.run("ip", "-n", rx2, "addr", "add", "fd00:22::10/64", "dev", "eth0", "nodad");
        }
        sysctl(transit, "net.ipv4.ip_forward", "1");
        TestLab.run("ip", "-n", gwa, "route", "add", "10.9.2.0/24", "via", "10.9.1.254");
        TestLab.run("ip", "-n", gwb, "route", "add", "10.9.1.0/24", "via", "10.9.2.254");
        for (String host : List.of(src, rx1, rx2)) {
            TestLab.run("ip", "-n", host, "route", "add", "224.0.0.0/4", "dev", "eth0");
            // A user-space forwarder passes on what the sender put on the wire: full checksums only.
            TestLab.run("ip", "netns", "exec", host, "ethtool", "-K", "eth0", "tx", "off");
        }
    }

    private static void link(String ns1, String if1, String addr1, String ns2, String if2, String addr2)
            throws Exception {
        // Created in place: no name in the root namespace that another lab could collide with.
        TestLab.run("ip", "link", "add", if1, "netns", ns1, "type", "veth", "peer", "name", if2, "netns", ns2);
        TestLab.run("ip", "-n", ns1, "addr", "add", addr1, "dev", if1);
        TestLab.run("ip", "-n", ns2, "addr", "add", addr2, "dev", if2);
        TestLab.run("ip", "-n", ns1, "link", "set", if1, "up");
        TestLab.run("ip", "-n", ns2, "link", "set", if2, "up");
    }

    private static void sysctl(String ns, String key, String value) throws Exception {
        TestLab.run("ip", "netns", "exec", ns, "sysctl", "-q", "-w", key + "=" + value);
    }

    /** Gateway A's file: the exchange LAN upstream, and the tunnel with extra lines (no tunnel if null). */
    String gatewayAConfig(String tunnelExtra) {
        return """
                interface lan0 {
                    role upstream
                }
                """ + (tunnelExtra == null ? "" : tunnelBlock(true, tunnelExtra));
    }

    /** Gateway B's file: two receiver LANs with quick IGMP timers, and the tunnel with extra lines. */
    String gatewayBConfig(String tunnelExtra) {
        return """
                defaults {
                    query-interval 20s
                    query-response-interval 2s
                    last-member-query-interval 300ms
                    last-member-query-count 2
                }
                interface down1 {
                    role downstream
                }
                interface down2 {
                    role downstream
                }
                """ + tunnelBlock(false, tunnelExtra);
    }

    /** A tunnel block for gateway A (role downstream) or B (role upstream), with extra lines. */
    String tunnelBlock(boolean a, String extra) {
        return """
                tunnel tun0 {
                    role %s
                    local %s:%d
                    peer %s:%d
                    key-file %s
                %s
                }
                """.formatted(
                        a ? "downstream" : "upstream",
                        a ? A_WAN : B_WAN,
                        TUNNEL_PORT,
                        a ? B_WAN : A_WAN,
                        TUNNEL_PORT,
                        keyFile,
                        extra);
    }

    /**
     * Starts {@code mcgate ARGS...} in a namespace, output to a log file; ended by {@link #close()}. A {@code run}
     * without {@code --control-socket} gets {@link TestLab#controlSocketFor} its log.
     */
    Process start(String ns, Path log, String... args) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(
                "ip", "netns", "exec", ns, java, "-cp", System.getProperty("java.class.path"), "dev.mcgate.cli.Main"));
        command.addAll(List.of(args));
        if (args.length > 0 && args[0].equals("run") && !List.of(args).contains("--control-socket")) {
            // Each gateway its own control socket beside its log, as TestLab gives every daemon: the default path
            // is shared by every namespace, and the control commands of the tests reach each gateway through it.
            command.addAll(
                    List.of("--control-socket", TestLab.controlSocketFor(log).toString()));
        }
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        track(() -> stop(process));
        return process;
    }

    /** SIGTERM and wait: the daemon logs its counters on the way out. */
    static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** Any command in a namespace, running until {@link #close()} (or its own end); output to a file. */
    Process startCommand(String ns, Path log, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        track(() -> stop(process));
        return process;
    }

    /** A kernel-joined receiver socket in {@code ns} (eth0), as an application has. */
    DatagramChannel join(String ns, Ip4 group, int port) throws IOException {
        DatagramChannel channel = Netns.call(ns, () -> {
            DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET);
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            ch.bind(new InetSocketAddress(port));
            ch.join(InetAddress.getByAddress(group.toBytes()), NetworkInterface.getByName("eth0"));
            return ch;
        });
        track(channel);
        return channel;
    }

    /** A kernel-joined IPv6 receiver socket in {@code ns} (eth0): its join is the kernel's MLDv2 report. */
    DatagramChannel join6(String ns, dev.mcgate.net.Ip6 group, int port) throws IOException {
        DatagramChannel channel = Netns.call(ns, () -> {
            DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET6);
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            ch.bind(new InetSocketAddress(port));
            ch.join(InetAddress.getByAddress(group.toBytes()), NetworkInterface.getByName("eth0"));
            return ch;
        });
        track(channel);
        return channel;
    }

    /** The next datagram's payload on a receiver socket, or empty after the timeout. */
    static Optional<byte[]> receive(DatagramChannel channel, long timeoutMs) throws IOException {
        channel.socket().setSoTimeout((int) timeoutMs);
        java.net.DatagramPacket packet = new java.net.DatagramPacket(new byte[65536], 65536);
        try {
            channel.socket().receive(packet);
        } catch (java.net.SocketTimeoutException e) {
            return Optional.empty();
        }
        return Optional.of(java.util.Arrays.copyOf(packet.getData(), packet.getLength()));
    }

    /** A UDP socket in {@code ns}, for sending; closed with the lab. */
    DatagramChannel udp(String ns) throws IOException {
        DatagramChannel channel = Netns.call(ns, () -> DatagramChannel.open(StandardProtocolFamily.INET));
        track(channel);
        return channel;
    }

    static void send(DatagramChannel channel, byte[] payload, Ip4 to, int port) throws IOException {
        channel.send(ByteBuffer.wrap(payload), new InetSocketAddress(InetAddress.getByAddress(to.toBytes()), port));
    }

    /** A pcap port inside a namespace (capture and injection); closed with the lab. */
    InterfacePort openPcap(String ns, String ifName, CaptureFilter filter, FrameHandler handler) throws IOException {
        InterfacePort port = Netns.call(ns, () -> {
            NetInterface nif = new SystemInterfaces()
                    .find(ifName)
                    .orElseThrow(() -> new IOException("no interface " + ifName + " in " + ns));
            return new PcapPacketIo().open(nif, filter, handler);
        });
        track(port);
        return port;
    }

    NetInterface netInterface(String ns, String ifName) throws IOException {
        return Netns.call(
                ns,
                () -> new SystemInterfaces()
                        .find(ifName)
                        .orElseThrow(() -> new IOException("no interface " + ifName + " in " + ns)));
    }

    private void track(AutoCloseable resource) {
        resources.add(resource);
    }

    @Override
    public void close() throws Exception {
        resources.closeAll(); // a failure must not keep the namespaces: they go whatever happened
        for (String ns : namespaces) {
            new ProcessBuilder("ip", "netns", "del", ns)
                    .redirectErrorStream(true)
                    .start()
                    .waitFor(10, TimeUnit.SECONDS);
        }
    }
}
