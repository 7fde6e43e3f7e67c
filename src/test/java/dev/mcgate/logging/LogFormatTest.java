package dev.mcgate.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

/** One event, one line: a timestamp on a terminal, a syslog priority instead under journald. */
class LogFormatTest {

    private static final Instant AT = Instant.parse("2026-11-23T13:50:01.250Z");

    @Test
    void withoutJournalStreamALineStartsWithTheTime() {
        LogFormat f = LogFormat.forEnvironment(Map.of("HOME", "/root"), () -> AT, ZoneOffset.UTC);
        assertFalse(f.journal());
        assertEquals(
                "2026-11-23 13:50:01.250 [INFO] Daemon - 3 of 3 configured interfaces open",
                f.line(Level.INFO, "Daemon", "3 of 3 configured interfaces open", null));
    }

    @Test
    void underJournaldTheLineCarriesTheSyslogPriorityAndNoTime() {
        LogFormat f = LogFormat.forEnvironment(Map.of("JOURNAL_STREAM", "8:12345"), () -> AT, ZoneOffset.UTC);
        assertTrue(f.journal());
        assertEquals(
                "<4>[WARN] Daemon - down1 (downstream): disappeared",
                f.line(Level.WARN, "Daemon", "down1 (downstream): disappeared", null));
        assertEquals("<3>[ERROR] X - m", f.line(Level.ERROR, "X", "m", null));
        assertEquals("<6>[INFO] X - m", f.line(Level.INFO, "X", "m", null));
        assertEquals("<7>[DEBUG] X - m", f.line(Level.DEBUG, "X", "m", null));
        assertEquals("<7>[TRACE] X - m", f.line(Level.TRACE, "X", "m", null));
    }

    @Test
    void lineBreaksAndThrowablesStayOnTheOneLine() {
        LogFormat f = LogFormat.forEnvironment(Map.of("JOURNAL_STREAM", "8:1"), () -> AT, ZoneOffset.UTC);
        Exception e = new IllegalStateException("outer\nsecond line", new IOException("inner"));
        String line = f.line(Level.ERROR, "Loop", "task\nfailed", e);
        assertEquals(
                "<3>[ERROR] Loop - task failed (java.lang.IllegalStateException: outer second line; caused by "
                        + "java.io.IOException: inner)",
                line);
    }
}
