package dev.mcgate.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class EventLoopTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void postedEventsRunInOrderOnTheLoopThread() throws Exception {
        try (EventLoop loop = new EventLoop("test-loop", 16).start()) {
            List<Integer> seen = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                int n = i;
                assertTrue(loop.post(() -> seen.add(n)));
            }
            List<Integer> result = loop.call(() -> List.copyOf(seen), WAIT);
            assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), result);
            assertTrue(loop.call(loop::isLoopThread, WAIT));
        }
    }

    @Test
    void aFullInboxDropsAndCountsInsteadOfBlocking() throws Exception {
        try (EventLoop loop = new EventLoop("test-loop", 2).start()) {
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch blocked = new CountDownLatch(1);
            loop.post(() -> {
                blocked.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            blocked.await();
            assertTrue(loop.post(() -> { }));
            assertTrue(loop.post(() -> { }));
            assertFalse(loop.post(() -> { }), "third event while two are queued");
            release.countDown();
            assertEquals(1L, loop.call(loop::droppedEvents, WAIT));
        }
    }

    @Test
    void timersFireOnTheLoopAndMayOnlyBeSetThere() throws Exception {
        try (EventLoop loop = new EventLoop("test-loop", 16).start()) {
            CountDownLatch fired = new CountDownLatch(1);
            loop.call(() -> loop.schedule(Duration.ofMillis(1), fired::countDown), WAIT);
            assertTrue(fired.await(10, java.util.concurrent.TimeUnit.SECONDS));
            assertThrows(IllegalStateException.class, () -> loop.schedule(Duration.ZERO, () -> { }));
        }
    }

    @Test
    void aFailingTaskIsCountedAndTheLoopCarriesOn() throws Exception {
        try (EventLoop loop = new EventLoop("test-loop", 16).start()) {
            loop.post(() -> {
                throw new IllegalStateException("boom (expected by the test)");
            });
            assertEquals(1L, loop.call(loop::failedTasks, WAIT));
        }
    }
}
