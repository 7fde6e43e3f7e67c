package dev.mcgate.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mcgate.net.Ip6;
import dev.mcgate.packet.MalformedMldException.Reason;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Every way a received MLD packet can be broken ends in a MalformedMldException with the right reason. */
class MldMalformedInputTest {

    private static final Ip6 HOST = Ip6.parse("fe80::2");
    private static final Ip6 GROUP = Ip6.parse("ff15::1:2:3");
    private static final Ip6 SOURCE = Ip6.parse("2001:db8::7");
    /** Where the ICMPv6 message starts in a packet from {@link MldPacket#of}: after 40 + 8 octets of headers. */
    private static final int ICMP = 48;

    private static Reason reasonOf(Executable decode) {
        return assertThrows(MalformedMldException.class, decode).reason();
    }

    private static Reason packetReason(byte[] packet) {
        return reasonOf(() -> MldPacket.decode(packet, 0, packet.length));
    }

    @Test
    void everyTruncatedPrefixOfEveryValidFrameThrowsTheTypedException() {
        MldMessageGenerator generator = new MldMessageGenerator(17);
        for (int i = 0; i < 2000; i++) {
            MldFrame frame = generator.frame();
            byte[] bytes = frame.encode();
            for (int length = 0; length < bytes.length; length++) {
                byte[] prefix = Arrays.copyOf(bytes, length);
                reasonOf(() -> MldFrame.decode(prefix, prefix.length, frame.linkType()));
            }
            MldPacket packet = frame.packet();
            byte[] message = MldMessageEncoder.encode(packet.message(), packet.source(), packet.destination());
            for (int length = 0; length < message.length; length++) {
                int cut = length;
                reasonOf(() -> MldMessageDecoder.decode(message, 0, cut, packet.source(), packet.destination()));
            }
        }
    }

    @Test
    void aTruncatedMessageWithARepairedChecksumStillThrows() {
        // Without the checksum to catch it, the length checks must: cut a v2 report and a v2 query mid-record.
        MldV2Report report = new MldV2Report(
                List.of(new MulticastAddressRecord(RecordType.MODE_IS_INCLUDE, GROUP, List.of(SOURCE, HOST))));
        byte[] whole = MldMessageEncoder.encode(report, HOST, Ip6.ALL_MLDV2_ROUTERS);
        for (int length = 0; length < whole.length; length++) {
            byte[] cut = Arrays.copyOf(whole, length);
            if (length >= 4) {
                MldMessageEncoder.fillChecksum(cut, 0, length, HOST, Ip6.ALL_MLDV2_ROUTERS);
            }
            Reason want = length < 8 ? Reason.TRUNCATED : Reason.BAD_LENGTH;
            assertEquals(want, messageReason(cut, Ip6.ALL_MLDV2_ROUTERS), "length " + length);
        }
        MldV2Query query = new MldV2Query(GROUP, 1000, false, 2, 125, List.of(SOURCE));
        byte[] q = MldMessageEncoder.encode(query, HOST, GROUP);
        for (int length = 4; length < q.length; length++) {
            byte[] cut = Arrays.copyOf(q, length);
            MldMessageEncoder.fillChecksum(cut, 0, length, HOST, GROUP);
            // 24 octets is a v1 query (RFC 9777 §8.1), not an error.
            if (length != 24) {
                Reason want = length < 24 ? Reason.TRUNCATED : Reason.BAD_LENGTH;
                assertEquals(want, messageReason(cut, GROUP), "length " + length);
            }
        }
    }

    private static Reason messageReason(byte[] message, Ip6 destination) {
        return reasonOf(() -> MldMessageDecoder.decode(message, 0, message.length, HOST, destination));
    }

    @Test
    void queriesOf25To27OctetsAreInvalid() {
        for (int length = 25; length <= 27; length++) {
            byte[] b = new byte[length];
            b[0] = (byte) 130;
            MldMessageEncoder.fillChecksum(b, 0, length, HOST, Ip6.ALL_NODES);
            assertEquals(Reason.BAD_LENGTH, messageReason(b, Ip6.ALL_NODES), "length " + length);
        }
    }

    /** Sets a byte of a packet from HOST and repairs the ICMPv6 checksum, so that only the intended check can fire. */
    private static byte[] with(MldMessage message, int index, int value) {
        return with(MldPacket.of(HOST, message).encode(), index, value);
    }

    private static byte[] with(byte[] packet, int index, int value) {
        byte[] b = packet.clone();
        b[index] = (byte) value;
        MldMessageEncoder.fillChecksum(b, ICMP, b.length - ICMP, Ip6.fromBytes(b, 8), Ip6.fromBytes(b, 24));
        return b;
    }

    @Test
    void badIpv6HeaderFields() {
        MldV1Report report = new MldV1Report(GROUP);
        assertEquals(Reason.BAD_VERSION, packetReason(with(report, 0, 0x40)));
        assertEquals(Reason.BAD_VERSION, packetReason(with(report, 0, 0x70)));
        assertEquals(Reason.BAD_LENGTH, packetReason(with(with(report, 4, 0), 5, 0)), "payload length 0 (jumbogram)");
        assertEquals(Reason.TRUNCATED, packetReason(with(report, 5, 33)), "payload length past the end");
        assertEquals(Reason.TRUNCATED, packetReason(with(report, 5, 1)), "payload shorter than the Hop-by-Hop header");
        assertEquals(Reason.NOT_ICMPV6, packetReason(with(report, 40, 17)), "UDP after Hop-by-Hop");
        assertEquals(Reason.NOT_ICMPV6, packetReason(with(report, 40, 0)), "a second Hop-by-Hop header");
        assertEquals(Reason.NOT_ICMPV6, packetReason(with(report, 6, 60)), "Destination Options");
        assertEquals(Reason.FRAGMENTED, packetReason(with(report, 6, 44)));
        assertEquals(Reason.FRAGMENTED, packetReason(with(report, 40, 44)));
        assertEquals(Reason.BAD_CHECKSUM, packetReason(with(report, 6, 58)), "the HbH header read as ICMPv6");
    }

    @Test
    void badIcmpv6Fields() {
        MldV2Report report = new MldV2Report(List.of(
                new MulticastAddressRecord(RecordType.ALLOW_NEW_SOURCES, GROUP, List.of(SOURCE)),
                new MulticastAddressRecord(RecordType.BLOCK_OLD_SOURCES, GROUP, List.of())));
        assertEquals(
                Reason.UNKNOWN_TYPE, packetReason(with(new MldV1Report(GROUP), ICMP, 135)), "Neighbor Solicitation");
        assertEquals(Reason.UNKNOWN_TYPE, packetReason(with(new MldV1Report(GROUP), ICMP, 128)), "Echo Request");
        assertEquals(Reason.BAD_LENGTH, packetReason(with(report, ICMP + 7, 3)), "record count past the end");
        assertEquals(Reason.BAD_LENGTH, packetReason(with(report, ICMP + 6, 1)), "record count of 258");
        assertEquals(Reason.BAD_LENGTH, packetReason(with(report, ICMP + 11, 2)), "source count past the end");
        assertEquals(Reason.BAD_LENGTH, packetReason(with(report, ICMP + 9, 1)), "aux data past the end");
        MldV2Query query = new MldV2Query(GROUP, 1000, false, 2, 125, List.of(SOURCE));
        assertEquals(Reason.BAD_LENGTH, packetReason(with(query, ICMP + 27, 2)), "source count past the end");
        assertEquals(
                Reason.BAD_LENGTH,
                packetReason(with(MldV2Query.general(1000, 2, 125), ICMP + 27, 1)),
                "general query with sources");
    }

    @Test
    void badFrames() throws Exception {
        byte[] frame = MldFrame.ethernet(new dev.mcgate.net.MacAddress(2), MldPacket.of(HOST, new MldDone(GROUP)))
                .encode();
        byte[] ipv4 = frame.clone();
        ipv4[12] = 0x08;
        ipv4[13] = 0x00;
        assertEquals(Reason.NOT_IPV6, reasonOf(() -> MldFrame.decode(ipv4, ipv4.length, LinkType.ETHERNET)));
        byte[] doubleTagged = new byte[frame.length + 8];
        System.arraycopy(frame, 0, doubleTagged, 0, 12);
        byte[] tags = {(byte) 0x81, 0, 0, 5, (byte) 0x81, 0, 0, 6, (byte) 0x86, (byte) 0xdd};
        System.arraycopy(tags, 0, doubleTagged, 12, tags.length);
        System.arraycopy(frame, 14, doubleTagged, 22, frame.length - 14);
        assertEquals(
                Reason.NOT_IPV6, reasonOf(() -> MldFrame.decode(doubleTagged, doubleTagged.length, LinkType.ETHERNET)));
        // An IGMP packet on a raw-IP link is not IPv6.
        byte[] igmp = IgmpEncoder.ipPacket(
                dev.mcgate.net.Ip4.parse("10.0.0.2"), new LeaveGroup(dev.mcgate.net.Ip4.parse("239.1.2.3")));
        assertEquals(Reason.BAD_VERSION, reasonOf(() -> MldFrame.decode(igmp, igmp.length, LinkType.RAW_IP)));
    }
}
