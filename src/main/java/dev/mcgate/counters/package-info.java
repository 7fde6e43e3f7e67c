/**
 * Typed counters and the one registry that shows them all.
 *
 * <p>Every subsystem names its counters in an enum that implements {@link dev.mcgate.counters.Counter}: a stable
 * snake_case metric name, a one-line help text and the labels each value carries (interface, tunnel, reason, ...).
 * Each counter family is a {@link dev.mcgate.counters.CounterSource}: it writes its current values into a
 * {@link dev.mcgate.counters.CounterRecorder}. The {@link dev.mcgate.counters.CounterRegistry} knows every family and
 * every source, and gives {@link dev.mcgate.counters.CounterReadings}: one immutable set that the {@code counters}
 * command (text and JSON) and the Prometheus metrics both render, so that no counter is kept without being shown.
 *
 * <p>The counters themselves stay where they are counted, in whatever form suits their thread (a capture thread's
 * plain array, a loop-owned field, an AtomicLongArray); only reading them goes through here, and reading allocates,
 * counting never does.
 */
package dev.mcgate.counters;
