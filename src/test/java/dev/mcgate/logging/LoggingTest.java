package dev.mcgate.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.config.LogLevel;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/** The provider as SLF4J finds it: the level changes while loggers exist, pcap4j stays at WARN, lines go to stderr. */
class LoggingTest {

    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private PrintStream savedErr;
    private LogLevel savedLevel;
    private LogFormat savedFormat;

    @BeforeEach
    void captureStderr() {
        savedErr = System.err;
        savedLevel = Logging.level();
        savedFormat = Logging.format();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        Logging.setFormat(LogFormat.forEnvironment(Map.of("JOURNAL_STREAM", "1:1"), Instant::now, ZoneOffset.UTC));
    }

    @AfterEach
    void restore() {
        System.setErr(savedErr);
        Logging.setLevel(savedLevel);
        Logging.setFormat(savedFormat);
    }

    private List<String> lines() {
        String text = captured.toString(StandardCharsets.UTF_8);
        return text.isEmpty() ? List.of() : List.of(text.split(System.lineSeparator()));
    }

    @Test
    void slf4jUsesThisProvider() {
        assertInstanceOf(McgateLogger.class, LoggerFactory.getLogger("dev.mcgate.Anything"));
    }

    @Test
    void theLevelChangesForLoggersThatAlreadyExist() {
        Logger log = LoggerFactory.getLogger("dev.mcgate.daemon.Daemon");
        Logging.setLevel(LogLevel.INFO);
        log.debug("hidden {}", 1);
        log.info("shown {}", 2);
        Logging.setLevel(LogLevel.DEBUG);
        assertTrue(log.isDebugEnabled());
        log.debug("now shown {}", 3);
        Logging.setLevel(LogLevel.ERROR);
        log.warn("hidden again");
        assertEquals(List.of("<6>[INFO] Daemon - shown 2", "<7>[DEBUG] Daemon - now shown 3"), lines());
        assertEquals(LogLevel.ERROR, Logging.level());
    }

    @Test
    void pcap4jNeverLogsBelowWarnButOursDo() {
        Logging.setLevel(LogLevel.TRACE);
        Logger pcap = LoggerFactory.getLogger("org.pcap4j.core.PcapHandle");
        assertFalse(pcap.isInfoEnabled());
        assertTrue(pcap.isWarnEnabled());
        assertTrue(LoggerFactory.getLogger("dev.mcgate.x.Y").isTraceEnabled());
        Logging.setLevel(LogLevel.ERROR);
        assertFalse(pcap.isWarnEnabled(), "a threshold above WARN applies to pcap4j too");
    }

    @Test
    void theKafkaClientNeverLogsBelowWarn() {
        Logging.setLevel(LogLevel.DEBUG);
        Logger kafka = LoggerFactory.getLogger("org.apache.kafka.clients.producer.ProducerConfig");
        assertFalse(kafka.isInfoEnabled(), "its configuration dump is a hundred INFO lines per client");
        assertTrue(kafka.isWarnEnabled());
        assertTrue(
                LoggerFactory.getLogger("dev.mcgate.relay.kafka.KafkaPublisher").isDebugEnabled());
    }

    @Test
    void rateLimitedWarningsSaySoAndCountTheRest() {
        Logging.setLevel(LogLevel.INFO);
        AtomicLong now = new AtomicLong();
        RateLimitedLog log = new RateLimitedLog(
                LoggerFactory.getLogger("dev.mcgate.io.pcap.PcapPort"),
                new RateLimiter(1, Duration.ofSeconds(10), now::get));
        for (int i = 0; i < 50; i++) {
            log.warn("down1: frame handler failed: boom " + i);
        }
        now.addAndGet(Duration.ofSeconds(10).toNanos());
        log.warn("down1: frame handler failed: boom 50");
        assertEquals(
                List.of(
                        "<4>[WARN] PcapPort - down1: frame handler failed: boom 0",
                        "<4>[WARN] PcapPort - down1: frame handler failed: boom 50 (49 similar warnings suppressed)"),
                lines());
    }

    @Test
    void anErrorWithAThrowableIsFollowedByItsStackTraceFiledAtTheSamePriority() {
        Logging.setLevel(LogLevel.INFO);
        Logger log = LoggerFactory.getLogger("dev.mcgate.time.EventLoop");
        IllegalStateException thrown = failure();

        log.error("loop task {} failed", "lab:boom", thrown);

        List<String> lines = lines();
        assertEquals(
                "<3>[ERROR] EventLoop - loop task lab:boom failed (java.lang.IllegalStateException: boom; "
                        + "caused by java.io.IOException: cause)",
                lines.get(0));
        assertEquals("<3>java.lang.IllegalStateException: boom", lines.get(1));
        assertTrue(
                lines.contains("<3>\tat dev.mcgate.logging.LoggingTest.failure(LoggingTest.java:"
                        + thrown.getStackTrace()[0].getLineNumber() + ")"),
                String.join("\n", lines));
        assertTrue(lines.contains("<3>Caused by: java.io.IOException: cause"), String.join("\n", lines));
        assertTrue(lines.stream().allMatch(l -> l.startsWith("<3>")), "every trace line is filed as an error");
    }

    @Test
    void belowErrorAThrowableStaysOnItsOneLine() {
        Logging.setLevel(LogLevel.INFO);
        LoggerFactory.getLogger("dev.mcgate.io.pcap.PcapPort").warn("down1: send failed", failure());

        assertEquals(
                List.of("<4>[WARN] PcapPort - down1: send failed (java.lang.IllegalStateException: boom; "
                        + "caused by java.io.IOException: cause)"),
                lines());
        assertTrue(Logging.traces(Level.WARN, true), "-Dmcgate.debug adds the trace below ERROR");
        assertFalse(Logging.traces(Level.WARN, false));
    }

    private static IllegalStateException failure() {
        return new IllegalStateException("boom", new java.io.IOException("cause"));
    }

    @Test
    void levelsMapToSlf4j() {
        for (LogLevel l : LogLevel.values()) {
            assertEquals(Level.valueOf(l.name()), Logging.toSlf4j(l));
        }
    }
}
