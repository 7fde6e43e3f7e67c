/**
 * The data plane: an immutable forwarding table snapshot, RPF on the arrival interface, TTL and scope checks, frame rewrite and per-flow counters.
 *
 * <p>Threads: capture threads read the published table and forward on their own thread; only the loop publishes a new table.
 */
package dev.mcgate.forward;
