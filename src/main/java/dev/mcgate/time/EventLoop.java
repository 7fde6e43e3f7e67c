package dev.mcgate.time;

import dev.mcgate.logging.RateLimitedLog;
import dev.mcgate.logging.RateLimiter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loop thread that owns all protocol state: it runs posted events and timers, one at a time, in order.
 *
 * <p>Other threads (capture, control, signals) only {@link #post} to its bounded inbox; a full inbox drops the event
 * and counts it rather than block a capture thread. Timers may only be scheduled from the loop thread itself, so the
 * timer heap needs no lock.
 *
 * <p>{@link #callFirst} requests (control requests, stop) go to a second, small inbox that the loop empties first at
 * each turn and between batches of events, so a flood of events in the main inbox delays them by one batch at most.
 *
 * <p>The contract of {@link #call} and {@link #callFirst}: refused once the loop is stopping; on timeout the task is cancelled if it has not
 * started (it then never runs), and the exception says which of the two happened. Every task has a name: a task that
 * runs longer than the slow-task threshold is counted and logged with it (FRR's "SLOW THREAD" warning), and a task
 * that throws is counted and logged with its stack trace.
 */
public final class EventLoop implements Loop, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EventLoop.class);
    /** A task that runs longer holds up every interface's IGMP and the control socket: worth a line. */
    public static final Duration DEFAULT_SLOW_TASK = Duration.ofMillis(100);

    private static final LoopTask WAKE = new LoopTask("loop:wake", () -> {});
    /** Events taken from the inbox at a time. */
    private static final int BATCH = 256;
    /** Requests served before the queued events; few callers wait at once (the control socket's workers, stop). */
    private static final int FIRST_CAPACITY = 64;
    /** How long one turn may keep draining the inbox before due timers run. */
    private static final long TURN_BUDGET_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    /** Log lines for slow or failing tasks: a few at once, then one per interval; the counters keep the rest. */
    private static final int LOG_BURST = 5;

    private static final Duration LOG_INTERVAL = Duration.ofSeconds(10);

    private final BlockingQueue<LoopTask> inbox;
    private final BlockingQueue<LoopTask> first = new ArrayBlockingQueue<>(FIRST_CAPACITY);
    private final TimerQueue timers = new TimerQueue();
    private final Thread thread;
    private final long slowTaskNanos;
    /** Times tasks; tests move it from inside a task to make it slow without sleeping. */
    private final LongSupplier taskClock;

    private final RateLimitedLog slowLog;
    private final RateLimiter failureLog;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong timedOut = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong slow = new AtomicLong();
    private volatile boolean stopping;

    public EventLoop(String name, int inboxCapacity) {
        this(name, inboxCapacity, DEFAULT_SLOW_TASK, System::nanoTime);
    }

    /**
     * @param slowTask a task that runs longer is counted and logged
     * @param taskClock the nanosecond clock that times tasks ({@link System#nanoTime} but in tests); timers and call
     *        timeouts use the real one
     */
    public EventLoop(String name, int inboxCapacity, Duration slowTask, LongSupplier taskClock) {
        this.inbox = new ArrayBlockingQueue<>(inboxCapacity);
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
        this.slowTaskNanos = slowTask.toNanos();
        this.taskClock = taskClock;
        this.slowLog = new RateLimitedLog(LOG, new RateLimiter(LOG_BURST, LOG_INTERVAL, taskClock));
        this.failureLog = new RateLimiter(LOG_BURST, LOG_INTERVAL, taskClock);
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
        return schedule(null, delay, task);
    }

    @Override
    public Timer schedule(String name, Duration delay, Runnable task) {
        if (Thread.currentThread() != thread) {
            throw new IllegalStateException("timers are scheduled from the loop thread only");
        }
        return timers.add(System.nanoTime() + Math.max(0, delay.toNanos()), name, task);
    }

    /**
     * Queues an event for the loop; never blocks. An event queued when the loop stops is discarded.
     *
     * @return false if the inbox was full ({@link #droppedEvents}) or the loop is stopping ({@link #rejectedTasks})
     */
    @Override
    public boolean post(String name, Runnable event) {
        if (stopping) {
            rejected.incrementAndGet();
            return false;
        }
        if (!inbox.offer(new LoopTask(name, event))) {
            dropped.incrementAndGet();
            return false;
        }
        return true;
    }

    /**
     * Runs a request on the loop and waits for its answer (control requests, reload, tests); waits for inbox space
     * within the same timeout. On the loop thread itself, runs it at once.
     */
    @Override
    public <T> T call(String name, Callable<T> request, Duration timeout) throws Exception {
        return call(name, request, timeout, inbox);
    }

    /**
     * Served before the events in the inbox; waits for space in the first inbox within the timeout. On the loop thread
     * itself, runs it at once.
     */
    @Override
    public <T> T callFirst(String name, Callable<T> request, Duration timeout) throws Exception {
        return call(name, request, timeout, first);
    }

    private <T> T call(String name, Callable<T> request, Duration timeout, BlockingQueue<LoopTask> queue)
            throws Exception {
        if (Thread.currentThread() == thread) {
            return request.call();
        }
        if (stopping) {
            rejected.incrementAndGet();
            throw new LoopRejectedException(name, "the event loop is stopping");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        LoopCall<T> task = LoopCall.of(name, request);
        if (!queue.offer(task, timeout.toNanos(), TimeUnit.NANOSECONDS)) {
            timedOut.incrementAndGet();
            throw LoopCallTimeoutException.cancelled(name, timeout, "the inbox stayed full");
        }
        if (queue == first) {
            // Wakes a loop that waits on an empty inbox; a full inbox means the loop is busy and looks at the first
            // inbox before its next batch anyway.
            inbox.offer(WAKE);
        }
        // close() may have emptied the inbox just before the offer: nobody would take the task then.
        if (stopping && task.cancel()) {
            rejected.incrementAndGet();
            throw new LoopRejectedException(name, "the event loop is stopping");
        }
        try {
            return task.answer().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return afterTimeout(task, timeout);
        } catch (InterruptedException e) {
            // The caller is going away: the task must not run behind its back.
            task.cancel();
            throw e;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : new RuntimeException(e.getCause());
        }
    }

    private <T> T afterTimeout(LoopCall<T> task, Duration timeout) throws Exception {
        if (task.cancel()) {
            timedOut.incrementAndGet();
            throw LoopCallTimeoutException.cancelled(task.name(), timeout, "the loop was busy");
        }
        if (task.answer().isDone()) {
            // It finished (or was refused at close) between the timeout and the cancel: the answer is there.
            try {
                return task.answer().get();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception ex ? ex : new RuntimeException(e.getCause());
            }
        }
        timedOut.incrementAndGet();
        throw LoopCallTimeoutException.stillRunning(task.name(), timeout);
    }

    public boolean isLoopThread() {
        return Thread.currentThread() == thread;
    }

    /** Every count of the loop's, read together. */
    public LoopCounts counts() {
        return new LoopCounts(droppedEvents(), rejectedTasks(), timedOutCalls(), failedTasks(), slowTasks());
    }

    /** Events dropped because the inbox was full. */
    public long droppedEvents() {
        return dropped.get();
    }

    /** Posts and calls refused, and queued tasks discarded, because the loop was stopping. */
    public long rejectedTasks() {
        return rejected.get();
    }

    /** Calls that got no answer in time (cancelled, or still running). */
    public long timedOutCalls() {
        return timedOut.get();
    }

    /** Events or timers that threw; each is logged with its name and stack trace (rate-limited); the loop goes on. */
    public long failedTasks() {
        return failures.get();
    }

    /** Tasks that ran longer than the slow-task threshold. */
    public long slowTasks() {
        return slow.get();
    }

    /** Tasks in the inbox (for tests that must know a call is queued before they go on). */
    int queuedTasks() {
        return inbox.size();
    }

    /** Requests in the first inbox (for tests, likewise). */
    int queuedFirst() {
        return first.size();
    }

    private void run() {
        List<LoopTask> batch = new ArrayList<>();
        try {
            while (!stopping) {
                runFirst();
                long wait = timers.nextDeadline() - System.nanoTime();
                LoopTask next = wait <= 0
                        ? inbox.poll()
                        : inbox.poll(Math.min(wait, TimeUnit.SECONDS.toNanos(60)), TimeUnit.NANOSECONDS);
                if (next != null) {
                    runFirst();
                    runEvent(next);
                    // Run what is waiting, up to a time budget, before the timers: work that coalesces until the
                    // next timer turn (the proxy's one snapshot and forwarding table per burst of reports) is then
                    // done once per burst, and a timer never waits longer than the budget and one batch.
                    long turnEnd = System.nanoTime() + TURN_BUDGET_NANOS;
                    do {
                        runFirst();
                        inbox.drainTo(batch, BATCH);
                        int ran = batch.size();
                        for (int i = 0; i < ran; i++) {
                            if (stopping) {
                                refuse(batch.get(i));
                            } else {
                                runEvent(batch.get(i));
                            }
                        }
                        batch.clear();
                        if (ran == 0) {
                            break;
                        }
                    } while (!stopping && System.nanoTime() < turnEnd);
                }
                long now = System.nanoTime();
                TimerQueue.Entry due;
                while (!stopping && (due = timers.pollDue(now)) != null) {
                    runSafely(due);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            refuseQueued();
        }
    }

    /** Runs every request waiting in the first inbox (refuses them once the loop is stopping). */
    private void runFirst() {
        LoopTask task;
        while ((task = first.poll()) != null) {
            if (stopping) {
                refuse(task);
            } else {
                runEvent(task);
            }
        }
    }

    private void runEvent(LoopTask task) {
        // A call whose caller timed out was cancelled: it must not run late, on state that has moved on.
        if (task.begin()) {
            try {
                runSafely(task);
            } finally {
                task.end();
            }
        }
    }

    private void runSafely(NamedTask task) {
        long start = taskClock.getAsLong();
        try {
            task.execute();
        } catch (VirtualMachineError e) {
            throw e;
        } catch (RuntimeException | Error e) {
            // A bug in one handler (an exception or an assertion) must not stop IGMP on every interface: the loop
            // would die silently while the forwarder kept the last table for ever. Count it and keep going.
            failures.incrementAndGet();
            long suppressed = failureLog.tryAcquire();
            if (suppressed >= 0) {
                LOG.error(
                        "loop task {} failed{}",
                        task.name(),
                        suppressed == 0 ? "" : " (" + suppressed + " other failures not logged)",
                        e);
            }
        }
        long took = taskClock.getAsLong() - start;
        if (took > slowTaskNanos) {
            slow.incrementAndGet();
            slowLog.warn("slow loop task: " + task.name() + " ran for " + TimeUnit.NANOSECONDS.toMillis(took)
                    + " ms (threshold " + TimeUnit.NANOSECONDS.toMillis(slowTaskNanos)
                    + " ms); IGMP, timers and control requests waited meanwhile");
        }
    }

    /** Empties the inbox, telling each waiting caller that its task will not run. */
    private void refuseQueued() {
        LoopTask task;
        while ((task = first.poll()) != null) {
            refuse(task);
        }
        while ((task = inbox.poll()) != null) {
            refuse(task);
        }
    }

    private void refuse(LoopTask task) {
        if (task != WAKE && task.cancel()) {
            rejected.incrementAndGet();
            task.refuse(new LoopRejectedException(task.name(), "the event loop stopped before it ran"));
        }
    }

    /**
     * Stops the loop after the task it is running and joins its thread; queued events are discarded, and callers
     * waiting for queued requests get a {@link LoopRejectedException} at once.
     */
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
        refuseQueued();
    }
}
