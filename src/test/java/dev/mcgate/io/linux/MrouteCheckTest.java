package dev.mcgate.io.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Telling another multicast router from /proc and from what MRT_INIT answers, on a /proc tree made by hand and an
 * injected probe (no root, no kernel state): kernels with multicast routing and kernels built without it.
 */
class MrouteCheckTest {

    private static final String RAW = """
              sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
               2: 00000000:0002 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 4242 2 0000000000000000 0
               1: 00000000:0001 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 777 2 0000000000000000 0
            """;
    private static final String VIFS = """
            Interface      BytesIn  PktsIn  BytesOut PktsOut Flags Local    Remote
             0 eth0            0       0         0       0 00000 0100A8C0 00000000
             1 eth1         1500      10         0       0 00000 0101A8C0 00000000
            """;

    @TempDir
    Path proc;

    @Test
    void findsRawIgmpSocketsAndVifs() {
        assertEquals(Set.of(4242L), MrouteCheck.rawIgmpSocketInodes(RAW));
        assertEquals(List.of("eth0", "eth1"), MrouteCheck.vifNames(VIFS));
        assertEquals(List.of(), MrouteCheck.vifNames("Interface      BytesIn  PktsIn  BytesOut PktsOut Flags\n"));
    }

    @Test
    void namesTheHolderAndItsInterfaces() throws Exception {
        write("sys/net/ipv4/conf/all/mc_forwarding", "1\n");
        write("net/raw", RAW);
        write("net/ip_mr_vif", VIFS);
        write("1234/comm", "igmpproxy\n");
        Files.createDirectories(proc.resolve("1234/fd"));
        Files.createSymbolicLink(proc.resolve("1234/fd/3"), Path.of("socket:[4242]"));
        write("99/comm", "sshd\n");
        Files.createDirectories(proc.resolve("99/fd"));
        Files.createSymbolicLink(proc.resolve("99/fd/3"), Path.of("socket:[777]"));

        MrouteCheck.Result result = new MrouteCheck(proc, () -> MrouteCheck.Probe.NOT_PERMITTED).check();

        assertTrue(result.held());
        assertTrue(
                result.message().startsWith("igmpproxy (pid 1234) holds the kernel's multicast routing socket"),
                result.message());
        assertTrue(result.message().contains("forwarding on eth0, eth1"), result.message());
    }

    @Test
    void freeWhenTheKernelSaysNobodyForwards() throws Exception {
        write("sys/net/ipv4/conf/all/mc_forwarding", "0\n");
        write("net/ip_mr_vif", "Interface      BytesIn  PktsIn  BytesOut PktsOut Flags Local    Remote\n");
        MrouteCheck.Result result = new MrouteCheck(proc, () -> MrouteCheck.Probe.NOT_PERMITTED).check();
        assertEquals(MrouteCheck.State.FREE, result.state());
    }

    @Test
    void unknownWhenNothingCanBeRead() throws Exception {
        write("net/ip_mr_vif", "Interface      BytesIn  PktsIn  BytesOut PktsOut Flags Local    Remote\n");
        assertEquals(
                MrouteCheck.State.UNKNOWN,
                new MrouteCheck(proc, () -> MrouteCheck.Probe.NOT_PERMITTED)
                        .check()
                        .state());
    }

    /** A kernel with multicast routing: what MRT_INIT answers decides, whatever /proc says. */
    @Test
    void theProbeDecidesOnAKernelWithMulticastRouting() throws Exception {
        write("net/ip_mr_vif", VIFS);
        write("net/raw", RAW);
        write("sys/net/ipv4/conf/all/mc_forwarding", "1\n");

        assertEquals(
                MrouteCheck.State.FREE,
                new MrouteCheck(proc, () -> MrouteCheck.Probe.FREE).check().state());
        MrouteCheck.Result held = new MrouteCheck(proc, () -> MrouteCheck.Probe.HELD).check();
        assertTrue(held.held(), held.message());
        assertTrue(held.message().contains("forwarding on eth0, eth1"), held.message());
        assertTrue(new MrouteCheck(proc, () -> MrouteCheck.Probe.FREE).hasMulticastRouting());
    }

    /** A kernel built without CONFIG_IP_MROUTE: ENOPROTOOPT from MRT_INIT, and no ip_mr_vif in /proc. */
    @Test
    void aKernelWithoutMulticastRoutingCannotHaveAnotherRouter() throws Exception {
        MrouteCheck.Result refused = new MrouteCheck(proc, () -> MrouteCheck.Probe.NO_MROUTE).check();
        assertEquals(MrouteCheck.State.NO_MULTICAST_ROUTING, refused.state(), refused.message());
        assertTrue(refused.message().contains("CONFIG_IP_MROUTE"), refused.message());

        // Without the right to try MRT_INIT, the missing /proc/net/ip_mr_vif tells the same, even if a stale
        // mc_forwarding file said otherwise.
        write("sys/net/ipv4/conf/all/mc_forwarding", "1\n");
        MrouteCheck unprivileged = new MrouteCheck(proc, () -> MrouteCheck.Probe.NOT_PERMITTED);
        assertEquals(
                MrouteCheck.State.NO_MULTICAST_ROUTING, unprivileged.check().state());
        assertTrue(!unprivileged.hasMulticastRouting());
    }

    private void write(String path, String text) throws Exception {
        Path file = proc.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
