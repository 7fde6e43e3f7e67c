/**
 * mcgate's own SLF4J 2 provider: one line per event on stderr, a level that can change while the daemon runs
 * ({@link dev.mcgate.logging.Logging#setLevel}), no timestamp under journald (it adds its own), and a token bucket
 * ({@link dev.mcgate.logging.RateLimiter}) for warnings that could otherwise come once per packet.
 *
 * <p>Threads: loggers are used from every thread; a line is written with one call so lines never interleave. The
 * level is a volatile read per call.
 */
package dev.mcgate.logging;
