package dev.mcgate.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.config.IgmpSettings;
import dev.mcgate.config.LogLevel;
import dev.mcgate.config.MembershipLimits;
import dev.mcgate.igmp.RouterInterface;
import dev.mcgate.logging.Logging;
import dev.mcgate.net.Ip4;
import dev.mcgate.packet.V3Query;
import dev.mcgate.time.ManualScheduler;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Querier changes a LAN host can cause at will are logged as a few lines, then one a minute with a count. */
class QuerierLogLimitTest {

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream savedErr;
    private LogLevel savedLevel;

    @BeforeEach
    void captureStderr() {
        savedErr = System.err;
        savedLevel = Logging.level();
        Logging.setLevel(LogLevel.INFO);
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setErr(savedErr);
        Logging.setLevel(savedLevel);
    }

    @Test
    void aFloodOfAlternatingForgedQueriersMakesABoundedNumberOfLines() {
        ManualScheduler clock = new ManualScheduler();
        AtomicInteger passedOn = new AtomicInteger();
        MembershipLog log =
                new MembershipLog((name, group, now) -> {}, (name, q, thisRouter) -> passedOn.incrementAndGet(), clock);
        RouterInterface router = new RouterInterface(
                "down1",
                Ip4.parse("10.0.0.100"),
                IgmpSettings.RFC_DEFAULTS,
                false,
                MembershipLimits.DEFAULTS,
                clock,
                message -> {},
                log,
                log);
        router.start();
        // QRV 1, QQIC 1 s: each forged query holds for only 1 s + 10 s / 2, so the role comes back 6 s later and the
        // next forged query (from the other address) takes it again: two querier changes every 6 s, for 10 minutes.
        int rounds = 100;
        for (int i = 0; i < rounds; i++) {
            Ip4 forged = Ip4.parse(i % 2 == 0 ? "10.0.0.1" : "10.0.0.2");
            router.receive(forged, V3Query.general(100, 1, 1));
            clock.advance(Duration.ofSeconds(6));
        }
        int changes = passedOn.get();
        assertEquals(1 + 2 * rounds, changes, "the start, then every takeover and every return reach the plane");
        assertEquals(rounds, router.snapshot().counters().get(dev.mcgate.igmp.RouterCounter.QUERIER_TAKEOVERS));

        List<String> querierLines = err.toString(StandardCharsets.UTF_8)
                .lines()
                .filter(l -> l.contains("MembershipLog - down1: querier "))
                .toList();
        // A burst of 5, then one a minute over 600 s.
        assertTrue(querierLines.size() <= MembershipLog.QUERIER_LINES_BURST + 11, querierLines.toString());
        assertTrue(querierLines.size() > MembershipLog.QUERIER_LINES_BURST, querierLines.toString());
        long suppressed = querierLines.stream()
                .filter(l -> l.endsWith("similar lines suppressed)"))
                .mapToLong(l -> Long.parseLong(l.replaceAll(".*\\((\\d+) similar lines suppressed\\)$", "$1")))
                .sum();
        assertTrue(suppressed > 0, querierLines.toString());
        // Each change is a line or counted in a later one, but for those since the last line (under a minute's).
        long accounted = querierLines.size() + suppressed;
        assertTrue(accounted <= changes && changes - accounted <= 2 * 60 / 6, accounted + " of " + changes);
    }
}
