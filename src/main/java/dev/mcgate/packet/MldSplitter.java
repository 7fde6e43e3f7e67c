package dev.mcgate.packet;

import dev.mcgate.net.Ip6;
import dev.mcgate.net.SourceSet;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits MLDv2 queries and reports into messages whose IPv6 packets (with the 8-octet Hop-by-Hop header) fit the link
 * MTU: IPv6 routers never fragment, and RFC 9777 §5.1.10 and §5.2.15 say what to do instead.
 */
public final class MldSplitter {

    /** IPv6 header and the Hop-by-Hop header with Router Alert and padding. */
    private static final int IP_OVERHEAD = Ipv6Header.LENGTH + HopByHopOptions.MLD_ROUTER_ALERT.length();
    /** Every IPv6 link carries 1280 octets (RFC 8200 §5): the least any split has to fit. */
    public static final int MIN_MTU = 1280;

    private MldSplitter() {}

    /**
     * §5.1.10: a Multicast Address and Source Specific Query whose sources do not fit is sent as several queries,
     * each with as many of the sources as fit, in address order.
     */
    public static List<MldV2Query> split(MldV2Query query, int mtu) {
        int perQuery = (budget(mtu) - MldMessageDecoder.V2_QUERY_MIN_LENGTH) / 16;
        List<Ip6> sources = query.sources();
        if (sources.size() <= perQuery) {
            return List.of(query);
        }
        List<MldV2Query> out = new ArrayList<>();
        for (int from = 0; from < sources.size(); from += perQuery) {
            out.add(new MldV2Query(
                    query.multicastAddress(),
                    query.maxResponseDelay(),
                    query.suppressRouterSideProcessing(),
                    query.querierRobustnessVariable(),
                    query.querierQueryInterval(),
                    sources.subList(from, Math.min(sources.size(), from + perQuery))));
        }
        return out;
    }

    /**
     * §5.2.15: records that do not fit go to the next report; a record that does not fit even alone is split into
     * records of its type, except MODE_IS_EXCLUDE and CHANGE_TO_EXCLUDE_MODE, of which only the sources that fit are
     * sent (the lowest addresses, so that each retransmission sends the same ones).
     */
    public static List<MldV2Report> split(MldV2Report report, int mtu) {
        int budget = budget(mtu) - MldMessageDecoder.V2_REPORT_HEADER_LENGTH;
        int maxSources = (budget - MldMessageDecoder.RECORD_HEADER_LENGTH) / 16;
        List<MldV2Report> reports = new ArrayList<>();
        List<MulticastAddressRecord> current = new ArrayList<>();
        int used = 0;
        for (MulticastAddressRecord record : report.records()) {
            for (MulticastAddressRecord piece : pieces(record, maxSources)) {
                int length = MldMessageDecoder.RECORD_HEADER_LENGTH
                        + 16 * piece.sources().size();
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

    private static List<MulticastAddressRecord> pieces(MulticastAddressRecord record, int maxSources) {
        List<Ip6> sources = record.sources();
        if (sources.size() <= maxSources) {
            return List.of(record);
        }
        if (record.type().dropsExcessSources()) {
            List<Ip6> lowest = SourceSet.of(sources).first(maxSources).ip6List();
            return List.of(new MulticastAddressRecord(record.type(), record.multicastAddress(), lowest));
        }
        List<MulticastAddressRecord> out = new ArrayList<>();
        for (int from = 0; from < sources.size(); from += maxSources) {
            out.add(new MulticastAddressRecord(
                    record.type(),
                    record.multicastAddress(),
                    sources.subList(from, Math.min(sources.size(), from + maxSources))));
        }
        return out;
    }

    /** Octets left for the ICMPv6 message in a packet of at most {@code mtu} (at least the IPv6 minimum). */
    private static int budget(int mtu) {
        if (mtu < MIN_MTU) {
            throw new IllegalArgumentException("MTU " + mtu + " is below IPv6's minimum " + MIN_MTU);
        }
        return Math.min(mtu, 0xffff) - IP_OVERHEAD;
    }
}
