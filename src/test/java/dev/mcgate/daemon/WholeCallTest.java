package dev.mcgate.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mcgate.time.Loop;
import dev.mcgate.time.LoopCallTimeoutException;
import dev.mcgate.time.Timer;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** A decision the loop never ran is reported as not taken; one that ran past its call's timeout is waited for. */
class WholeCallTest {

    /** A loop whose every call times out: with the task cancelled, or with it started on another thread. */
    private static final class TimingOutLoop implements Loop {
        final boolean startIt;

        TimingOutLoop(boolean startIt) {
            this.startIt = startIt;
        }

        @Override
        public long nanoTime() {
            return 0;
        }

        @Override
        public Timer schedule(Duration delay, Runnable task) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean post(String name, Runnable event) {
            return false;
        }

        @Override
        public <T> T call(String name, Callable<T> request, Duration timeout) throws Exception {
            if (!startIt) {
                throw LoopCallTimeoutException.cancelled(name, timeout, "test");
            }
            Thread running = new Thread(() -> {
                try {
                    request.call();
                } catch (Exception e) {
                    // WholeCall hands it to its caller through its own future.
                }
            });
            running.start();
            throw LoopCallTimeoutException.stillRunning(name, timeout);
        }
    }

    @Test
    void aTaskTheLoopNeverStartedIsNotTakenAndNeverRuns() {
        AtomicBoolean ran = new AtomicBoolean();
        assertThrows(
                WholeCall.NotTaken.class,
                () -> WholeCall.run(
                        new TimingOutLoop(false),
                        "test:decide",
                        () -> {
                            ran.set(true);
                            return 1;
                        },
                        Duration.ofSeconds(1)));
        assertFalse(ran.get());
    }

    @Test
    void aTaskStillRunningAtTheTimeoutIsWaitedForAndItsAnswerReturned() throws Exception {
        assertEquals(42, WholeCall.run(new TimingOutLoop(true), "test:decide", () -> 42, Duration.ofSeconds(1)));
    }

    @Test
    void whatALateTaskThrowsReachesTheCaller() {
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> WholeCall.run(
                        new TimingOutLoop(true),
                        "test:decide",
                        () -> {
                            throw new IllegalStateException("half applied");
                        },
                        Duration.ofSeconds(1)));
        assertEquals("half applied", e.getMessage());
    }
}
