package dev.mcgate.time;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loop thread that owns all protocol state: it runs posted events and timers, one at a time, in order.
 *
 * <p>Other threads (capture, control, signals) only {@link #post} to its bounded inbox; a full inbox drops the event
 * and counts it rather than block a capture thread. Timers may only be scheduled from the loop thread itself, so the
 * timer heap needs no lock.
 */
public final class EventLoop implements Loop, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EventLoop.class);
    private static final Runnable WAKE = () -> { };
    /** Events taken from the inbox at a time. */
    private static final int BATCH = 256;
    /** How long one turn may keep draining the inbox before due timers run. */
    private static final long TURN_BUDGET_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private final BlockingQueue<Runnable> inbox;
    private final TimerQueue timers = new TimerQueue();
    private final Thread thread;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile boolean stopping;

    public EventLoop(String name, int inboxCapacity) {
        this.inbox = new ArrayBlockingQueue<>(inboxCapacity);
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
    }

    public EventLoop start() {
        thread.start();
        return this;
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public Timer schedule(Duration delay, Runnable task) {
        if (Thread.currentThread() != thread) {
            throw new IllegalStateException("timers are scheduled from the loop thread only");
        }
        return timers.add(System.nanoTime() + Math.max(0, delay.toNanos()), task);
    }

    /**
     * Queues an event for the loop; never blocks.
     *
     * @return false if the inbox was full and the event was dropped (and counted)
     */
    @Override
    public boolean post(Runnable event) {
        if (stopping || !inbox.offer(event)) {
            dropped.incrementAndGet();
            return false;
        }
        return true;
    }

    /** Runs a request on the loop and waits for its answer (control requests, tests); waits for inbox space. */
    @Override
    public <T> T call(Callable<T> request, Duration timeout) throws Exception {
        CompletableFuture<T> answer = new CompletableFuture<>();
        Runnable event = () -> {
            try {
                answer.complete(request.call());
            } catch (Exception | Error e) {
                answer.completeExceptionally(e);
            }
        };
        if (Thread.currentThread() == thread) {
            event.run();
        } else if (!inbox.offer(event, timeout.toNanos(), TimeUnit.NANOSECONDS)) {
            throw new IllegalStateException("the event loop is not taking requests (inbox full)");
        }
        try {
            return answer.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : new RuntimeException(e.getCause());
        }
    }

    public boolean isLoopThread() {
        return Thread.currentThread() == thread;
    }

    /** Events dropped because the inbox was full. */
    public long droppedEvents() {
        return dropped.get();
    }

    /** Events or timers that threw; each is logged once with its stack trace and the loop carries on. */
    public long failedTasks() {
        return failures.get();
    }

    private void run() {
        List<Runnable> batch = new ArrayList<>();
        while (!stopping) {
            try {
                long wait = timers.nextDeadline() - System.nanoTime();
                Runnable first = wait <= 0 ? inbox.poll()
                        : inbox.poll(Math.min(wait, TimeUnit.SECONDS.toNanos(60)), TimeUnit.NANOSECONDS);
                if (first != null) {
                    runSafely(first);
                    // Run what is waiting, up to a time budget, before the timers: work that coalesces until the
                    // next timer turn (the proxy's one snapshot and forwarding table per burst of reports) is then
                    // done once per burst, and a timer never waits longer than the budget and one batch.
                    long turnEnd = System.nanoTime() + TURN_BUDGET_NANOS;
                    do {
                        inbox.drainTo(batch, BATCH);
                        for (Runnable r : batch) {
                            runSafely(r);
                        }
                        int ran = batch.size();
                        batch.clear();
                        if (ran == 0) {
                            break;
                        }
                    } while (!stopping && System.nanoTime() < turnEnd);
                }
                long now = System.nanoTime();
                while (!stopping && timers.nextDeadline() <= now) {
                    runSafely(() -> timers.runOneDue(now));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void runSafely(Runnable task) {
        try {
            task.run();
        } catch (VirtualMachineError e) {
            throw e;
        } catch (RuntimeException | Error e) {
            // A bug in one handler (an exception or an assertion) must not stop IGMP on every interface: the loop
            // would die silently while the forwarder kept the last table for ever. Count it and keep going.
            failures.incrementAndGet();
            LOG.error("event loop task failed", e);
        }
    }

    /** Stops the loop after the task it is running and joins its thread; queued events are discarded. */
    @Override
    public void close() {
        stopping = true;
        inbox.offer(WAKE);
        if (Thread.currentThread() != thread) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
