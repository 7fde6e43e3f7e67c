package dev.mcgate.packet;

import dev.mcgate.net.Ip4;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a group-and-source-specific query whose source list does not fit the link MTU into several queries.
 */
public final class V3QuerySplitter {

    /** IPv4 header with Router Alert plus the 12 octets of query before the source list. */
    private static final int OVERHEAD = Ipv4Header.IGMP_HEADER_LENGTH + IgmpMessageDecoder.V3_QUERY_MIN_LENGTH;

    public static final int MIN_MTU = OVERHEAD + 4;

    private V3QuerySplitter() {}

    /**
     * RFC 3376 §4.1.8: the number of sources is limited by the MTU (366 on a 1500-octet Ethernet: (1500 - 24 - 12) / 4);
     * a longer list goes out as several queries that differ only in their sources.
     */
    public static List<V3Query> split(V3Query query, int mtu) {
        if (mtu < MIN_MTU) {
            throw new IllegalArgumentException("MTU " + mtu + " is below " + MIN_MTU);
        }
        int perQuery = (Math.min(mtu, 0xffff) - OVERHEAD) / 4;
        List<V3Query> queries = new ArrayList<>();
        List<Ip4> sources = query.sources();
        if (sources.size() <= perQuery) {
            return List.of(query);
        }
        for (int from = 0; from < sources.size(); from += perQuery) {
            queries.add(new V3Query(
                    query.group(),
                    query.maxRespTime(),
                    query.suppressRouterSideProcessing(),
                    query.querierRobustnessVariable(),
                    query.querierQueryInterval(),
                    sources.subList(from, Math.min(sources.size(), from + perQuery))));
        }
        return queries;
    }
}
