package dev.mcgate.lab;

import dev.mcgate.daemon.Tunnels;
import dev.mcgate.net.Ip4;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

/**
 * The benchmark's second path: mcgate's tunnel between two gateways, added beside the bench lab so that it is measured
 * from the same source, in the same rounds and with the same CPU split as plain forwarding.
 *
 * <pre>
 *  [src] eth0 --- up0 [rtr: gateway A] wan0 ===== wan0 [gwb: gateway B] down1 --- eth0 [rxt]
 *                              198.18.0.1       198.18.0.2          198.18.1.1     198.18.1.10
 * </pre>
 *
 * <p>The router namespace is gateway A: the plain forwarders ignore wan0 (it is not in their configuration). The
 * link between the gateways carries unicast only, as a network that does not route multicast would: the tunnel's UDP
 * datagrams. 198.18.0.0/15 is the range set aside for benchmarks (RFC 2544): it exists only inside the namespaces.
 * Both gateways run on the router CPU, and gateway B's ingress softirq is steered there too, so the tunnel's figures
 * are the cost of both ends on one CPU against one router's for plain forwarding.
 */
final class BenchTunnelPath {

    static final String TUNNEL = "bench";
    static final String WAN_IF = "wan0";
    static final String GATEWAY_B_DOWNSTREAM = "down1";
    static final int PORT = 7400;
    private static final String A_WAN = "198.18.0.1";
    private static final String B_WAN = "198.18.0.2";
    private static final String B_LAN = "198.18.1.1";
    private static final String RECEIVER = "198.18.1.10";

    private BenchTunnelPath() {
    }

    static String gatewayB(LabTopology topology) {
        return topology.namespace(LabTopology.GATEWAY_B_ROLE);
    }

    /** The receiver behind gateway B. */
    static String receiver(LabTopology topology) {
        return topology.namespace(LabTopology.TUNNEL_RECEIVER_ROLE);
    }

    static List<String> namespaces(LabTopology topology) {
        return List.of(gatewayB(topology), receiver(topology));
    }

    /** What gateway A logs when its session with gateway B is up: the tunnel carries from then on. */
    static String peerUpLine() {
        return Tunnels.peerUpLine(TUNNEL, Ip4.parse(B_WAN), PORT);
    }

    /** Adds gateway B and its receiver to the bench lab (whose router is gateway A) and writes the tunnel's key. */
    static void up(LabTopology topology, Path directory) throws LabException {
        remove(topology);
        String rtr = topology.router();
        String gwb = gatewayB(topology);
        String rxt = receiver(topology);
        for (String ns : namespaces(topology)) {
            Shell.run("ip", "netns", "add", ns);
            Shell.run("ip", "-n", ns, "link", "set", "lo", "up");
            // The source's datagrams reach the receiver from gateway B's LAN, not the way back to the source's subnet
            // (its default route): strict reverse-path filtering would drop them.
            Lab.sysctl(ns, "net.ipv4.conf.all.rp_filter", "0");
            Lab.sysctl(ns, "net.ipv4.conf.default.rp_filter", "0");
            Lab.sysctl(ns, "net.ipv6.conf.all.disable_ipv6", "1");
            Lab.sysctl(ns, "net.ipv6.conf.default.disable_ipv6", "1");
        }
        link(rtr, WAN_IF, A_WAN, gwb, WAN_IF, B_WAN);
        link(gwb, GATEWAY_B_DOWNSTREAM, B_LAN, rxt, LabTopology.HOST_IF, RECEIVER);
        Lab.sysctl(rxt, "net.ipv4.conf." + LabTopology.HOST_IF + ".rp_filter", "0");
        Shell.run("ip", "-n", rxt, "route", "add", "224.0.0.0/4", "dev", LabTopology.HOST_IF);
        Shell.run("ip", "-n", rxt, "route", "add", "default", "via", B_LAN);
        BenchLab.rps(gwb, WAN_IF, 1 << BenchProcesses.ROUTER_CPU);
        BenchLab.rps(rxt, LabTopology.HOST_IF, 1);
        writeKey(keyFile(directory));
    }

    private static void link(String nsA, String ifA, String addressA, String nsB, String ifB, String addressB)
            throws LabException {
        Shell.run("ip", "-n", nsA, "link", "add", ifA, "type", "veth", "peer", "name", ifB, "netns", nsB);
        Shell.run("ip", "-n", nsA, "addr", "add", addressA + "/24", "dev", ifA);
        Shell.run("ip", "-n", nsB, "addr", "add", addressB + "/24", "dev", ifB);
        Shell.run("ip", "-n", nsA, "link", "set", ifA, "up");
        Shell.run("ip", "-n", nsB, "link", "set", ifB, "up");
    }

    /** 32 random octets in base64, readable by root only: what an operator puts on both gateways. */
    private static void writeKey(Path file) throws LabException {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        try {
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, Base64.getEncoder().encodeToString(key) + "\n");
        } catch (IOException e) {
            throw new LabException("cannot write the tunnel key " + file + ": " + e.getMessage());
        }
    }

    static Path keyFile(Path directory) {
        return directory.resolve("tunnel.key");
    }

    /** Gateway A: the source LAN upstream, the tunnel downstream; the plain lab's downstreams are left alone. */
    static String gatewayAConfig(LabTopology topology, Path directory) {
        return """
                # gateway A of the benchmark's tunnel path, lab '%s' (written by 'mcgate lab bench')
                log-level info
                control-socket %s
                interface %s {
                    role upstream
                }
                tunnel %s {
                    role downstream
                    local %s:%d
                    peer %s:%d
                    key-file %s
                }
                """.formatted(topology.prefix(), directory.resolve("gateway-a.sock"), LabTopology.UPSTREAM_IF, TUNNEL,
                A_WAN, PORT, B_WAN, PORT, keyFile(directory));
    }

    /** Gateway B: the tunnel upstream, its receiver's LAN downstream. */
    static String gatewayBConfig(LabTopology topology, Path directory) {
        return """
                # gateway B of the benchmark's tunnel path, lab '%s' (written by 'mcgate lab bench')
                log-level info
                control-socket %s
                tunnel %s {
                    role upstream
                    local %s:%d
                    peer %s:%d
                    key-file %s
                }
                interface %s {
                    role downstream
                }
                """.formatted(topology.prefix(), directory.resolve("gateway-b.sock"), TUNNEL, B_WAN, PORT, A_WAN,
                PORT, keyFile(directory), GATEWAY_B_DOWNSTREAM);
    }

    /** Removes gateway B and the receiver behind it, with whatever still runs there. */
    static void remove(LabTopology topology) throws LabException {
        List<String> failures = Lab.removeNamespaces(namespaces(topology));
        if (!failures.isEmpty()) {
            throw new LabException("could not remove " + String.join("; ", failures));
        }
    }
}
