package dev.mcgate.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mcgate.net.Ip4;
import dev.mcgate.packet.MalformedPacketException.Reason;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Every way a received packet can be broken ends in a MalformedPacketException with the right reason. */
class MalformedInputTest {

    private static final Ip4 G = Ip4.parse("239.1.2.3");
    private static final Ip4 HOST = Ip4.parse("10.0.0.2");

    private static Reason reasonOf(Executable decode) {
        return assertThrows(MalformedPacketException.class, decode).reason();
    }

    private static Reason frameReason(byte[] frame, LinkType linkType) {
        return reasonOf(() -> IgmpFrame.decode(frame, frame.length, linkType));
    }

    @Test
    void everyTruncatedPrefixOfEveryValidPacketThrows() {
        MessageGenerator generator = new MessageGenerator(99);
        for (int i = 0; i < 2000; i++) {
            IgmpFrame frame = generator.frame();
            byte[] bytes = frame.encode();
            for (int length = 0; length < bytes.length; length++) {
                byte[] prefix = Arrays.copyOf(bytes, length);
                frameReason(prefix, frame.linkType());
            }
            byte[] message = IgmpMessageEncoder.encode(frame.packet().message());
            for (int length = 0; length < message.length; length++) {
                int cut = length;
                reasonOf(() -> IgmpMessageDecoder.decode(message, 0, cut));
            }
        }
    }

    @Test
    void aTruncatedMessageWithARepairedChecksumStillThrows() {
        // Without the checksum to catch it, the length checks must: cut a v3 report and a v3 query mid-record.
        byte[] report = IgmpMessageEncoder.encode(new V3MembershipReport(
                List.of(new GroupRecord(RecordType.MODE_IS_INCLUDE, G, List.of(HOST, Ip4.parse("10.0.0.3"))))));
        for (int length = 8; length < report.length; length++) {
            byte[] cut = Arrays.copyOf(report, length);
            InternetChecksum.fill(cut, 0, length, 2);
            assertEquals(
                    Reason.BAD_LENGTH,
                    reasonOf(() -> IgmpMessageDecoder.decode(cut, 0, cut.length)),
                    "length " + length);
        }
        byte[] query = IgmpMessageEncoder.encode(new V3Query(G, 10, false, 2, 125, List.of(HOST)));
        for (int length : new int[] {9, 10, 11, 12, 13, 15}) {
            byte[] cut = Arrays.copyOf(query, length);
            InternetChecksum.fill(cut, 0, length, 2);
            assertEquals(
                    Reason.BAD_LENGTH,
                    reasonOf(() -> IgmpMessageDecoder.decode(cut, 0, cut.length)),
                    "length " + length);
        }
    }

    @Test
    void everyFlippedChecksumBitIsCaught() {
        byte[] frame = IgmpEncoder.ethernetFrame(new dev.mcgate.net.MacAddress(2), HOST, new V2MembershipReport(G));
        int ip = EthernetHeader.LENGTH;
        int igmp = ip + Ipv4Header.IGMP_HEADER_LENGTH;
        for (int field : new int[] {ip + 10, igmp + 2}) {
            for (int bit = 0; bit < 16; bit++) {
                byte[] broken = frame.clone();
                broken[field + bit / 8] ^= (byte) (1 << (bit % 8));
                assertEquals(
                        Reason.BAD_CHECKSUM, frameReason(broken, LinkType.ETHERNET), "field " + field + " bit " + bit);
            }
        }
        // Any flipped bit of the IGMP message is caught by its checksum too.
        for (int bit = 0; bit < 64; bit++) {
            byte[] broken = frame.clone();
            broken[igmp + bit / 8] ^= (byte) (1 << (bit % 8));
            assertEquals(Reason.BAD_CHECKSUM, frameReason(broken, LinkType.ETHERNET), "bit " + bit);
        }
    }

    /** Sets a byte of an IPv4 packet and repairs the header checksum, so that only the intended check can fire. */
    private static byte[] ipWith(int index, int value) {
        byte[] packet = IgmpEncoder.ipPacket(HOST, new V2MembershipReport(G));
        packet[index] = (byte) value;
        InternetChecksum.fill(packet, 0, Math.min(4 * (packet[0] & 0xf), packet.length), 10);
        return packet;
    }

    @Test
    void badIpv4HeaderFields() {
        assertEquals(Reason.BAD_VERSION, frameReason(ipWith(0, 0x66), LinkType.RAW_IP));
        assertEquals(Reason.BAD_HEADER_LENGTH, frameReason(ipWith(0, 0x44), LinkType.RAW_IP));
        assertEquals(Reason.TRUNCATED, frameReason(ipWith(0, 0x4f), LinkType.RAW_IP), "IHL past the packet");
        assertEquals(Reason.BAD_LENGTH, frameReason(ipWith(3, 20), LinkType.RAW_IP), "total length below IHL");
        assertEquals(Reason.TRUNCATED, frameReason(ipWith(3, 33), LinkType.RAW_IP), "total length past the end");
        assertEquals(Reason.NOT_IGMP, frameReason(ipWith(9, 17), LinkType.RAW_IP));
        assertEquals(Reason.FRAGMENTED, frameReason(ipWith(6, 0x20), LinkType.RAW_IP), "MF");
        assertEquals(Reason.FRAGMENTED, frameReason(ipWith(7, 0x01), LinkType.RAW_IP), "offset");
        assertEquals(Reason.BAD_OPTION, frameReason(ipWith(21, 1), LinkType.RAW_IP), "option length 1");
        assertEquals(Reason.BAD_OPTION, frameReason(ipWith(21, 9), LinkType.RAW_IP), "option past the header");
        assertEquals(
                Reason.BAD_OPTION, frameReason(ipWith(20, 0), LinkType.RAW_IP), "End of Option List, then 3 octets");
    }

    @Test
    void optionsOtherThanRouterAlertAreKept() throws Exception {
        byte[] packet = IgmpEncoder.ipPacket(HOST, new V2MembershipReport(G));
        Arrays.fill(packet, 20, 24, (byte) IpOption.NO_OPERATION);
        InternetChecksum.fill(packet, 0, 24, 10);
        IgmpPacket decoded = IgmpPacket.decode(packet, 0, packet.length);
        assertEquals(
                List.of(IpOption.NOP, IpOption.NOP, IpOption.NOP, IpOption.NOP),
                decoded.header().options());
        assertEquals(false, decoded.header().hasRouterAlert());
        assertEquals(new V2MembershipReport(G), decoded.message());
        org.junit.jupiter.api.Assertions.assertArrayEquals(packet, decoded.encode());
    }

    @Test
    void ipLengthShorterThanTheMessageIsCaughtByTheIgmpChecks() {
        // The total length says the IGMP payload is 4 octets: shorter than any IGMP message.
        assertEquals(Reason.TRUNCATED, frameReason(ipWith(3, 28), LinkType.RAW_IP));
    }

    @Test
    void badEthernetFrames() {
        byte[] frame = IgmpEncoder.ethernetFrame(new dev.mcgate.net.MacAddress(2), HOST, new LeaveGroup(G));
        byte[] ipv6 = frame.clone();
        ipv6[12] = (byte) 0x86;
        ipv6[13] = (byte) 0xdd;
        assertEquals(Reason.NOT_IPV4, frameReason(ipv6, LinkType.ETHERNET));
        byte[] doubleTagged = new byte[frame.length + 8];
        System.arraycopy(frame, 0, doubleTagged, 0, 12);
        byte[] tags = {(byte) 0x81, 0, 0, 5, (byte) 0x81, 0, 0, 6, 0x08, 0x00};
        System.arraycopy(tags, 0, doubleTagged, 12, tags.length);
        System.arraycopy(frame, 14, doubleTagged, 22, frame.length - 14);
        assertEquals(Reason.NOT_IPV4, frameReason(doubleTagged, LinkType.ETHERNET));
    }

    /** Sets a byte of an IGMP message and repairs its checksum. */
    private static Reason messageWith(IgmpMessage message, int index, int value) {
        byte[] b = IgmpMessageEncoder.encode(message);
        b[index] = (byte) value;
        InternetChecksum.fill(b, 0, b.length, 2);
        return reasonOf(() -> IgmpMessageDecoder.decode(b, 0, b.length));
    }

    @Test
    void badIgmpFields() {
        V3MembershipReport report = new V3MembershipReport(List.of(
                new GroupRecord(RecordType.ALLOW_NEW_SOURCES, G, List.of(HOST)),
                new GroupRecord(RecordType.BLOCK_OLD_SOURCES, G, List.of())));
        assertEquals(Reason.UNKNOWN_TYPE, messageWith(new V2MembershipReport(G), 0, 0x13));
        assertEquals(Reason.UNKNOWN_TYPE, messageWith(new V2MembershipReport(G), 0, 0x1e));
        assertEquals(Reason.BAD_LENGTH, messageWith(report, 7, 3), "record count runs past the end");
        assertEquals(Reason.BAD_LENGTH, messageWith(report, 6, 1), "record count of 258");
        assertEquals(Reason.BAD_LENGTH, messageWith(report, 11, 2), "source count runs past the end");
        assertEquals(Reason.BAD_LENGTH, messageWith(report, 9, 1), "aux data runs past the end");
        V3Query query = new V3Query(G, 10, false, 2, 125, List.of(HOST));
        assertEquals(Reason.BAD_LENGTH, messageWith(query, 11, 2), "source count runs past the end");
        assertEquals(Reason.BAD_LENGTH, messageWith(V3Query.general(100, 2, 125), 11, 1), "");
    }

    @Test
    void queriesOfNineToElevenOctetsAreInvalid() {
        for (int length = 9; length <= 11; length++) {
            byte[] b = new byte[length];
            b[0] = 0x11;
            b[1] = 100;
            InternetChecksum.fill(b, 0, length, 2);
            assertEquals(Reason.BAD_LENGTH, reasonOf(() -> IgmpMessageDecoder.decode(b, 0, b.length)));
        }
    }
}
