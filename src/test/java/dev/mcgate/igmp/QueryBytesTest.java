package dev.mcgate.igmp;

import static dev.mcgate.igmp.Harness.G;
import static dev.mcgate.igmp.Harness.HOST1;
import static dev.mcgate.igmp.Harness.OWN;
import static dev.mcgate.igmp.Harness.set;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mcgate.config.IgmpSettings;
import dev.mcgate.net.Ip4;
import dev.mcgate.net.SourceSet;
import dev.mcgate.packet.IgmpEncoder;
import dev.mcgate.packet.IgmpMessage;
import dev.mcgate.packet.LeaveGroup;
import dev.mcgate.packet.RecordType;
import dev.mcgate.packet.V2MembershipReport;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The exact bytes of every kind of query the engine sends, encoded as the daemon encodes them, against bytes laid out
 * here by hand from RFC 791 (IPv4 with Router Alert, RFC 2113), RFC 3376 §4.1 (v3 query), RFC 2236 §2 (v2) and RFC
 * 1112 (v1), with checksums computed here.
 */
class QueryBytesTest {

    private static final Ip4 ALL_SYSTEMS = Ip4.parse("224.0.0.1");

    @Test
    void v3GeneralQuery() {
        Harness h = new Harness();
        h.router.start();
        // Max Resp Code 100 (10 s), S 0, QRV 2, QQIC 125.
        assertBytes(ip(ALL_SYSTEMS, v3Query(100, Ip4.ANY, false, 2, 125)), only(h.sent));
    }

    @Test
    void v3GeneralQueryWithFloatingPointQqic() {
        IgmpSettings d = IgmpSettings.RFC_DEFAULTS;
        Harness h = new Harness(
                new IgmpSettings(
                        3,
                        9,
                        Duration.ofSeconds(300),
                        Duration.ofSeconds(20),
                        d.lastMemberQueryInterval(),
                        9,
                        Duration.ofSeconds(75),
                        9,
                        d.adoption()),
                false);
        h.router.start();
        // Robustness 9 > 7 is sent as QRV 0 (§4.1.6). QQI 300 s: exp 1, mant 3 = (0x13 << 4) = 304 s, code 0x93
        // (§4.1.7: the smallest representable value not below). Max Resp 200 tenths: exp 0, mant 9 =
        // (0x19 << 3) = 200, code 0x89.
        assertBytes(ip(ALL_SYSTEMS, v3QueryRaw(0x89, Ip4.ANY, 0x00, 0x93, List.of())), only(h.sent));
    }

    @Test
    void v3GroupSpecificQueryWithAndWithoutTheSFlag() {
        Harness h = new Harness().started();
        h.report(RecordType.MODE_IS_EXCLUDE, SourceSet.EMPTY);
        h.receive(HOST1, new LeaveGroup(G));
        // Max Resp Code 10 (LMQI 1 s), S clear: the group timer was just lowered to LMQT.
        assertBytes(ip(G, v3Query(10, G, false, 2, 125)), only(h.sent));
        h.sent.clear();
        h.report(Harness.HOST2, RecordType.MODE_IS_EXCLUDE, G, SourceSet.EMPTY);
        h.advanceSeconds(1);
        assertBytes(ip(G, v3Query(10, G, true, 2, 125)), only(h.sent));
    }

    @Test
    void v3GroupAndSourceSpecificQuery() {
        Harness h = new Harness().started();
        h.report(RecordType.MODE_IS_INCLUDE, set(1, 9, 200));
        h.report(RecordType.BLOCK_OLD_SOURCES, set(200, 9));
        assertBytes(ip(G, v3QueryRaw(10, G, 0x02, 125, List.of(Harness.src(9), Harness.src(200)))), only(h.sent));
    }

    @Test
    void v2GeneralAndGroupSpecificQueries() {
        Harness h = new Harness(Harness.version(2), false);
        h.router.start();
        assertBytes(ip(ALL_SYSTEMS, v12Query(100, Ip4.ANY)), only(h.sent));
        h.sent.clear();
        h.receive(HOST1, new V2MembershipReport(G));
        h.receive(HOST1, new LeaveGroup(G));
        assertBytes(ip(G, v12Query(10, G)), only(h.sent));
    }

    @Test
    void v1GeneralQuery() {
        Harness h = new Harness(Harness.version(1), false);
        h.router.start();
        assertBytes(ip(ALL_SYSTEMS, v12Query(0, Ip4.ANY)), only(h.sent));
    }

    private static IgmpMessage only(List<IgmpMessage> sent) {
        assertEquals(1, sent.size(), sent.toString());
        return sent.get(0);
    }

    private static void assertBytes(byte[] expected, IgmpMessage message) {
        byte[] actual = IgmpEncoder.ipPacket(OWN, message);
        assertArrayEquals(
                expected,
                actual,
                () -> "expected " + HexFormat.of().formatHex(expected) + "\n but got "
                        + HexFormat.of().formatHex(actual) + " for " + message);
    }

    /** RFC 3376 §4.1 with every field below 128, so codes are the values themselves. */
    private static byte[] v3Query(int maxRespCode, Ip4 group, boolean s, int qrv, int qqic) {
        return v3QueryRaw(maxRespCode, group, (s ? 0x08 : 0) | qrv, qqic, List.of());
    }

    private static byte[] v3QueryRaw(int maxRespCode, Ip4 group, int sAndQrv, int qqic, List<Ip4> sources) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(0x11);
        b.write(maxRespCode);
        b.write(0);
        b.write(0);
        b.writeBytes(group.toBytes());
        b.write(sAndQrv); // Resv (4 bits) | S | QRV (3 bits)
        b.write(qqic);
        b.write(sources.size() >> 8);
        b.write(sources.size());
        sources.forEach(s -> b.writeBytes(s.toBytes()));
        return withChecksum(b.toByteArray(), 0, 2);
    }

    private static byte[] v12Query(int maxRespTime, Ip4 group) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(0x11);
        b.write(maxRespTime);
        b.write(0);
        b.write(0);
        b.writeBytes(group.toBytes());
        return withChecksum(b.toByteArray(), 0, 2);
    }

    /** IPv4: version 4, IHL 6 (Router Alert), TOS 0xc0, DF, TTL 1, protocol 2, option 94 04 00 00. */
    private static byte[] ip(Ip4 destination, byte[] igmp) {
        int total = 24 + igmp.length;
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[] {0x46, (byte) 0xc0, (byte) (total >> 8), (byte) total, 0, 0, 0x40, 0, 1, 2, 0, 0});
        b.writeBytes(OWN.toBytes());
        b.writeBytes(destination.toBytes());
        b.writeBytes(new byte[] {(byte) 0x94, 0x04, 0, 0});
        byte[] header = withChecksum(b.toByteArray(), 0, 10);
        byte[] packet = new byte[total];
        System.arraycopy(header, 0, packet, 0, 24);
        System.arraycopy(igmp, 0, packet, 24, igmp.length);
        return packet;
    }

    /** The Internet checksum (RFC 1071) of the whole array, written at {@code at}. */
    private static byte[] withChecksum(byte[] b, int from, int at) {
        long sum = 0;
        for (int i = from; i < b.length; i += 2) {
            sum += ((b[i] & 0xff) << 8) | (i + 1 < b.length ? b[i + 1] & 0xff : 0);
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        int c = (int) (~sum & 0xffff);
        b[at] = (byte) (c >> 8);
        b[at + 1] = (byte) c;
        return b;
    }
}
