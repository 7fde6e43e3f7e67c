package dev.mcgate.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mcgate.io.linux.SdNotify;
import dev.mcgate.time.ManualScheduler;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The watchdog pings run as loop timers at half of systemd's interval, and the interval is read as systemd means it. */
class LoopWatchdogTest {

    @Test
    void pingsAtHalfTheIntervalOnTheLoopsTimers() {
        ManualScheduler loop = new ManualScheduler();
        AtomicInteger pings = new AtomicInteger();
        new LoopWatchdog(loop, Duration.ofSeconds(30), pings::incrementAndGet).start();
        assertEquals(1, pings.get(), "the first at once");
        loop.advance(Duration.ofMillis(14_999));
        assertEquals(1, pings.get());
        loop.advance(Duration.ofMillis(1));
        assertEquals(2, pings.get(), "the next after 15 s");
        loop.advance(Duration.ofSeconds(60));
        assertEquals(6, pings.get());
    }

    @Test
    void aLoopThatRunsNoTimersSendsNoPings() {
        // Only the loop's own timers send: time passing without the loop running them (a stuck loop) sends nothing.
        ManualScheduler loop = new ManualScheduler();
        AtomicInteger pings = new AtomicInteger();
        new LoopWatchdog(loop, Duration.ofSeconds(2), pings::incrementAndGet).start();
        assertEquals(1, loop.pendingCount());
        assertEquals(1, pings.get());
    }

    @Test
    void theIntervalIsWatchdogUsecForThisProcessOnly() {
        assertEquals(
                Optional.of(Duration.ofSeconds(30)),
                SdNotify.watchdogInterval(Map.of("WATCHDOG_USEC", "30000000"), 42));
        assertEquals(
                Optional.of(Duration.ofMillis(400)),
                SdNotify.watchdogInterval(Map.of("WATCHDOG_USEC", "400000", "WATCHDOG_PID", "42"), 42));
        assertEquals(
                Optional.empty(),
                SdNotify.watchdogInterval(Map.of("WATCHDOG_USEC", "400000", "WATCHDOG_PID", "43"), 42),
                "another process's watchdog");
        assertEquals(Optional.empty(), SdNotify.watchdogInterval(Map.of(), 42));
        assertEquals(Optional.empty(), SdNotify.watchdogInterval(Map.of("WATCHDOG_USEC", "0"), 42));
        assertEquals(Optional.empty(), SdNotify.watchdogInterval(Map.of("WATCHDOG_USEC", "soon"), 42));
    }
}
