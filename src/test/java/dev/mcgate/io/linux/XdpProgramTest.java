package dev.mcgate.io.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The XDP program, run through an eBPF interpreter with the verifier's bounds rule: IPv4 UDP to a group outside
 * 224.0.0.0/24 goes to the socket of its receive queue; everything else, and a queue without a socket, goes to the
 * kernel; a frame too short for the headers read is never read past its end.
 */
class XdpProgramTest {

    private static final int MAP_FD = 7;
    private static final byte[] PROGRAM = XdpProgram.redirectMulticast(MAP_FD);
    private static final Set<Integer> QUEUES_0_AND_1 = Set.of(0, 1);

    private static byte[] frame(int etherType, int protocol, String destination) {
        ByteBuffer b = ByteBuffer.allocate(14 + 20 + 8 + 16);
        b.put(new byte[] {1, 0, 0x5e, 1, 1, 1, 2, 0, 0, 0, 0, 1}).putShort((short) etherType);
        b.put((byte) 0x45)
                .put((byte) 0)
                .putShort((short) 44)
                .putInt(0)
                .put((byte) 8)
                .put((byte) protocol);
        b.putShort((short) 0).putInt(0xc000020a);
        for (String octet : destination.split("\\.")) {
            b.put((byte) Integer.parseInt(octet));
        }
        return b.array();
    }

    /** An Ethernet frame with an IPv6 header (next header {@code nextHeader}) to {@code destination}, and 8 octets. */
    private static byte[] frame6(int nextHeader, String destination) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(14 + 40 + 8);
        b.put(new byte[] {0x33, 0x33, 0, 0, 0, 1, 2, 0, 0, 0, 0, 1}).putShort((short) 0x86dd);
        b.putInt(0x60000000).putShort((short) 8).put((byte) nextHeader).put((byte) 8);
        b.put(java.net.InetAddress.getByName("fd00:0:2::10").getAddress());
        b.put(java.net.InetAddress.getByName(destination).getAddress());
        return b.array();
    }

    private static ExtendedBpf.Verdict run(byte[] frame, int queue) {
        return ExtendedBpf.run(PROGRAM, MAP_FD, frame, queue, QUEUES_0_AND_1);
    }

    @ParameterizedTest(name = "UDP to {0} -> {1}")
    @CsvSource({
        "239.1.1.1, 4",
        "224.0.1.1, 4",
        "224.1.0.0, 4",
        "225.0.0.1, 4",
        "239.255.255.250, 4",
        "232.1.2.3, 4",
        "224.0.0.1, 2",
        "224.0.0.251, 2",
        "224.0.0.255, 2",
        "192.0.2.1, 2",
        "240.0.0.1, 2",
        "223.255.255.255, 2"
    })
    void onlyGroupsOutsideLocalNetworkControlAreTaken(String group, int action) {
        assertEquals(action, run(frame(0x0800, 17, group), 0).action());
    }

    @ParameterizedTest(name = "IPv6 UDP to {0} -> {1}")
    @CsvSource({
        "ff0e::1:2, 4",
        "ff3e::8000:1, 4",
        "ff15::46:1, 4",
        "ff05::1:3, 4",
        "ff03::1, 4",
        "ff02::fb, 2",
        "ff02::1, 2",
        "ff01::1, 2",
        "ff00::1, 2",
        "ff12::1, 2",
        "fd00:0:100::10, 2",
        "fe80::1, 2"
    })
    void onlyIpv6GroupsOfRealmScopeOrWiderAreTaken(String group, int action) throws Exception {
        assertEquals(action, run(frame6(17, group), 0).action());
    }

    @ParameterizedTest(name = "IPv6 next header {0} to a group passes")
    @CsvSource({"0", "58", "6", "44"})
    void ipv6OtherThanUdpRightAfterTheHeaderPasses(int nextHeader) throws Exception {
        // 0 (hop-by-hop) and 58 (ICMPv6) above all: MLD reaches the packet socket; 44: a fragment header.
        assertEquals(
                ExtendedBpf.XDP_PASS, run(frame6(nextHeader, "ff0e::1:2"), 0).action());
    }

    @Test
    void ipv6FramesShorterThanTheHeadersPassWithoutAReadPastTheirEnd() throws Exception {
        byte[] whole = frame6(17, "ff0e::1:2");
        for (int length = 0; length < 14 + 40; length++) {
            assertEquals(
                    ExtendedBpf.XDP_PASS,
                    run(java.util.Arrays.copyOf(whole, length), 0).action(),
                    "length " + length);
        }
        assertEquals(
                ExtendedBpf.XDP_REDIRECT,
                run(java.util.Arrays.copyOf(whole, 54), 0).action());
    }

    @Test
    void aTakenFrameGoesToTheSocketOfTheQueueItArrivedOn() {
        assertEquals(new ExtendedBpf.Verdict(ExtendedBpf.XDP_REDIRECT, 1), run(frame(0x0800, 17, "239.1.1.1"), 1));
    }

    @Test
    void aQueueWithoutASocketLeavesTheFrameToTheKernel() {
        assertEquals(new ExtendedBpf.Verdict(ExtendedBpf.XDP_PASS, 5), run(frame(0x0800, 17, "239.1.1.1"), 5));
    }

    @ParameterizedTest(name = "protocol {0} to a group passes")
    @CsvSource({"2", "6", "1", "103"})
    void otherProtocolsPass(int protocol) {
        // IGMP (2) above all: the querier and the proxy read it from the packet socket.
        assertEquals(
                ExtendedBpf.XDP_PASS,
                run(frame(0x0800, protocol, "239.1.1.1"), 0).action());
    }

    @ParameterizedTest(name = "EtherType {0} passes")
    @CsvSource({"0x86dd", "0x8100", "0x0806", "0x88a8"})
    void otherEtherTypesPass(String etherType) {
        assertEquals(
                ExtendedBpf.XDP_PASS,
                run(frame(Integer.decode(etherType), 17, "239.1.1.1"), 0).action());
    }

    @Test
    void framesLongerThanAUmemFrameHoldsPassToThePacketSocketWhole() {
        byte[] whole = frame(0x0800, 17, "239.1.1.1");
        // A UMEM chunk of 2048 octets less the kernel's 256 of headroom: 1792 fit, 1793 would be dropped there.
        assertEquals(
                ExtendedBpf.XDP_REDIRECT,
                run(java.util.Arrays.copyOf(whole, 1792), 0).action());
        assertEquals(
                ExtendedBpf.XDP_PASS,
                run(java.util.Arrays.copyOf(whole, 1793), 0).action());
        assertEquals(
                ExtendedBpf.XDP_PASS,
                run(java.util.Arrays.copyOf(whole, 9014), 0).action());
    }

    @Test
    void framesShorterThanTheHeadersPassWithoutAReadPastTheirEnd() {
        byte[] whole = frame(0x0800, 17, "239.1.1.1");
        for (int length = 0; length < 14 + 20; length++) {
            byte[] cut = java.util.Arrays.copyOf(whole, length);
            assertEquals(ExtendedBpf.XDP_PASS, run(cut, 0).action(), "length " + length);
        }
        assertEquals(
                ExtendedBpf.XDP_REDIRECT,
                run(java.util.Arrays.copyOf(whole, 34), 0).action());
    }
}
