package dev.mcgate.igmp;

import dev.mcgate.packet.IgmpSender;
import dev.mcgate.packet.MembershipQuery;
import dev.mcgate.packet.MldSender;

/** Where a router interface hands the queries it wants sent, before they are turned into its family's messages. */
@FunctionalInterface
public interface QueryOutput {

    void send(Query query);

    /** Sends IGMP queries (an IGMPv1 router has no group-specific query: those are not sent). */
    static QueryOutput igmp(IgmpSender sender) {
        return query -> {
            MembershipQuery message = IgmpQueries.encode(query);
            if (message != null) {
                sender.send(message);
            }
        };
    }

    /** Sends MLD queries. */
    static QueryOutput mld(MldSender sender) {
        return query -> sender.send(MldQueries.encode(query));
    }
}
