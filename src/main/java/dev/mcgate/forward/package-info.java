/**
 * The data plane: an immutable forwarding table snapshot, RPF on the arrival interface, TTL and scope checks, frame rewrite and per-flow counters.
 *
 * <p>The loop builds a {@link dev.mcgate.forward.ForwardingTable} with {@link dev.mcgate.forward.ForwardingTableBuilder}
 * (interfaces, querier state, downstream subscriptions, upstream ownership of groups) and publishes it to the
 * {@link dev.mcgate.forward.Forwarder}; each port's capture thread hands it the data frames it captures, and the
 * forwarder decides (cached per flow), rewrites and sends the copies on that same thread.
 *
 * <p>Threads: capture threads read the published table and forward on their own thread (one volatile read per frame,
 * no lock, no allocation once a flow is known); only the loop publishes a new table. Per-flow state and arrival
 * counters belong to the arrival port's capture thread; egress counters are LongAdders; snapshots may be taken from
 * any thread. Time comes from an injected nanosecond clock, never the wall clock.
 */
package dev.mcgate.forward;
