package dev.mcgate.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;

/** {@link EventLoop#callFirst}: served before the queued events, with the contract of {@link EventLoop#call}. */
class EventLoopFirstInboxTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    /** Posts a task that holds the loop until {@code release} opens; returns once the loop is in it. */
    private static void holdLoop(EventLoop loop, CountDownLatch release) throws InterruptedException {
        CountDownLatch holding = new CountDownLatch(1);
        assertTrue(loop.post("test:hold", () -> {
            holding.countDown();
            try {
                assertTrue(release.await(10, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        assertTrue(holding.await(10, TimeUnit.SECONDS));
    }

    /** Spins (no sleep) until the loop shows a queued request. */
    private static void awaitQueued(IntSupplier queued) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (queued.getAsInt() == 0) {
            assertTrue(System.nanoTime() < deadline, "the request was never queued");
            Thread.onSpinWait();
        }
    }

    @Test
    void aFirstCallIsAnsweredWhileTheInboxIsFullAndRunsBeforeTheQueuedEvents() throws Exception {
        try (EventLoop loop = new EventLoop("test-loop", 4).start()) {
            List<String> order = new CopyOnWriteArrayList<>();
            CountDownLatch release = new CountDownLatch(1);
            holdLoop(loop, release);
            for (int i = 0; i < 4; i++) {
                int n = i;
                assertTrue(loop.post("igmp:heard", () -> order.add("event " + n)));
            }
            assertFalse(loop.post("igmp:heard", () -> order.add("dropped")), "the inbox is full");

            CompletableFuture<String> status = CompletableFuture.supplyAsync(() -> {
                try {
                    return loop.callFirst("control:status", () -> "seen " + order.size() + " events", WAIT);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            awaitQueued(loop::queuedFirst);
            release.countDown();

            assertEquals("seen 0 events", status.get(10, TimeUnit.SECONDS));
            assertEquals(
                    List.of("event 0", "event 1", "event 2", "event 3"),
                    loop.call("test:read", () -> List.copyOf(order), WAIT));
        }
    }

    @Test
    void aFirstCallWakesAnIdleLoop() throws Exception {
        try (EventLoop loop = new EventLoop("test-loop", 4).start()) {
            assertTrue(loop.callFirst("control:where", loop::isLoopThread, WAIT));
        }
    }

    @Test
    void aTimedOutFirstCallIsCancelledAndNeverRuns() throws Exception {
        try (EventLoop loop = new EventLoop("test-loop", 4).start()) {
            CountDownLatch release = new CountDownLatch(1);
            holdLoop(loop, release);
            AtomicBoolean ran = new AtomicBoolean();
            LoopCallTimeoutException e = assertThrows(
                    LoopCallTimeoutException.class,
                    () -> loop.callFirst("control:late", () -> ran.getAndSet(true), Duration.ofMillis(20)));
            assertFalse(e.stillRunning());
            release.countDown();
            assertEquals(1L, loop.call("test:count", loop::timedOutCalls, WAIT));
            assertFalse(ran.get());
        }
    }

    @Test
    void aFirstCallQueuedWhenTheLoopStopsIsRefused() throws Exception {
        EventLoop loop = new EventLoop("test-loop", 4).start();
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // The task the loop is in stops it: the request queued meanwhile must be refused, never run.
        assertTrue(loop.post("test:stop", () -> {
            holding.countDown();
            try {
                assertTrue(release.await(10, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            loop.close();
        }));
        assertTrue(holding.await(10, TimeUnit.SECONDS));
        AtomicBoolean ran = new AtomicBoolean();
        CompletableFuture<Object> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return loop.callFirst("control:status", () -> ran.getAndSet(true), WAIT);
            } catch (Exception e) {
                return e;
            }
        });
        awaitQueued(loop::queuedFirst);
        release.countDown();
        assertTrue(waiting.get(10, TimeUnit.SECONDS) instanceof LoopRejectedException, "" + waiting.get());
        assertFalse(ran.get());
        loop.close();
    }
}
