package dev.mcgate.logging;

import dev.mcgate.config.LogLevel;
import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;
import org.slf4j.event.Level;

/**
 * The process-wide log settings: the threshold (changeable at run time: the reload code calls {@link #setLevel}), the
 * line format chosen from the environment, and where lines go (stderr).
 *
 * <p>pcap4j logs at INFO on every capture loop start and stop: its loggers never go below WARN.
 */
public final class Logging {

    /** Loggers under this prefix log at WARN or above whatever the threshold (DESIGN.md: pcap4j facts). */
    static final String PCAP4J = "org.pcap4j";

    private static volatile Level threshold = Level.INFO;
    private static volatile LogFormat format = LogFormat.forEnvironment(System.getenv(), Instant::now,
            ZoneId.systemDefault());

    private Logging() {
    }

    /** Sets the threshold of every mcgate logger, at once and from any thread. */
    public static void setLevel(LogLevel level) {
        threshold = toSlf4j(Objects.requireNonNull(level, "level"));
    }

    public static LogLevel level() {
        return LogLevel.valueOf(threshold.name());
    }

    /** Whether lines carry a syslog priority instead of a timestamp (running under systemd's journal). */
    public static boolean journal() {
        return format.journal();
    }

    /** For tests of the whole provider: another environment (JOURNAL_STREAM or not) and clock. */
    static void setFormat(LogFormat next) {
        format = Objects.requireNonNull(next);
    }

    static LogFormat format() {
        return format;
    }

    static boolean enabled(String logger, Level level) {
        Level min = logger.startsWith(PCAP4J) && threshold.toInt() < Level.WARN.toInt() ? Level.WARN : threshold;
        return level.toInt() >= min.toInt();
    }

    /** Writes one line with one call, so lines from several threads never interleave. */
    static void write(Level level, String logger, String message, Throwable thrown) {
        String line = format.line(level, logger, message, thrown);
        PrintStream err = System.err;
        err.print(line + System.lineSeparator());
        if (thrown != null && Boolean.getBoolean("mcgate.debug")) {
            thrown.printStackTrace(err);
        }
        err.flush();
    }

    static Level toSlf4j(LogLevel level) {
        return Level.valueOf(level.name());
    }
}
