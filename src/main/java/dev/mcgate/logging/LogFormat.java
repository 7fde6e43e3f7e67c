package dev.mcgate.logging;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.event.Level;

/**
 * The shape of one log line: {@code [LEVEL] Logger - message}, preceded by a timestamp on a terminal or in a file, and
 * by a syslog priority ({@code <4>}) instead under journald, which stamps lines itself and files them by that priority.
 */
public final class LogFormat {

    /** Made on the first line with a time: a process that logs nothing (lab tools with -q) never pays for it. */
    private static final class Timestamp {
        static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");
    }

    private final boolean journal;
    private final Supplier<Instant> clock;
    private final ZoneId zone;

    private LogFormat(boolean journal, Supplier<Instant> clock, ZoneId zone) {
        this.journal = journal;
        this.clock = clock;
        this.zone = zone;
    }

    /** systemd sets JOURNAL_STREAM when stderr is connected to the journal (systemd.exec(5)). */
    public static LogFormat forEnvironment(Map<String, String> environment, Supplier<Instant> clock, ZoneId zone) {
        return new LogFormat(environment.containsKey("JOURNAL_STREAM"), clock, zone);
    }

    public boolean journal() {
        return journal;
    }

    /** One line without its line break; a throwable is summed up on the same line (its trace: Logging.write). */
    public String line(Level level, String logger, String message, Throwable thrown) {
        StringBuilder out = new StringBuilder(message.length() + 64);
        if (journal) {
            out.append('<').append(syslogPriority(level)).append('>');
        } else {
            out.append(Timestamp.FORMAT.format(clock.get().atZone(zone))).append(' ');
        }
        out.append('[').append(level).append("] ").append(logger).append(" - ");
        // A message with a line break would be two journal entries: keep one event on one line.
        appendOneLine(out, message);
        for (Throwable t = thrown; t != null; t = t.getCause() == t ? null : t.getCause()) {
            out.append(t == thrown ? " (" : "; caused by ");
            appendOneLine(out, t.toString());
            if (t.getCause() == null || t.getCause() == t) {
                out.append(')');
            }
        }
        return out.toString();
    }

    private static void appendOneLine(StringBuilder out, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            out.append(c == '\n' || c == '\r' ? ' ' : c);
        }
    }

    /** RFC 5424 severities, as journald reads them from a "<N>" prefix (sd-daemon(3)). */
    static int syslogPriority(Level level) {
        return switch (level) {
            case ERROR -> 3;
            case WARN -> 4;
            case INFO -> 6;
            case DEBUG, TRACE -> 7;
        };
    }
}
