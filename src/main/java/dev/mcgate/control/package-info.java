/**
 * What an operator can ask for: status, groups, routes and counters as an immutable {@link
 * dev.mcgate.control.DaemonSnapshot}, rendered as text tables or JSON (schema 1, docs/control.md), served over the
 * Unix control socket ({@link dev.mcgate.control.ControlServer}) and as Prometheus metrics
 * ({@link dev.mcgate.control.MetricsEndpoint}).
 *
 * <p>Threads: snapshots are built by the daemon on the loop thread and rendered anywhere; the socket has one accept
 * thread ({@code mcgate-control}) and a few workers, the metrics endpoint one thread ({@code mcgate-metrics}).
 */
package dev.mcgate.control;
