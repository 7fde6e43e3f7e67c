package dev.mcgate.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The loop on a real thread: waits are on latches and futures, never sleeps; task durations come from an injected
 * clock that a task moves to look slow.
 */
class EventLoopTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private PrintStream savedErr;

    @BeforeEach
    void captureStderr() {
        savedErr = System.err;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreStderr() {
        System.setErr(savedErr);
        // What the loop logged stays visible in the test output.
        savedErr.print(captured.toString(StandardCharsets.UTF_8));
    }

    private String log() {
        return captured.toString(StandardCharsets.UTF_8);
    }

    /** Posts a task that holds the loop until {@code release} opens; returns once the loop is in it. */
    private static void holdLoop(EventLoop loop, CountDownLatch release) throws InterruptedException {
        CountDownLatch holding = new CountDownLatch(1);
        assertTrue(loop.post("test:hold", () -> {
            holding.countDown();
            await(release);
        }));
        assertTrue(holding.await(10, TimeUnit.SECONDS));
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(10, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void postedEventsRunInOrderOnTheLoopThread() throws Exception {
        try (EventLoop loop = new EventLoop("test-loop", 16).start()) {
            List<Integer> seen = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                int n = i;
                assertTrue(loop.post("test:add", () -> seen.add(n)));
            }
            List<Integer> result = loop.call("test:read", () -> List.copyOf(seen), WAIT);
            assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), result);
            assertTrue(loop.call("test:where", loop::isLoopThread, WAIT));
        }
    }

    @Test
    void aFullInboxDropsAndCountsInsteadOfBlocking() throws Exception {
        try (EventLoop loop = new EventLoop("test-loop", 2).start()) {
            CountDownLatch release = new CountDownLatch(1);
            holdLoop(loop, release);
            assertTrue(loop.post("test:one", () -> {}));
            assertTrue(loop.post("test:two", () -> {}));
            assertFalse(loop.post("test:three", () -> {}), "third event while two are queued");
            release.countDown();
            assertEquals(1L, loop.call("test:count", loop::droppedEvents, WAIT));
        }
    }

    @Test
    void aCallThatFindsTheInboxFullIsNotQueuedAndSaysSo() throws Exception {
        try (EventLoop loop = new EventLoop("test-loop", 1).start()) {
            CountDownLatch release = new CountDownLatch(1);
            holdLoop(loop, release);
            assertTrue(loop.post("test:fill", () -> {}));
            AtomicBoolean ran = new AtomicBoolean();

            LoopCallTimeoutException e = assertThrows(
                    LoopCallTimeoutException.class,
                    () -> loop.call("lab:full", () -> ran.getAndSet(true), Duration.ofMillis(20)));

            assertFalse(e.stillRunning());
            assertTrue(e.getMessage().contains("'lab:full'") && e.getMessage().contains("inbox"), e.getMessage());
            release.countDown();
            assertEquals(1L, loop.call("test:count", loop::timedOutCalls, WAIT));
            assertFalse(ran.get());
        }
    }

    @Test
    void aTimedOutCallIsCancelledAndNeverRunsEvenAfterTheLoopFreesUp() throws Exception {
        try (EventLoop loop = new EventLoop("test-loop", 16).start()) {
            CountDownLatch release = new CountDownLatch(1);
            holdLoop(loop, release);
            AtomicBoolean ran = new AtomicBoolean();

            LoopCallTimeoutException e = assertThrows(
                    LoopCallTimeoutException.class,
                    () -> loop.call("reload:apply", () -> ran.getAndSet(true), Duration.ofMillis(20)));

            assertFalse(e.stillRunning(), "the loop was held: the task cannot have started");
            assertEquals("reload:apply", e.taskName());
            assertTrue(e.getMessage().contains("never ran"), e.getMessage());
            release.countDown();
            // Everything queued before this call has been run or skipped once it answers.
            assertEquals(1L, loop.call("test:count", loop::timedOutCalls, WAIT));
            assertFalse(ran.get(), "a cancelled call ran late");
        }
    }

    @Test
    void aCallThatTimesOutWhileRunningSaysItIsStillRunning() throws Exception {
        try (EventLoop loop = new EventLoop("test-loop", 16).start()) {
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            AtomicBoolean finished = new AtomicBoolean();

            // The loop is idle, so the task starts at once; it then waits until the caller has given up.
            LoopCallTimeoutException e = assertThrows(
                    LoopCallTimeoutException.class,
                    () -> loop.call(
                            "control:status",
                            () -> {
                                started.countDown();
                                await(release);
                                finished.set(true);
                                return 1;
                            },
                            Duration.ofMillis(300)));

            assertTrue(e.stillRunning(), e.getMessage());
            assertTrue(e.getMessage().contains("'control:status'")
                    && e.getMessage().contains("still running"));
            release.countDown();
            assertTrue(started.await(0, TimeUnit.SECONDS));
            assertTrue(loop.call("test:finished", finished::get, WAIT), "a running task is not stopped");
        }
    }

    @Test
    void aCallAfterCloseIsRefusedAndNeverRuns() {
        EventLoop loop = new EventLoop("test-loop", 16).start();
        loop.close();
        AtomicBoolean ran = new AtomicBoolean();

        LoopRejectedException e = assertThrows(
                LoopRejectedException.class, () -> loop.call("control:groups", () -> ran.getAndSet(true), WAIT));

        assertEquals("control:groups", e.taskName());
        assertFalse(loop.post("igmp:report", () -> ran.set(true)));
        assertFalse(ran.get());
        assertEquals(2, loop.rejectedTasks(), "the call and the post");
    }

    @Test
    void aCallQueuedWhenTheLoopClosesIsRefusedAtOnceNotAtItsTimeout() {
        EventLoop loop = new EventLoop("test-loop", 16).start();
        AtomicBoolean ran = new AtomicBoolean();
        // The loop itself waits until the call below is queued, then closes: the call is in the inbox, not run.
        assertTrue(loop.post("test:close-when-queued", () -> {
            while (loop.queuedTasks() == 0) {
                Thread.onSpinWait();
            }
            loop.close();
        }));

        LoopRejectedException e = assertTimeoutPreemptively(
                Duration.ofSeconds(20),
                () -> assertThrows(
                        LoopRejectedException.class,
                        () -> loop.call("reload:apply", () -> ran.getAndSet(true), Duration.ofMinutes(10))));

        assertEquals("reload:apply", e.taskName());
        assertFalse(ran.get());
        loop.close();
    }

    @Test
    void aSlowTaskIsCountedAndWarnedWithItsName() throws Exception {
        AtomicLong clock = new AtomicLong();
        try (EventLoop loop = new EventLoop("test-loop", 16, Duration.ofMillis(100), clock::get).start()) {
            loop.post("lab:quick", () -> clock.addAndGet(Duration.ofMillis(100).toNanos()));
            loop.post("lab:slow", () -> clock.addAndGet(Duration.ofMillis(250).toNanos()));
            loop.call(
                    "test:timer",
                    () -> loop.schedule(
                            "igmp:general-query",
                            Duration.ZERO,
                            () -> clock.addAndGet(Duration.ofMillis(101).toNanos())),
                    WAIT);
            CountDownLatch timersRan = new CountDownLatch(1);
            loop.call("test:after-timer", () -> loop.schedule(Duration.ZERO, timersRan::countDown), WAIT);
            assertTrue(timersRan.await(10, TimeUnit.SECONDS));

            assertEquals(2L, loop.call("test:count", loop::slowTasks, WAIT), "100 ms is not over the threshold");
            assertTrue(log().contains("slow loop task: lab:slow ran for 250 ms"), log());
            assertTrue(log().contains("slow loop task: igmp:general-query ran for 101 ms"), log());
            assertFalse(log().contains("lab:quick"), log());
        }
    }

    @Test
    void aFailingTaskIsCountedLoggedWithItsStackTraceAndTheLoopCarriesOn() throws Exception {
        try (EventLoop loop = new EventLoop("test-loop", 16).start()) {
            loop.post("lab:boom", EventLoopTest::failDeepInside);

            assertEquals(1L, loop.call("test:count", loop::failedTasks, WAIT));
            String log = log();
            assertTrue(log.contains("[ERROR] EventLoop - loop task lab:boom failed"), log);
            assertTrue(log.contains("java.lang.IllegalStateException: boom (expected by the test)"), log);
            assertTrue(log.contains("at dev.mcgate.time.EventLoopTest.failDeepInside("), "the frame: " + log);
        }
    }

    private static void failDeepInside() {
        throw new IllegalStateException("boom (expected by the test)");
    }

    @Test
    void anUnnamedTimerIsNamedAfterTheClassThatScheduledIt() throws Exception {
        AtomicLong clock = new AtomicLong();
        try (EventLoop loop = new EventLoop("test-loop", 16, Duration.ofMillis(100), clock::get).start()) {
            CountDownLatch ran = new CountDownLatch(1);
            loop.call(
                    "test:timer",
                    () -> loop.schedule(Duration.ZERO, () -> {
                        clock.addAndGet(Duration.ofSeconds(1).toNanos());
                        ran.countDown();
                    }),
                    WAIT);
            assertTrue(ran.await(10, TimeUnit.SECONDS));
            assertEquals(1L, loop.call("test:count", loop::slowTasks, WAIT));
            assertTrue(log().contains("slow loop task: timer:EventLoopTest ran for 1000 ms"), log());
        }
    }

    @Test
    void timersFireOnTheLoopAndMayOnlyBeSetThere() throws Exception {
        try (EventLoop loop = new EventLoop("test-loop", 16).start()) {
            CountDownLatch fired = new CountDownLatch(1);
            loop.call("test:timer", () -> loop.schedule(Duration.ofMillis(1), fired::countDown), WAIT);
            assertTrue(fired.await(10, TimeUnit.SECONDS));
            assertThrows(IllegalStateException.class, () -> loop.schedule(Duration.ZERO, () -> {}));
        }
    }
}
