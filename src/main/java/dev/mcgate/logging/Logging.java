package dev.mcgate.logging;

import dev.mcgate.config.LogLevel;
import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import org.slf4j.event.Level;

/**
 * The process-wide log settings: the threshold (changeable at run time: the reload code calls {@link #setLevel}), the
 * line format chosen from the environment, and where lines go (stderr).
 *
 * <p>pcap4j logs at INFO on every capture loop start and stop, and the Kafka client logs its whole configuration
 * (a hundred lines) at INFO for each producer and consumer: their loggers never go below WARN.
 */
public final class Logging {

    /** Loggers under this prefix log at WARN or above whatever the threshold (DESIGN.md: pcap4j facts). */
    static final String PCAP4J = "org.pcap4j";

    /** The Kafka client's loggers (the relay.kafka package): WARN or above, as pcap4j's. */
    static final String KAFKA_CLIENT = "org.apache.kafka";

    /** Where per-logger thresholds are given: {@code -Dmcgate.log.LOGGER=LEVEL}, LOGGER a logger name or a prefix. */
    static final String OVERRIDE_PREFIX = "mcgate.log.";

    private static volatile Level threshold = Level.INFO;
    /**
     * Per-logger thresholds that win over the global one (the lab bench reads every membership change at DEBUG while
     * the rest stays at INFO). Read once: they are for labs and tests, not for operators' files.
     */
    private static final Map<String, Level> OVERRIDES = overrides(System.getProperties());

    private static volatile LogFormat format =
            LogFormat.forEnvironment(System.getenv(), Instant::now, ZoneId.systemDefault());

    private Logging() {}

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
        Level min =
                (logger.startsWith(PCAP4J) || logger.startsWith(KAFKA_CLIENT)) && threshold.toInt() < Level.WARN.toInt()
                        ? Level.WARN
                        : threshold;
        if (!OVERRIDES.isEmpty()) {
            min = override(OVERRIDES, logger).orElse(min);
        }
        return level.toInt() >= min.toInt();
    }

    /** The thresholds given as {@code mcgate.log.LOGGER=LEVEL} properties; a bad level is ignored. */
    static Map<String, Level> overrides(Properties properties) {
        Map<String, Level> out = new TreeMap<>();
        for (String key : properties.stringPropertyNames()) {
            if (key.startsWith(OVERRIDE_PREFIX) && key.length() > OVERRIDE_PREFIX.length()) {
                try {
                    out.put(
                            key.substring(OVERRIDE_PREFIX.length()),
                            Level.valueOf(properties.getProperty(key).trim().toUpperCase(java.util.Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    // not a level: the global threshold applies
                }
            }
        }
        return Map.copyOf(out);
    }

    /** The threshold of the longest logger name or prefix that {@code logger} starts with. */
    static Optional<Level> override(Map<String, Level> overrides, String logger) {
        String best = null;
        for (String name : overrides.keySet()) {
            if (logger.startsWith(name) && (best == null || name.length() > best.length())) {
                best = name;
            }
        }
        return Optional.ofNullable(best).map(overrides::get);
    }

    /**
     * Writes one line, and a stack trace under it when {@link #traces} says so, with one call, so that lines from
     * several threads never interleave.
     */
    static void write(Level level, String logger, String message, Throwable thrown) {
        LogFormat f = format;
        StringBuilder out = new StringBuilder(f.line(level, logger, message, thrown)).append(System.lineSeparator());
        if (thrown != null && traces(level, Boolean.getBoolean("mcgate.debug"))) {
            appendTrace(out, thrown, f.journal() ? "<" + LogFormat.syslogPriority(level) + ">" : "");
        }
        PrintStream err = System.err;
        err.print(out);
        err.flush();
    }

    /**
     * Whether a throwable's stack trace follows its line. Always at ERROR: every ERROR with a throwable is a failure
     * nobody expected (a loop task, a control request, a frame handler, a reload that threw), logged once or
     * rate-limited, and the trace is what a bug report needs. Below ERROR the throwable is an expected condition
     * (an I/O error, a refused packet) that its one line sums up; {@code -Dmcgate.debug=true} adds the trace there too.
     */
    static boolean traces(Level level, boolean debug) {
        return level == Level.ERROR || debug;
    }

    /**
     * The trace as {@link Throwable#printStackTrace} prints it, each line with {@code prefix}: under journald, the
     * line's syslog priority, so that the trace is filed with its line (an unprefixed line would be INFO there).
     */
    static void appendTrace(StringBuilder out, Throwable thrown, String prefix) {
        java.io.StringWriter trace = new java.io.StringWriter();
        thrown.printStackTrace(new java.io.PrintWriter(trace));
        trace.toString().lines().forEach(l -> out.append(prefix).append(l).append(System.lineSeparator()));
    }

    static Level toSlf4j(LogLevel level) {
        return Level.valueOf(level.name());
    }
}
