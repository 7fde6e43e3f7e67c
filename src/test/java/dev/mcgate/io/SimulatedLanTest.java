package dev.mcgate.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.io.NetInterface.Flags;
import dev.mcgate.net.Ip4;
import dev.mcgate.net.MacAddress;
import dev.mcgate.packet.LinkType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SimulatedLanTest {

    private static final Flags UP = new Flags(true, true, true, false, false);

    static NetInterface nif(String name, int index, boolean ethernet) {
        Optional<MacAddress> mac = ethernet ? Optional.of(new MacAddress(0x020000000000L | index)) : Optional.empty();
        return new NetInterface(name, index, mac, List.of(), 1500, UP);
    }

    /** An Ethernet + IPv4 frame with the given protocol and destination, padded to 60 bytes. */
    static byte[] frame(int protocol, Ip4 destination) {
        byte[] f = new byte[60];
        f[12] = 0x08;
        f[14] = 0x45;
        f[14 + 9] = (byte) protocol;
        System.arraycopy(destination.toBytes(), 0, f, 14 + 16, 4);
        return f;
    }

    @Test
    void aSentFrameReachesTheOtherPortsOfItsSegmentButNotItsSenderNorOtherSegments() throws IOException {
        SimulatedLan lan =
                new SimulatedLan().wire("a", "lan1").wire("b", "lan1").wire("c", "lan2");
        List<String> got = new ArrayList<>();
        InterfacePort a = lan.open(nif("a", 1, true), CaptureFilter.IGMP_AND_MULTICAST, (p, f, l) -> got.add("a"));
        lan.open(nif("b", 2, true), CaptureFilter.IGMP_AND_MULTICAST, (p, f, l) -> got.add("b"));
        lan.open(nif("c", 3, true), CaptureFilter.IGMP_AND_MULTICAST, (p, f, l) -> got.add("c"));

        byte[] f = frame(17, Ip4.of(239, 1, 1, 1));
        assertTrue(a.send(f, f.length));
        assertEquals(1, lan.deliverPending());

        assertEquals(List.of("b"), got);
        assertEquals(1, lan.log("lan1").size());
        assertArrayEquals(f, lan.log("lan1").get(0));
        assertEquals(0, lan.log("lan2").size());
        assertEquals(1, a.counters().sent());
    }

    @Test
    void eachPortAppliesItsCaptureFilter() throws IOException {
        SimulatedLan lan =
                new SimulatedLan().wire("igmp", "lan").wire("all", "lan").wire("none", "lan");
        List<String> got = new ArrayList<>();
        lan.open(nif("igmp", 1, true), CaptureFilter.IGMP, (p, f, l) -> got.add("igmp:" + (f[23] & 0xff)));
        lan.open(nif("all", 2, true), CaptureFilter.IGMP_AND_MULTICAST, (p, f, l) -> got.add("all:" + (f[23] & 0xff)));
        lan.open(nif("none", 3, true), CaptureFilter.NOTHING, (p, f, l) -> got.add("none"));

        lan.inject("lan", frame(2, Ip4.of(224, 0, 0, 22)));
        lan.inject("lan", frame(17, Ip4.of(239, 1, 1, 1)));
        lan.inject("lan", frame(17, Ip4.of(10, 0, 0, 1)));
        lan.deliverPending();

        assertEquals(List.of("igmp:2", "all:2", "all:17"), got);
    }

    @Test
    void aHandlerThatAnswersDoesNotRecurseAndItsAnswerIsDeliveredInTheSamePump() throws IOException {
        SimulatedLan lan = new SimulatedLan().wire("r", "lan").wire("h", "lan");
        List<Integer> hostGot = new ArrayList<>();
        InterfacePort router = lan.open(nif("r", 1, true), CaptureFilter.IGMP, (p, f, l) -> {
            byte[] answer = frame(2, Ip4.ALL_SYSTEMS);
            p.send(answer, answer.length);
        });
        lan.open(nif("h", 2, true), CaptureFilter.IGMP, (p, f, l) -> hostGot.add(f[23] & 0xff));

        lan.inject("lan", frame(2, Ip4.ALL_IGMPV3_ROUTERS));

        assertEquals(3, lan.deliverPending(), "to r and h, then r's answer to h");
        assertEquals(List.of(2, 2), hostGot);
        assertEquals(1, router.counters().sent());
    }

    @Test
    void aFrameLargerThanTheMtuIsNotSentAndIsCounted() throws IOException {
        SimulatedLan lan = new SimulatedLan().wire("a", "lan");
        InterfacePort a = lan.open(nif("a", 1, true), CaptureFilter.IGMP, (p, f, l) -> {});
        byte[] big = new byte[1500 + 18 + 1];

        assertFalse(a.send(big, big.length));
        assertEquals(1, a.counters().sendErrors());
        assertEquals(0, lan.log("lan").size());
    }

    @Test
    void aClosedPortReceivesNothingAndCannotSend() throws IOException {
        SimulatedLan lan = new SimulatedLan().wire("a", "lan").wire("b", "lan");
        List<String> got = new ArrayList<>();
        InterfacePort a = lan.open(nif("a", 1, true), CaptureFilter.IGMP, (p, f, l) -> got.add("a"));
        InterfacePort b = lan.open(nif("b", 2, true), CaptureFilter.IGMP, (p, f, l) -> got.add("b"));
        b.close();
        byte[] f = frame(2, Ip4.ALL_SYSTEMS);

        a.send(f, f.length);
        lan.deliverPending();

        assertEquals(List.of(), got);
        assertFalse(b.send(f, f.length));
    }

    @Test
    void rawIpInterfacesSeeTheIpHeaderAtOffsetZero() throws IOException {
        SimulatedLan lan = new SimulatedLan().wire("tun0", "tunnel").wire("tun1", "tunnel");
        List<Integer> got = new ArrayList<>();
        InterfacePort t0 = lan.open(nif("tun0", 1, false), CaptureFilter.IGMP, (p, f, l) -> {});
        InterfacePort t1 = lan.open(nif("tun1", 2, false), CaptureFilter.IGMP, (p, f, l) -> got.add(f[9] & 0xff));
        assertEquals(LinkType.RAW_IP, t1.linkType());
        byte[] ip = new byte[24];
        ip[0] = 0x45;
        ip[9] = 2;
        System.arraycopy(Ip4.ALL_SYSTEMS.toBytes(), 0, ip, 16, 4);

        t0.send(ip, ip.length);
        lan.deliverPending();

        assertEquals(List.of(2), got);
    }

    @Test
    void openingAnUnwiredInterfaceFailsWithItsName() {
        SimulatedLan lan = new SimulatedLan();
        IOException e = assertThrows(
                IOException.class, () -> lan.open(nif("eth9", 9, true), CaptureFilter.IGMP, (p, f, l) -> {}));
        assertTrue(e.getMessage().contains("eth9"), e.getMessage());
    }
}
