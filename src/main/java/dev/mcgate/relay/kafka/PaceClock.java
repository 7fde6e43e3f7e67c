package dev.mcgate.relay.kafka;

import java.util.concurrent.locks.LockSupport;

/** The subscriber's monotonic clock and its way of waiting, injected so that pacing is tested without sleeping. */
interface PaceClock {

    long nanoTime();

    /** Returns at {@code deadline} or later, or earlier if the thread is interrupted. */
    void sleepUntil(long deadline);

    PaceClock SYSTEM = new PaceClock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleepUntil(long deadline) {
            for (long left;
                    (left = deadline - System.nanoTime()) > 0
                            && !Thread.currentThread().isInterrupted(); ) {
                LockSupport.parkNanos(left);
            }
        }
    };
}
