package dev.mcgate.host;

import dev.mcgate.net.Ip6;
import dev.mcgate.packet.MldV2Report;
import dev.mcgate.packet.MulticastAddressRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits the records of an MLDv2 report into reports whose IPv6 packets fit the link MTU (RFC 9777 §5.2.15), by the
 * rule IGMPv3 uses (RFC 9776 §4.2.16): a record that does not fit goes to the next report; a record too large even
 * alone is cut into records of the same type, unless it is MODE_IS_EXCLUDE or CHANGE_TO_EXCLUDE_MODE, which keep only
 * the lowest sources that fit (so that every retransmission says the same).
 */
final class MldReportSplitter {

    /** IPv6 header (40), Hop-by-Hop header with Router Alert (8), the report's own header (8). */
    static final int OVERHEAD = 40 + 8 + 8;
    /** A Multicast Address Record without sources: type, aux len, number of sources, the address. */
    static final int RECORD_HEADER = 20;

    static final int SOURCE = 16;
    /** The IPv6 minimum link MTU (RFC 8200 §5): what every link carries, the default when the MTU is not known. */
    static final int MIN_MTU = 1280;

    private MldReportSplitter() {}

    static List<MldV2Report> split(List<MulticastAddressRecord> records, int mtu) {
        if (mtu < MIN_MTU) {
            throw new IllegalArgumentException("IPv6 MTU " + mtu + " is below " + MIN_MTU);
        }
        int budget = Math.min(mtu, 0xffff) - OVERHEAD;
        int maxSources = (budget - RECORD_HEADER) / SOURCE;
        List<MldV2Report> reports = new ArrayList<>();
        List<MulticastAddressRecord> current = new ArrayList<>();
        int used = 0;
        for (MulticastAddressRecord record : records) {
            for (MulticastAddressRecord piece : pieces(record, maxSources)) {
                int length = RECORD_HEADER + SOURCE * piece.sources().size();
                if (used + length > budget) {
                    reports.add(new MldV2Report(current));
                    current = new ArrayList<>();
                    used = 0;
                }
                current.add(piece);
                used += length;
            }
        }
        if (!current.isEmpty()) {
            reports.add(new MldV2Report(current));
        }
        return reports;
    }

    /** The length of the IPv6 packet that carries a report. */
    static int packetLength(MldV2Report report) {
        int length = OVERHEAD;
        for (MulticastAddressRecord r : report.records()) {
            length += RECORD_HEADER + SOURCE * r.sources().size();
        }
        return length;
    }

    private static List<MulticastAddressRecord> pieces(MulticastAddressRecord record, int maxSources) {
        List<Ip6> sources = record.sources();
        if (sources.size() <= maxSources) {
            return List.of(record);
        }
        if (record.type().dropsExcessSources()) {
            // The sources of a HostRecord come sorted (a SourceSet), so the first ones are the lowest.
            return List.of(new MulticastAddressRecord(
                    record.type(), record.multicastAddress(), sources.subList(0, maxSources)));
        }
        List<MulticastAddressRecord> pieces = new ArrayList<>();
        for (int from = 0; from < sources.size(); from += maxSources) {
            pieces.add(new MulticastAddressRecord(
                    record.type(),
                    record.multicastAddress(),
                    sources.subList(from, Math.min(sources.size(), from + maxSources))));
        }
        return pieces;
    }
}
