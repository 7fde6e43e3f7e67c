/**
 * The composition root and lifecycle: start, reload and graceful stop.
 *
 * <p>Threads: the main thread starts and stops; protocol work happens on the loop thread. Ports open and close on
 * the thread that calls {@code Daemon} (main, the interface watcher, a reload), under the daemon's lock; a reload
 * applies the new configuration to the protocol state and the forwarding table in one loop task first.
 * {@code StatusGatherer} reads the protocol state for the control socket and metrics on the loop (one call per
 * request, with a timeout) and samples flow counters there every second for rates; it reads {@code Daemon} off the
 * loop, since the daemon holds its lock while it waits for the loop. {@code Tunnels} opens, changes and closes mcgate
 * tunnels under a lock of its own (main, a reload, its retry thread), never on the loop, whose retry timer only hands
 * it work; a reload takes that lock first and the daemon's inside it, never the other way round.
 */
package dev.mcgate.daemon;
