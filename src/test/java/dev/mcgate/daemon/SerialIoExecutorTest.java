package dev.mcgate.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The I/O executor: one key's tasks in order, other keys past a blocked one, a failing task not the end of its key. */
class SerialIoExecutorTest {

    @Test
    void aBlockedKeyHoldsUpItsOwnTasksOnlyAndTheyRunInOrder() throws Exception {
        List<String> ran = new CopyOnWriteArrayList<>();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch otherDone = new CountDownLatch(1);
        CountDownLatch allDone = new CountDownLatch(1);
        try (SerialIoExecutor io = new SerialIoExecutor()) {
            io.execute("eth0", () -> {
                await(release);
                ran.add("eth0 open");
            });
            io.execute("eth0", () -> ran.add("eth0 close"));
            io.execute("eth0", allDone::countDown);
            io.execute("eth1", () -> {
                ran.add("eth1 open");
                otherDone.countDown();
            });

            assertTrue(otherDone.await(30, TimeUnit.SECONDS), "eth1 opened while eth0 was blocked");
            assertEquals(List.of("eth1 open"), ran);
            release.countDown();
            assertTrue(allDone.await(30, TimeUnit.SECONDS));
            assertEquals(List.of("eth1 open", "eth0 open", "eth0 close"), ran);
        }
    }

    @Test
    void aFailingTaskDoesNotStopTheNextOfItsKey() throws Exception {
        CountDownLatch next = new CountDownLatch(1);
        try (SerialIoExecutor io = new SerialIoExecutor()) {
            io.execute("eth0", () -> {
                throw new IllegalStateException("the driver said no");
            });
            io.execute("eth0", next::countDown);
            assertTrue(next.await(30, TimeUnit.SECONDS));
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
