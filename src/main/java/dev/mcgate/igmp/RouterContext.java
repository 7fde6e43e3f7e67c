package dev.mcgate.igmp;

import dev.mcgate.config.IgmpSettings;
import dev.mcgate.time.Scheduler;

/**
 * What the per-group parts of one router interface share with it: the clock, the parameters in force, whether this
 * router is the querier, where to send queries, and whom to tell when a group changed.
 */
interface RouterContext {

    Scheduler scheduler();

    /** The parameters in force: the configured ones, with QRV and QQI adopted from the querier when not querier. */
    IgmpSettings settings();

    /** The generation the interface is configured for (1, 2 or 3, see {@link Query}): that of the queries it sends. */
    int configuredVersion();

    boolean isQuerier();

    void send(Query query);

    /** A group's state changed on its own (a timer): the interface publishes the new subscription. */
    void groupChanged(GroupState group);

    /** A group finished its last-member queries (a pending querier handover may now happen). */
    void lastMemberQueriesDone();
}
