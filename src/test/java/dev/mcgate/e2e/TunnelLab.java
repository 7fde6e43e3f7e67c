package dev.mcgate.e2e;

import dev.mcgate.io.linux.Netns;
import dev.mcgate.lab.Lab;
import dev.mcgate.net.Ip4;
import dev.mcgate.net.Ip6;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Two mcgate gateways joined by a kernel tunnel across a transit network that routes unicast only:
 *
 * <pre>
 *  [src] eth0 -- up0 [gwa] wan0 -- a0 [tr] b0 -- wan0 [gwb] down1 -- eth0 [rx1]
 *  192.0.2.10  192.0.2.1  10.1.0.1   10.1.0.2 10.2.0.2  10.2.0.1  198.51.100.1  .10
 *                         TUNNEL 10.9.0.1 ======================== TUNNEL 10.9.0.2
 *                                                                 down2 -- eth0 [rx2]
 *                                                                 203.0.113.1   .10
 * </pre>
 *
 * Gateway A has the source LAN upstream and the tunnel downstream; gateway B the tunnel upstream and the two receiver
 * LANs downstream. The tunnel is VXLAN with a unicast remote (Ethernet), kernel GRE (raw IP, where the kernel has it),
 * or a tun device on each side with a {@link TunRelay} carrying its packets over UDP (raw IP, a VPN daemon's shape).
 * Namespaces carry a {@link TestLab#newPrefix()} name, so the leftovers check sees any this lab fails to remove.
 *
 * <p>Dual-stack ({@link #upDualStack}): the gateways and hosts have IPv6 too, a ULA /64 on each LAN ({@link
 * #lan6}), the tunnel a link-local address on each end (the kernel's on VXLAN, {@link #TUNNEL_A6}/{@link #TUNNEL_B6}
 * on the tun devices), no DAD; the transit stays IPv4-only.
 */
final class TunnelLab implements AutoCloseable {

    enum Kind {
        VXLAN,
        TUN,
        GRE
    }

    static final String TUNNEL_IF = "tun0";
    static final String VXLAN_IF = "vx0";
    static final String GRE_IF = "gre1";
    static final String HOST_IF = "eth0";
    static final String TRANSIT_IF = "a0";
    static final Ip4 SOURCE = Ip4.parse("192.0.2.10");
    static final int RELAY_PORT = 4000;
    /** Gateway A's and gateway B's addresses on the tunnel. */
    static final Ip4 TUNNEL_A = Ip4.parse("10.9.0.1");

    static final Ip4 TUNNEL_B = Ip4.parse("10.9.0.2");

    /** The tun devices' link-local addresses when dual-stack: a tun device has no MAC to derive one from. */
    static final Ip6 TUNNEL_A6 = Ip6.parse("fe80::a");

    static final Ip6 TUNNEL_B6 = Ip6.parse("fe80::b");
    /** The source's IPv6 address when dual-stack: not link-local, so the gateways may forward its datagrams. */
    static final Ip6 SOURCE6 = Ip6.parse("fd00:0:2::10");

    final String src;
    final String gwa;
    final String transit;
    final String gwb;
    final String rx1;
    final String rx2;
    private final Kind kind;
    private final boolean dualStack;
    private final List<String> namespaces;
    private final OpenedResources resources = new OpenedResources();

    private TunnelLab(String prefix, Kind kind, boolean dualStack) {
        this.kind = kind;
        this.dualStack = dualStack;
        src = prefix + "-src";
        gwa = prefix + "-gwa";
        transit = prefix + "-tr";
        gwb = prefix + "-gwb";
        rx1 = prefix + "-rx1";
        rx2 = prefix + "-rx2";
        namespaces = List.of(src, gwa, transit, gwb, rx1, rx2);
    }

    /** The tunnel interface's name on both gateways. */
    String tunnelIf() {
        return switch (kind) {
            case VXLAN -> VXLAN_IF;
            case TUN -> TUNNEL_IF;
            case GRE -> GRE_IF;
        };
    }

    /** The tunnel's MTU: the kernel's for VXLAN (1500 - 50) and GRE (1500 - 24), the VPN-like 1400 set on tun. */
    int tunnelMtu() {
        return switch (kind) {
            case VXLAN -> 1450;
            case TUN -> 1400;
            case GRE -> 1476;
        };
    }

    /** Sends one UDP datagram from the source host to a group, as an application would. */
    void sendFromSource(Ip4 group, int port, byte[] payload, int ttl) throws IOException {
        Netns.call(src, () -> {
            try (DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET)) {
                ch.setOption(StandardSocketOptions.IP_MULTICAST_IF, NetworkInterface.getByName(HOST_IF));
                ch.setOption(StandardSocketOptions.IP_MULTICAST_TTL, ttl);
                ch.send(
                        java.nio.ByteBuffer.wrap(payload),
                        new InetSocketAddress(InetAddress.getByAddress(group.toBytes()), port));
            }
            return null;
        });
    }

    /**
     * Whether this kernel can create the tunnel kind at all: empty if it can, else the reason (the failing command's
     * output). Tried in a namespace of its own, removed again.
     */
    static String unsupported(Kind kind) throws IOException, InterruptedException {
        if (kind != Kind.GRE) {
            return "";
        }
        String ns = TestLab.newPrefix() + "-probe";
        TestLab.run("ip", "netns", "add", ns);
        try {
            Process p = new ProcessBuilder(
                            "ip",
                            "-n",
                            ns,
                            "link",
                            "add",
                            "probe0",
                            "type",
                            "gre",
                            "local",
                            "10.1.0.1",
                            "remote",
                            "10.2.0.1")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            return p.waitFor() == 0 ? "" : "ip link add type gre failed: " + out;
        } finally {
            TestLab.run("ip", "netns", "del", ns);
        }
    }

    static TunnelLab up(Kind kind) throws Exception {
        return up(kind, false);
    }

    /** As {@link #up}, with IPv6 on the gateways, the hosts, their LANs and the tunnel. */
    static TunnelLab upDualStack(Kind kind) throws Exception {
        return up(kind, true);
    }

    private static TunnelLab up(Kind kind, boolean dualStack) throws Exception {
        TunnelLab lab = new TunnelLab(TestLab.newPrefix(), kind, dualStack);
        try {
            lab.build();
        } catch (Exception | AssertionError e) {
            try {
                lab.close();
            } catch (Exception cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        return lab;
    }

    private void build() throws Exception {
        for (String ns : namespaces) {
            run("ip", "netns", "add", ns);
            run("ip", "-n", ns, "link", "set", "lo", "up");
            sysctl(ns, "net.ipv4.conf.all.rp_filter", "0");
            sysctl(ns, "net.ipv4.conf.default.rp_filter", "0");
            boolean ipv6 = dualStack && !ns.equals(transit);
            for (String scope : List.of("all", "default")) {
                String conf = "net.ipv6.conf." + scope + ".";
                sysctl(ns, conf + "disable_ipv6", ipv6 ? "0" : "1");
                if (ipv6) {
                    // As the lab's namespaces: addresses usable at once (MLD needs the link-local one), no kernel
                    // IPv6 forwarding beside mcgate's, no router solicitations in the captures.
                    sysctl(ns, conf + "accept_dad", "0");
                    sysctl(ns, conf + "forwarding", "0");
                    sysctl(ns, conf + "accept_ra", "0");
                    sysctl(ns, conf + "router_solicitations", "0");
                }
            }
        }
        link(src, HOST_IF, "192.0.2.10/24", gwa, "up0", "192.0.2.1/24");
        link(gwa, "wan0", "10.1.0.1/24", transit, TRANSIT_IF, "10.1.0.2/24");
        link(transit, "b0", "10.2.0.2/24", gwb, "wan0", "10.2.0.1/24");
        link(gwb, "down1", "198.51.100.1/24", rx1, HOST_IF, "198.51.100.10/24");
        link(gwb, "down2", "203.0.113.1/24", rx2, HOST_IF, "203.0.113.10/24");
        if (dualStack) {
            address6(src, HOST_IF, SOURCE6 + "/64");
            address6(gwa, "up0", lan6(2, 1));
            address6(gwb, "down1", lan6(51, 1));
            address6(rx1, HOST_IF, lan6(51, 10));
            address6(gwb, "down2", lan6(113, 1));
            address6(rx2, HOST_IF, lan6(113, 10));
        }
        // The transit routes unicast only: no multicast routing daemon there, so multicast cannot cross it.
        sysctl(transit, "net.ipv4.ip_forward", "1");
        run("ip", "-n", gwa, "route", "add", "default", "via", "10.1.0.2");
        run("ip", "-n", gwb, "route", "add", "default", "via", "10.2.0.2");
        for (String[] host : new String[][] {{src, "192.0.2.1"}, {rx1, "198.51.100.1"}, {rx2, "203.0.113.1"}}) {
            run("ip", "-n", host[0], "route", "add", "224.0.0.0/4", "dev", HOST_IF);
            run("ip", "-n", host[0], "route", "add", "default", "via", host[1]);
            // Full UDP checksums from lab hosts (see DESIGN: veth TX checksum offload).
            run("ip", "netns", "exec", host[0], "ethtool", "-K", HOST_IF, "tx", "off");
        }
        switch (kind) {
            case VXLAN -> {
                vxlan(gwa, "10.1.0.1", "10.2.0.1", "10.9.0.1/24");
                vxlan(gwb, "10.2.0.1", "10.1.0.1", "10.9.0.2/24");
            }
            case GRE -> {
                gre(gwa, "10.1.0.1", "10.2.0.1", "10.9.0.1", "10.9.0.2");
                gre(gwb, "10.2.0.1", "10.1.0.1", "10.9.0.2", "10.9.0.1");
            }
            case TUN -> {
                track(TunRelay.open(
                        gwa, TUNNEL_IF, TunRelay.at("10.1.0.1", RELAY_PORT), TunRelay.at("10.2.0.1", RELAY_PORT)));
                track(TunRelay.open(
                        gwb, TUNNEL_IF, TunRelay.at("10.2.0.1", RELAY_PORT), TunRelay.at("10.1.0.1", RELAY_PORT)));
                // A VPN's tunnel: point to point, the peer's address on the far end, a smaller MTU.
                tunAddress(gwa, "10.9.0.1", "10.9.0.2", TUNNEL_A6);
                tunAddress(gwb, "10.9.0.2", "10.9.0.1", TUNNEL_B6);
            }
        }
    }

    private void link(String ns1, String if1, String addr1, String ns2, String if2, String addr2) throws Exception {
        run("ip", "-n", ns1, "link", "add", if1, "type", "veth", "peer", "name", if2, "netns", ns2);
        run("ip", "-n", ns1, "addr", "add", addr1, "dev", if1);
        run("ip", "-n", ns2, "addr", "add", addr2, "dev", if2);
        run("ip", "-n", ns1, "link", "set", if1, "up");
        run("ip", "-n", ns2, "link", "set", if2, "up");
    }

    private void vxlan(String ns, String local, String remote, String address) throws Exception {
        // A unicast remote: broadcast and multicast frames (IGMP, the data) go to the remote in unicast UDP.
        run(
                "ip", "-n", ns, "link", "add", VXLAN_IF, "type", "vxlan", "id", "42", "remote", remote, "local", local,
                "dstport", "4789", "dev", "wan0");
        run("ip", "-n", ns, "addr", "add", address, "dev", VXLAN_IF);
        run("ip", "-n", ns, "link", "set", VXLAN_IF, "up");
    }

    private void gre(String ns, String local, String remote, String address, String peer) throws Exception {
        run("ip", "-n", ns, "link", "add", GRE_IF, "type", "gre", "local", local, "remote", remote, "ttl", "64");
        run("ip", "-n", ns, "addr", "add", address, "peer", peer + "/32", "dev", GRE_IF);
        run("ip", "-n", ns, "link", "set", GRE_IF, "multicast", "on", "up");
    }

    /** A ULA address with prefix length on LAN {@code lan} (fd00:0:LAN::/64), host part {@code host}. */
    static String lan6(int lan, int host) {
        return "fd00:0:" + lan + "::" + host + "/64";
    }

    private void address6(String ns, String ifName, String address) throws Exception {
        run("ip", "-n", ns, "-6", "addr", "add", address, "dev", ifName, "nodad");
    }

    private void tunAddress(String ns, String address, String peer, Ip6 linkLocal) throws Exception {
        run("ip", "-n", ns, "addr", "add", address, "peer", peer + "/32", "dev", TUNNEL_IF);
        if (dualStack) {
            // Our own link-local address only: the kernel would otherwise add a random one of its own beside it.
            run("ip", "-n", ns, "link", "set", TUNNEL_IF, "addrgenmode", "none");
            address6(ns, TUNNEL_IF, linkLocal + "/64");
        }
        run("ip", "-n", ns, "link", "set", TUNNEL_IF, "mtu", "1400", "multicast", "off", "up");
    }

    /** Starts {@code mcgate ARGS...} in a namespace, from the test class path, output to a log file. */
    Process startMcgate(String ns, Path log, String... args) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        // Every IGMP message heard, so a failure's log shows where time went (lines carry the time already).
        List<String> command = new ArrayList<>(List.of(
                "ip",
                "netns",
                "exec",
                ns,
                java,
                "-Dmcgate.log.dev.mcgate.daemon.IgmpIntake=debug",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.mcgate.cli.Main"));
        command.addAll(List.of(args));
        if (args.length > 0 && args[0].equals("run") && !List.of(args).contains("--control-socket")) {
            // Its own control socket beside its log: on the default path, two gateways (or any other mcgate on the
            // host) would make the second refuse to start.
            command.addAll(
                    List.of("--control-socket", TestLab.controlSocketFor(log).toString()));
        }
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        track(() -> {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        });
        return p;
    }

    /** A receiver socket in {@code ns} joined to the group on eth0 by the kernel's IGMP host stack. */
    DatagramChannel join(String ns, Ip4 group, int port) throws IOException {
        DatagramChannel channel = Netns.call(ns, () -> {
            DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET);
            try {
                ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                ch.bind(new InetSocketAddress(port));
                ch.join(InetAddress.getByAddress(group.toBytes()), NetworkInterface.getByName(HOST_IF));
                return ch;
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
        });
        track(channel);
        return channel;
    }

    /** A receiver socket in {@code ns} joined to an IPv6 group on eth0 by the kernel's MLD host stack (MLDv2). */
    DatagramChannel join6(String ns, Ip6 group, int port) throws IOException {
        DatagramChannel channel = Netns.call(ns, () -> {
            DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET6);
            try {
                ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                ch.bind(new InetSocketAddress(port));
                ch.join(InetAddress.getByAddress(group.toBytes()), NetworkInterface.getByName(HOST_IF));
                return ch;
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
        });
        track(channel);
        return channel;
    }

    TunnelCapture capture(String ns, String ifName, TunnelCapture.Mode mode) throws IOException {
        TunnelCapture c = TunnelCapture.start(ns, ifName, mode);
        track(c);
        return c;
    }

    /** What the relays moved, for failure messages. */
    String relays() {
        return resources.open().stream()
                .filter(r -> r instanceof TunRelay)
                .map(r -> ((TunRelay) r).describe())
                .toList()
                .toString();
    }

    <T extends AutoCloseable> T track(T resource) {
        resources.add(resource);
        return resource;
    }

    private static void run(String... command) throws Exception {
        TestLab.run(command);
    }

    private static void sysctl(String ns, String key, String value) throws Exception {
        run("ip", "netns", "exec", ns, "sysctl", "-q", "-w", key + "=" + value);
    }

    /** Closes what was opened, newest first, ends any process left in the namespaces and removes them. */
    @Override
    public void close() throws Exception {
        Exception first = resources.closeAll();
        List<String> existing = Lab.existingNamespaces();
        for (String ns : namespaces) {
            if (!existing.contains(ns)) {
                continue;
            }
            for (long pid : Lab.pidsIn(ns)) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
            Process p = new ProcessBuilder("ip", "netns", "del", ns)
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            if (p.waitFor() != 0 && first == null) {
                first = new IOException("ip netns del " + ns + ": " + out);
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
