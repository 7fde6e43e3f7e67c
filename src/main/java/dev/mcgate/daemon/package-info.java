/**
 * The composition root and lifecycle: start, reload and graceful stop.
 *
 * <p>Threads: the main thread starts and stops; protocol work happens on the loop thread. {@code StatusGatherer}
 * reads the protocol state for the control socket and metrics on the loop (one call per request, with a timeout) and
 * samples flow counters there every second for rates.
 */
package dev.mcgate.daemon;
