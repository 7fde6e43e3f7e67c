package dev.mcgate.packet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.mcgate.net.Ip4;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** decode(encode(x)) == x and encode(decode(b)) == b, for every kind of message and for packets and frames. */
class RoundTripTest {

    private static final Ip4 G = Ip4.parse("239.1.2.3");

    private static List<IgmpMessage> examples() {
        List<GroupRecord> allTypes = new java.util.ArrayList<>();
        for (RecordType type : RecordType.values()) {
            allTypes.add(
                    new GroupRecord(type, G, List.of(Ip4.parse("10.0.0." + type.code()), Ip4.parse("192.168.1.1"))));
        }
        return List.of(
                V1Query.GENERAL,
                new V1Query(G),
                new V2Query(Ip4.ANY, 100),
                new V2Query(G, 10),
                V3Query.general(100, 2, 125),
                new V3Query(G, 10, true, 7, 31744, List.of()),
                new V3Query(G, 1000, false, 0, 0, List.of(Ip4.parse("10.1.1.1"), Ip4.parse("10.1.1.2"))),
                new V1MembershipReport(G),
                new V2MembershipReport(G),
                new LeaveGroup(G),
                new V3MembershipReport(List.of()),
                new V3MembershipReport(allTypes));
    }

    @Test
    void everyExampleMessageRoundTrips() throws Exception {
        for (IgmpMessage message : examples()) {
            byte[] bytes = IgmpMessageEncoder.encode(message);
            assertEquals(IgmpMessageEncoder.length(message), bytes.length);
            IgmpMessage decoded = IgmpMessageDecoder.decode(bytes, 0, bytes.length);
            assertEquals(message, decoded);
            assertArrayEquals(bytes, IgmpMessageEncoder.encode(decoded));
        }
    }

    @Test
    void generatedMessagesOfEveryKindRoundTrip() throws Exception {
        MessageGenerator generator = new MessageGenerator(42);
        Set<Class<?>> kinds = new HashSet<>();
        Set<RecordType> recordTypes = EnumSet.noneOf(RecordType.class);
        for (int i = 0; i < 20_000; i++) {
            IgmpMessage message = generator.message();
            kinds.add(message.getClass());
            if (message instanceof V3MembershipReport report) {
                report.records().forEach(r -> recordTypes.add(r.type()));
            }
            byte[] bytes = IgmpMessageEncoder.encode(message);
            IgmpMessage decoded = IgmpMessageDecoder.decode(bytes, 0, bytes.length);
            assertEquals(message, decoded);
            assertArrayEquals(bytes, IgmpMessageEncoder.encode(decoded));
        }
        assertEquals(7, kinds.size(), "every kind was generated: " + kinds);
        assertEquals(EnumSet.allOf(RecordType.class), recordTypes);
    }

    @Test
    void generatedFramesRoundTripOnBothLinkTypes() throws Exception {
        MessageGenerator generator = new MessageGenerator(43);
        Set<LinkType> linkTypes = EnumSet.noneOf(LinkType.class);
        for (int i = 0; i < 20_000; i++) {
            IgmpFrame frame = generator.frame();
            linkTypes.add(frame.linkType());
            byte[] bytes = frame.encode();
            IgmpFrame decoded = IgmpFrame.decode(bytes, bytes.length, frame.linkType());
            assertEquals(frame, decoded);
            assertArrayEquals(bytes, decoded.encode());
            // Link padding after the IPv4 packet is ignored.
            byte[] padded = java.util.Arrays.copyOf(bytes, bytes.length + 7);
            assertEquals(frame, IgmpFrame.decode(padded, padded.length, frame.linkType()));
        }
        assertEquals(EnumSet.allOf(LinkType.class), linkTypes);
    }

    /** RFC 3376 §7.1: 8 octets and code 0 is v1, 8 octets and code != 0 is v2, 12 or more is v3. */
    @Test
    void queryVersionFollowsLengthAndMaxRespCode() throws Exception {
        byte[] eight = {0x11, 0, 0, 0, (byte) 239, 1, 2, 3};
        InternetChecksum.fill(eight, 0, 8, 2);
        assertEquals(new V1Query(G), IgmpMessageDecoder.decode(eight, 0, 8));
        eight[1] = 50;
        InternetChecksum.fill(eight, 0, 8, 2);
        assertEquals(new V2Query(G, 50), IgmpMessageDecoder.decode(eight, 0, 8));
        byte[] twelve = java.util.Arrays.copyOf(eight, 12);
        InternetChecksum.fill(twelve, 0, 12, 2);
        assertInstanceOf(V3Query.class, IgmpMessageDecoder.decode(twelve, 0, 12));
        twelve[1] = 0;
        InternetChecksum.fill(twelve, 0, 12, 2);
        assertEquals(new V3Query(G, 0, false, 0, 0, List.of()), IgmpMessageDecoder.decode(twelve, 0, 12));
    }

    /** RFC 2236 §2.5: octets past the first 8 of a v1/v2 message are ignored (but are covered by the checksum). */
    @Test
    void v2MessagesMayBeLongerThanEightOctets() throws Exception {
        List<IgmpMessage> expected = List.of(new V1MembershipReport(G), new V2MembershipReport(G), new LeaveGroup(G));
        int[] types = {0x12, 0x16, 0x17};
        for (int i = 0; i < types.length; i++) {
            byte[] b = {(byte) types[i], 0, 0, 0, (byte) 239, 1, 2, 3, 9, 9, 9, 9};
            InternetChecksum.fill(b, 0, b.length, 2);
            assertEquals(expected.get(i), IgmpMessageDecoder.decode(b, 0, b.length));
        }
    }

    /** RFC 3376 §4.2.10: auxiliary data is skipped, and the record after it is still read. */
    @Test
    void auxiliaryDataIsSkipped() throws Exception {
        byte[] b = {
            0x22,
            0,
            0,
            0,
            0,
            0,
            0,
            2,
            1,
            1,
            0,
            1,
            (byte) 239,
            1,
            2,
            3,
            10,
            0,
            0,
            1,
            (byte) 0xaa,
            (byte) 0xbb,
            (byte) 0xcc,
            (byte) 0xdd,
            6,
            0,
            0,
            0,
            (byte) 232,
            1,
            1,
            1
        };
        InternetChecksum.fill(b, 0, b.length, 2);
        assertEquals(
                new V3MembershipReport(List.of(
                        new GroupRecord(RecordType.MODE_IS_INCLUDE, G, List.of(Ip4.parse("10.0.0.1"))),
                        new GroupRecord(RecordType.BLOCK_OLD_SOURCES, Ip4.parse("232.1.1.1"), List.of()))),
                IgmpMessageDecoder.decode(b, 0, b.length));
    }

    @Test
    void aV3QueryTimeNoCodeStandsForIsRaisedToTheNextThatDoes() throws Exception {
        V3Query query = new V3Query(G, 130, false, 2, 129, List.of());
        assertEquals(136, query.maxRespTime());
        assertEquals(136, query.querierQueryInterval());
        byte[] bytes = IgmpMessageEncoder.encode(query);
        assertEquals(0x81, bytes[1] & 0xff);
        assertEquals(0x81, bytes[9] & 0xff);
    }
}
