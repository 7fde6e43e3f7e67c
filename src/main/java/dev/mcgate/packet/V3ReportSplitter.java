package dev.mcgate.packet;

import dev.mcgate.net.SourceSet;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a v3 report into reports that each fit the link MTU, as RFC 3376 §4.2.16 asks.
 */
public final class V3ReportSplitter {

    /** IPv4 header with Router Alert plus the report's own 8 octets. */
    private static final int OVERHEAD = Ipv4Header.IGMP_HEADER_LENGTH + IgmpMessageDecoder.HEADER_LENGTH;
    /** Room for one record with one source: below this no report can carry every record. */
    public static final int MIN_MTU = OVERHEAD + IgmpMessageDecoder.RECORD_HEADER_LENGTH + 4;

    private V3ReportSplitter() {}

    /**
     * RFC 3376 §4.2.16: records that do not fit go to the next report; a record that does not fit even alone is split into
     * records of the same type, each in its own report, unless it is MODE_IS_EXCLUDE or CHANGE_TO_EXCLUDE_MODE: then
     * only as many sources as fit are sent (the lowest addresses, so that each retransmission reports the same ones).
     */
    public static List<V3MembershipReport> split(V3MembershipReport report, int mtu) {
        if (mtu < MIN_MTU) {
            throw new IllegalArgumentException("MTU " + mtu + " is below " + MIN_MTU);
        }
        int budget = Math.min(mtu, 0xffff) - OVERHEAD;
        int maxSources = (budget - IgmpMessageDecoder.RECORD_HEADER_LENGTH) / 4;
        List<V3MembershipReport> reports = new ArrayList<>();
        List<GroupRecord> current = new ArrayList<>();
        int used = 0;
        for (GroupRecord record : report.records()) {
            List<GroupRecord> pieces = pieces(record, maxSources);
            for (GroupRecord piece : pieces) {
                int length = IgmpMessageDecoder.RECORD_HEADER_LENGTH
                        + 4 * piece.sources().size();
                if (used + length > budget) {
                    reports.add(new V3MembershipReport(current));
                    current = new ArrayList<>();
                    used = 0;
                }
                current.add(piece);
                used += length;
            }
        }
        if (!current.isEmpty()) {
            reports.add(new V3MembershipReport(current));
        }
        return reports;
    }

    private static List<GroupRecord> pieces(GroupRecord record, int maxSources) {
        int count = record.sources().size();
        if (count <= maxSources) {
            return List.of(record);
        }
        if (record.type().dropsExcessSources()) {
            return List.of(new GroupRecord(
                    record.type(),
                    record.group(),
                    SourceSet.of(record.sources()).first(maxSources)));
        }
        List<GroupRecord> pieces = new ArrayList<>();
        for (int from = 0; from < count; from += maxSources) {
            pieces.add(new GroupRecord(
                    record.type(), record.group(), record.sources().subList(from, Math.min(count, from + maxSources))));
        }
        return pieces;
    }
}
