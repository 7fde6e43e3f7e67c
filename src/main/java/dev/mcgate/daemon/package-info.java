/**
 * The composition root and lifecycle: start, reload and graceful stop.
 *
 * <p>Threads: the main thread starts and stops; protocol work happens on the loop thread. Ports open and close on
 * the thread that calls {@code Daemon} (main, the interface watcher, a reload), under the daemon's lock; a reload
 * applies the new configuration to the protocol state and the forwarding table in one loop task first.
 * {@code StatusGatherer} reads the protocol state for the control socket and metrics on the loop (one call per
 * request, with a timeout) and samples flow counters there every second for rates; it reads {@code Daemon} off the
 * loop, since the daemon holds its lock while it waits for the loop. {@code Tunnels} holds no lock: which tunnels
 * are open is the loop's, and what blocks (keys, sockets) runs on its one I/O thread, which asks the loop; a reload
 * waits for that thread's two jobs around the daemon's part, and the loop's retry timer only hands it work.
 */
package dev.mcgate.daemon;
