package dev.mcgate.igmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.config.LogLevel;
import dev.mcgate.logging.Logging;
import dev.mcgate.net.Ip4;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** RFC 3376 §7.3.1's warning on an older version query: still given, but bounded in memory and in lines. */
class OlderQuerierWarningsTest {

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final AtomicLong nanos = new AtomicLong();
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

    private List<String> warnings() {
        return err.toString(StandardCharsets.UTF_8)
                .lines()
                .filter(l -> l.contains("query heard (configured IGMPv3)"))
                .toList();
    }

    private OlderQuerierWarnings warnings(AtomicLong clock) {
        return new OlderQuerierWarnings(LoggerFactory.getLogger(RouterInterface.class), clock::get);
    }

    @Test
    void aRealOlderQuerierIsWarnedAboutOnceAmongOthers() {
        OlderQuerierWarnings w = warnings(nanos);
        Ip4 real = Ip4.parse("10.0.0.1");
        for (int i = 0; i < 10; i++) {
            w.heard("down1", real, 2, 3);
            nanos.addAndGet(Duration.ofSeconds(125).toNanos());
        }
        w.heard("down1", real, 1, 3);
        assertEquals(2, warnings().size(), "once per querier and version: " + warnings());
        assertTrue(warnings().get(0).contains("down1: IGMPv2 query heard (configured IGMPv3) from 10.0.0.1"));
    }

    @Test
    void aFloodOfSpoofedSourcesLeavesItBoundedAndStillWarns() {
        OlderQuerierWarnings w = warnings(nanos);
        int flood = 100_000;
        for (int i = 0; i < flood; i++) {
            w.heard("down1", new Ip4(Ip4.parse("10.1.0.0").bits() + i), 2, 3);
            nanos.addAndGet(Duration.ofMillis(1).toNanos());
        }
        assertEquals(OlderQuerierWarnings.REMEMBERED, w.remembered());
        // 100 s of flood: a burst of 3, then one a minute.
        List<String> lines = warnings();
        assertTrue(lines.size() >= 3 && lines.size() <= 5, lines.toString());
        assertTrue(lines.get(lines.size() - 1).endsWith("similar warnings suppressed)"), lines.toString());
        // After the flood, a new older querier is still warned about.
        nanos.addAndGet(Duration.ofMinutes(1).toNanos());
        w.heard("down1", Ip4.parse("10.0.0.2"), 1, 3);
        List<String> after = warnings();
        assertEquals(lines.size() + 1, after.size());
        assertTrue(after.get(after.size() - 1).contains("IGMPv1 query heard (configured IGMPv3) from 10.0.0.2"));
    }
}
