package dev.mcgate.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mcgate.net.Ip4;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 9776 §4.2.13: a group record of an unrecognized type is skipped and the report's other records still apply. */
class UnrecognizedRecordTypeTest {

    @Test
    void aRecordOfType7IsSkippedAndTheAllowAfterItKept() throws MalformedPacketException {
        // v3 report, checksum 0x9d7e, 2 records: [type 7, 239.255.255.255, source 198.51.100.7] (a type no RFC
        // defines, with one source so that its length matters) then ALLOW(239.1.1.2, {198.51.100.10}).
        byte[] b =
                HexFormat.of().parseHex("22009d7e00000002" + "07000001efffffffc6336407" + "05000001ef010102c633640a");

        IgmpMessage decoded = IgmpMessageDecoder.decode(b, 0, b.length);

        assertEquals(
                new V3MembershipReport(
                        List.of(new GroupRecord(
                                RecordType.ALLOW_NEW_SOURCES,
                                Ip4.parse("239.1.1.2"),
                                List.of(Ip4.parse("198.51.100.10")))),
                        1),
                decoded);
    }

    @Test
    void aReportOfOnlyUnrecognizedRecordsHasNoneToApply() throws MalformedPacketException {
        byte[] b = HexFormat.of().parseHex("2200000000000001" + "00000000ef010101");
        InternetChecksum.fill(b, 0, b.length, 2);

        assertEquals(new V3MembershipReport(List.of(), 1), IgmpMessageDecoder.decode(b, 0, b.length));
    }
}
