package dev.mcgate.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

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

    private BenchTunnelPath() {}

    static String gatewayB(LabTopology topology) {
        return topology.namespace(LabTopology.GATEWAY_B_ROLE);
    }

    /** The receiver behind gateway B. */
    static String receiver(LabTopology topology) {
        return topology.namespace(LabTopology.TUNNEL_RECEIVER_ROLE);
    }

    /** Gateway A's control socket: its tunnel's state is read there ({@link TunnelStateProbe}). */
    static Path gatewayASocket(Path directory) {
        return directory.resolve("gateway-a.sock");
    }

    /**
     * Adds gateway B and its receiver to the bench lab (whose router is gateway A) and writes the tunnel's key. A
     * leftover of either is removed with the rest of the lab first ({@link Lab#down}).
     */
    static void up(LabTopology topology, Path directory) throws LabException {
        String gwb = gatewayB(topology);
        String rxt = receiver(topology);
        // The source's datagrams reach the receiver from gateway B's LAN, not the way back to the source's subnet
        // (its default route): the lab's namespaces filter no reverse path.
        Lab.addNamespace(gwb);
        Lab.addNamespace(rxt);
        Lab.veth(topology.router(), WAN_IF, A_WAN + "/24", gwb, WAN_IF, B_WAN + "/24");
        Lab.veth(gwb, GATEWAY_B_DOWNSTREAM, B_LAN + "/24", rxt, LabTopology.HOST_IF, RECEIVER + "/24");
        Lab.sysctl(rxt, "net.ipv4.conf." + LabTopology.HOST_IF + ".rp_filter", "0");
        Shell.run("ip", "-n", rxt, "route", "add", "224.0.0.0/4", "dev", LabTopology.HOST_IF);
        Shell.run("ip", "-n", rxt, "route", "add", "default", "via", B_LAN);
        BenchLab.rps(gwb, WAN_IF, 1 << BenchProcesses.ROUTER_CPU);
        BenchLab.rps(rxt, LabTopology.HOST_IF, 1);
        writeKey(keyFile(directory));
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
        return header("A", topology, gatewayASocket(directory))
                + """
                interface %s {
                    role upstream
                }
                """.formatted(LabTopology.UPSTREAM_IF)
                + tunnelBlock("downstream", A_WAN, B_WAN, directory);
    }

    /** Gateway B: the tunnel upstream, its receiver's LAN downstream. */
    static String gatewayBConfig(LabTopology topology, Path directory) {
        return header("B", topology, directory.resolve("gateway-b.sock"))
                + tunnelBlock("upstream", B_WAN, A_WAN, directory)
                + """
                interface %s {
                    role downstream
                }
                """.formatted(GATEWAY_B_DOWNSTREAM);
    }

    private static String header(String gateway, LabTopology topology, Path controlSocket) {
        return """
                # gateway %s of the benchmark's tunnel path, lab '%s' (written by 'mcgate lab bench')
                log-level info
                control-socket %s
                """.formatted(gateway, topology.prefix(), controlSocket);
    }

    private static String tunnelBlock(String role, String local, String peer, Path directory) {
        return """
                tunnel %s {
                    role %s
                    local %s:%d
                    peer %s:%d
                    key-file %s
                }
                """.formatted(TUNNEL, role, local, PORT, peer, PORT, keyFile(directory));
    }
}
