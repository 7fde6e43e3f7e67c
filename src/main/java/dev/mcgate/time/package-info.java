/**
 * Time and randomness as injected services: the {@code Scheduler}, {@code Timer}, {@code Ticker} and {@code RandomSource} interfaces, the event loop that owns protocol state, and a hand-driven scheduler for tests. Protocol packages read time only through these.
 *
 * <p>Threads: the event loop thread runs every timer and event, each under a name; other threads post events to its
 * bounded inbox or {@code call} it with a timeout (refused once it stops, cancelled if not started in time).
 */
package dev.mcgate.time;
