package dev.mcgate.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.net.IpAddress;
import dev.mcgate.time.ManualScheduler;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The relay port's reading of forwarded packets: UDP over IPv4 and IPv6, and every kind of bad packet counted. */
class RelayPortTest {

    private static final IpAddress G4 = IpAddress.parse("239.1.1.1");
    private static final IpAddress S4 = IpAddress.parse("10.0.0.1");
    private static final IpAddress G6 = IpAddress.parse("ff3e::1234");
    private static final IpAddress S6 = IpAddress.parse("2001:db8::1");

    private final RelayPort port = new RelayPort("relay:test", 65535, () -> 42);
    private final LocalMemberships book =
            new LocalMemberships("relay:test", new ManualScheduler(), (n, g, s) -> {}, port, Duration.ZERO);
    private final List<RelayDatagram> got = new ArrayList<>();

    /** An IPv4 UDP packet from source port 4000 with this payload. */
    static byte[] ipv4Udp(IpAddress source, IpAddress group, int port, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(20 + 8 + payload.length);
        b.put((byte) 0x45).put((byte) 0).putShort((short) b.capacity()).putInt(0);
        b.put((byte) 7).put((byte) 17).putShort((short) 0).put(source.toBytes()).put(group.toBytes());
        b.putShort((short) 4000)
                .putShort((short) port)
                .putShort((short) (8 + payload.length))
                .putShort((short) 0);
        return b.put(payload).array();
    }

    /** An IPv6 UDP packet; with a Hop-by-Hop header before the UDP one if asked. */
    static byte[] ipv6Udp(IpAddress source, IpAddress group, int port, byte[] payload, boolean hopByHop) {
        int ext = hopByHop ? 8 : 0;
        ByteBuffer b = ByteBuffer.allocate(40 + ext + 8 + payload.length);
        b.putInt(0x60000000)
                .putShort((short) (ext + 8 + payload.length))
                .put((byte) (hopByHop ? 0 : 17))
                .put((byte) 7);
        b.put(source.toBytes()).put(group.toBytes());
        if (hopByHop) {
            b.put((byte) 17).put((byte) 0).put(new byte[] {1, 4, 0, 0, 0, 0});
        }
        b.putShort((short) 4000)
                .putShort((short) port)
                .putShort((short) (8 + payload.length))
                .putShort((short) 0);
        return b.put(payload).array();
    }

    private static byte[] payload(int n) {
        byte[] p = new byte[n];
        new Random(n).nextBytes(p);
        return p;
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    @Test
    void ipv4DatagramsReachTheirGroupsConsumersWithAddressesPortsAndTime() {
        book.join(G4, null, got::add);
        byte[] p = payload(1316);
        byte[] packet = ipv4Udp(S4, G4, 5000, p);
        assertTrue(port.send(packet, packet.length));
        RelayDatagram d = got.get(0);
        assertEquals(S4, d.source());
        assertEquals(G4, d.group());
        assertEquals(4000, d.sourcePort());
        assertEquals(5000, d.destinationPort());
        assertEquals(42, d.arrivalNanos());
        assertArrayEquals(p, bytes(d.payload()));
        assertTrue(d.payload().isReadOnly());
        assertEquals(1, port.delivered());
    }

    @Test
    void ipv6DatagramsWithAndWithoutExtensionHeaders() {
        book.join(G6, S6, got::add);
        byte[] p = payload(100);
        byte[] plain = ipv6Udp(S6, G6, 5000, p, false);
        byte[] hbh = ipv6Udp(S6, G6, 5001, p, true);
        port.send(plain, plain.length);
        port.send(hbh, hbh.length);
        assertEquals(2, got.size());
        assertEquals(S6, got.get(1).source());
        assertEquals(5001, got.get(1).destinationPort());
        assertArrayEquals(p, bytes(got.get(0).payload()));
        assertArrayEquals(p, bytes(got.get(1).payload()));
    }

    @Test
    void oneCopyIsSharedByEveryConsumerAndAnSsmConsumerGetsOnlyItsSource() {
        List<RelayDatagram> ssm = new ArrayList<>();
        book.join(G4, null, got::add);
        book.join(G4, null, got::add);
        book.join(G4, IpAddress.parse("10.9.9.9"), ssm::add);
        byte[] packet = ipv4Udp(S4, G4, 5000, payload(10));
        port.send(packet, packet.length);
        assertEquals(2, got.size());
        assertTrue(got.get(0) == got.get(1), "the same datagram, the same buffer");
        assertEquals(List.of(), ssm);
        byte[] fromOther = ipv4Udp(IpAddress.parse("10.9.9.9"), G4, 5000, payload(10));
        port.send(fromOther, fromOther.length);
        assertEquals(1, ssm.size());
    }

    @Test
    void aLingeringGroupsDatagramIsTheRelaysNoConsumerDropNotAFailedSend() {
        var lingering = new dev.mcgate.relay.LocalMemberships(
                "relay:test",
                new dev.mcgate.time.ManualScheduler(),
                (n, g, s) -> {},
                port,
                java.time.Duration.ofSeconds(3));
        lingering.leave(lingering.join(G4, null, got::add));
        assertTrue(lingering.holds(G4), "held upstream for its linger");
        byte[] packet = ipv4Udp(S4, G4, 5000, payload(10));
        assertTrue(port.send(packet, packet.length), "the forwarder must not count it as send-failed");
        assertEquals(1L, port.drops().get(RelayDrop.NO_CONSUMER));
        assertEquals(List.of(), got);
    }

    @Test
    void everyTruncatedPrefixOfAPacketIsCountedNeverDeliveredNeverThrown() {
        book.join(G4, null, got::add);
        book.join(G6, null, got::add);
        for (byte[] packet : List.of(ipv4Udp(S4, G4, 5000, payload(30)), ipv6Udp(S6, G6, 5000, payload(30), true))) {
            for (int n = 0; n < packet.length; n++) {
                assertFalse(port.send(packet, n), "prefix " + n);
            }
        }
        assertEquals(List.of(), got);
        assertEquals(58L + 86, port.drops().get(RelayDrop.TRUNCATED));
    }

    @Test
    void otherProtocolsFragmentsAndGarbageAreCountedByReason() {
        book.join(G4, null, got::add);
        byte[] tcp = ipv4Udp(S4, G4, 5000, payload(10));
        tcp[9] = 6;
        port.send(tcp, tcp.length);
        byte[] fragment = ipv4Udp(S4, G4, 5000, payload(10));
        fragment[6] = 0x20; // MF
        port.send(fragment, fragment.length);
        byte[] badUdpLength = ipv4Udp(S4, G4, 5000, payload(10));
        badUdpLength[25] = 100;
        port.send(badUdpLength, badUdpLength.length);
        byte[] otherGroup = ipv4Udp(S4, IpAddress.parse("239.2.2.2"), 5000, payload(10));
        assertTrue(port.send(otherGroup, otherGroup.length), "taken: a group without consumer is not a failed send");
        assertEquals(1L, port.drops().get(RelayDrop.NOT_UDP));
        assertEquals(1L, port.drops().get(RelayDrop.FRAGMENT));
        assertEquals(1L, port.drops().get(RelayDrop.TRUNCATED));
        assertEquals(1L, port.drops().get(RelayDrop.NO_CONSUMER));
        Random r = new Random(7);
        for (int i = 0; i < 1000; i++) {
            byte[] junk = new byte[r.nextInt(80)];
            r.nextBytes(junk);
            port.send(junk, junk.length);
        }
        assertEquals(List.of(), got);
        long all = port.drops().values().stream().mapToLong(Long::longValue).sum();
        assertEquals(1004, all, "every packet is counted once");
    }
}
