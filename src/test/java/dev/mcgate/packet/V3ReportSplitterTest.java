package dev.mcgate.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.net.Ip4;
import dev.mcgate.net.SourceSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** RFC 3376 §4.2.16: reports too large for the MTU. */
class V3ReportSplitterTest {

    private static final Ip4 G = Ip4.parse("239.1.2.3");

    private static List<Ip4> sources(int count) {
        List<Ip4> list = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            list.add(new Ip4(
                    0x0A00_0000 + count - i)); // descending, so "first in address order" differs from wire order
        }
        return list;
    }

    private static int ipLength(V3MembershipReport report) {
        return Ipv4Header.IGMP_HEADER_LENGTH + IgmpMessageEncoder.length(report);
    }

    @Test
    void aReportThatFitsIsLeftAlone() {
        V3MembershipReport report = new MessageGenerator(1).v3Report(5, 10);
        assertEquals(List.of(report), V3ReportSplitter.split(report, 1500));
    }

    @Test
    void recordsThatDoNotFitGoToTheNextReport() {
        // 1500 - 24 - 8 = 1468 octets of records: 3 records of 8 + 4 * 100 = 408 fit, a fourth does not.
        List<GroupRecord> records = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            records.add(new GroupRecord(RecordType.MODE_IS_INCLUDE, Ip4.of(239, 0, 0, i), sources(100)));
        }
        List<V3MembershipReport> parts = V3ReportSplitter.split(new V3MembershipReport(records), 1500);
        assertEquals(
                List.of(new V3MembershipReport(records.subList(0, 3)), new V3MembershipReport(records.subList(3, 4))),
                parts);
    }

    @Test
    void aLargeIncludeRecordIsSplitIntoRecordsOfTheSameType() {
        for (RecordType type : List.of(
                RecordType.MODE_IS_INCLUDE,
                RecordType.CHANGE_TO_INCLUDE_MODE,
                RecordType.ALLOW_NEW_SOURCES,
                RecordType.BLOCK_OLD_SOURCES)) {
            List<Ip4> all = sources(1000);
            List<V3MembershipReport> parts =
                    V3ReportSplitter.split(new V3MembershipReport(List.of(new GroupRecord(type, G, all))), 1500);
            // (1468 - 8) / 4 = 365 sources per record: 365 + 365 + 270.
            assertEquals(3, parts.size(), type.toString());
            List<Ip4> seen = new ArrayList<>();
            for (V3MembershipReport part : parts) {
                assertEquals(1, part.records().size(), "each piece in its own report");
                GroupRecord piece = part.records().get(0);
                assertEquals(type, piece.type());
                assertEquals(G, piece.group());
                seen.addAll(piece.sources());
                assertTrue(ipLength(part) <= 1500);
            }
            assertEquals(all, seen);
            assertEquals(365, parts.get(0).records().get(0).sources().size());
        }
    }

    @Test
    void anExcludeRecordKeepsWhatFitsAndDropsTheRest() {
        for (RecordType type : List.of(RecordType.MODE_IS_EXCLUDE, RecordType.CHANGE_TO_EXCLUDE_MODE)) {
            List<Ip4> all = sources(1000);
            List<V3MembershipReport> parts =
                    V3ReportSplitter.split(new V3MembershipReport(List.of(new GroupRecord(type, G, all))), 1500);
            assertEquals(1, parts.size());
            GroupRecord kept = parts.get(0).records().get(0);
            assertEquals(type, kept.type());
            assertEquals(SourceSet.of(all).first(365), kept.sourceSet(), "the lowest addresses, the same each time");
            assertEquals(1500, ipLength(parts.get(0)));
        }
    }

    @Test
    void randomReportsSplitIntoPartsThatFitAndKeepEverySplittableSource() {
        Random random = new Random(4216);
        MessageGenerator generator = new MessageGenerator(4217);
        for (int i = 0; i < 500; i++) {
            int mtu = V3ReportSplitter.MIN_MTU + random.nextInt(600);
            int maxSources = (mtu - Ipv4Header.IGMP_HEADER_LENGTH - 8 - 8) / 4;
            V3MembershipReport report = generator.v3Report(1 + random.nextInt(20), 2 * maxSources);
            List<V3MembershipReport> parts = V3ReportSplitter.split(report, mtu);
            List<GroupRecord> merged = new ArrayList<>();
            for (V3MembershipReport part : parts) {
                assertTrue(ipLength(part) <= mtu, "part of " + ipLength(part) + " octets, MTU " + mtu);
                assertTrue(!part.records().isEmpty());
                merged.addAll(part.records());
            }
            // Walk the original: pieces of a split record follow each other; excluded ones are cut to the lowest
            // sources.
            int at = 0;
            for (GroupRecord record : report.records()) {
                if (record.type().dropsExcessSources()) {
                    GroupRecord got = merged.get(at++);
                    assertEquals(record.type(), got.type());
                    assertEquals(record.group(), got.group());
                    if (record.sources().size() <= maxSources) {
                        assertEquals(record, got);
                    } else {
                        assertEquals(record.sourceSet().first(maxSources), got.sourceSet());
                    }
                    continue;
                }
                List<Ip4> collected = new ArrayList<>();
                do {
                    GroupRecord got = merged.get(at++);
                    assertEquals(record.type(), got.type());
                    assertEquals(record.group(), got.group());
                    collected.addAll(got.sources());
                } while (collected.size() < record.sources().size());
                assertEquals(record.sources(), collected);
            }
            assertEquals(merged.size(), at);
        }
    }

    @Test
    void refusesAnMtuTooSmallForOneSource() {
        V3MembershipReport report = new V3MembershipReport(List.of());
        assertThrows(
                IllegalArgumentException.class, () -> V3ReportSplitter.split(report, V3ReportSplitter.MIN_MTU - 1));
        assertEquals(List.of(), V3ReportSplitter.split(report, V3ReportSplitter.MIN_MTU));
    }
}
