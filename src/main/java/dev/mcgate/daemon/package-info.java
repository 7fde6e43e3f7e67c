/**
 * The composition root and lifecycle: start, reload and graceful stop.
 *
 * <p>Threads: the main thread starts and stops; protocol work happens on the loop thread.
 */
package dev.mcgate.daemon;
