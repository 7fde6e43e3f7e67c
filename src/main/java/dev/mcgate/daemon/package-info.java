/**
 * The composition root and lifecycle: start, reload and graceful stop.
 *
 * <p>Threads: the main thread starts and stops; protocol work happens on the loop thread. Ports open and close on
 * the thread that calls {@code Daemon} (main, the interface watcher, a reload), under the daemon's lock; a reload
 * applies the new configuration to the protocol state and the forwarding table in one loop task first.
 */
package dev.mcgate.daemon;
