package dev.mcgate.io.linux;

import dev.mcgate.io.InterfaceChange;
import dev.mcgate.io.InterfaceDirectory;
import dev.mcgate.io.NetInterface;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices interfaces that appear, disappear or change (address, flags, MTU): the kernel's rtnetlink announcements
 * ({@link NetlinkMonitor}) make it read the list at once, and a poll catches anything missed.
 *
 * <p>Every change is found by comparing two readings of the whole list, never by decoding netlink messages, so a
 * burst of messages costs one reading and a lost message costs at most one poll interval. With netlink the poll runs
 * at the slow interval; without it (or after it fails, with one warning) at the fast one. Changes go to the listener
 * on the watcher's own thread, one reading at a time.
 */
public final class InterfaceWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(InterfaceWatcher.class);
    /** The poll as a safety net beside netlink. */
    private static final Duration WITH_NETLINK = Duration.ofSeconds(10);

    private final InterfaceDirectory directory;
    private final Consumer<List<InterfaceChange>> listener;
    private final ScheduledExecutorService executor;
    private final Duration fast;
    private final AtomicBoolean readingQueued = new AtomicBoolean();
    private final NetlinkMonitor netlink;
    private volatile boolean netlinkAlive;
    private List<NetInterface> last;
    /** The next periodic reading; watcher thread only. */
    private ScheduledFuture<?> next;

    /**
     * Polls only, at {@code interval}.
     *
     * @param initial the reading the caller acted on last: changes since then are reported at the first reading
     */
    public InterfaceWatcher(
            InterfaceDirectory directory,
            List<NetInterface> initial,
            Duration interval,
            Consumer<List<InterfaceChange>> listener) {
        this(directory, initial, interval, listener, false);
    }

    /**
     * @param interval   the poll interval without netlink; with it, the poll runs every 10 s (or at this interval if
     *                   longer)
     * @param useNetlink listen to rtnetlink for immediate readings (falls back to the poll with one warning)
     */
    public InterfaceWatcher(
            InterfaceDirectory directory,
            List<NetInterface> initial,
            Duration interval,
            Consumer<List<InterfaceChange>> listener,
            boolean useNetlink) {
        this.directory = directory;
        this.listener = listener;
        this.last = List.copyOf(initial);
        this.fast = interval;
        java.util.concurrent.ScheduledThreadPoolExecutor pool =
                new java.util.concurrent.ScheduledThreadPoolExecutor(1, r -> {
                    Thread t = new Thread(r, "mcgate-ifwatch");
                    t.setDaemon(true);
                    return t;
                });
        // The next poll may be 10 s away: closing must not wait for it.
        pool.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.executor = pool;
        NetlinkMonitor monitor = null;
        if (useNetlink) {
            try {
                monitor = NetlinkMonitor.open(this::readSoon, () -> executor.execute(this::netlinkFailed));
                netlinkAlive = true;
                // A change between the caller's reading and the subscription would be heard by no one: look now.
                readSoon();
            } catch (IOException e) {
                LOG.warn("{}; interface changes are seen by polling every {} ms", e.getMessage(), fast.toMillis());
            }
        }
        this.netlink = monitor;
        executor.execute(
                () -> next = executor.schedule(this::periodic, interval().toMillis(), TimeUnit.MILLISECONDS));
    }

    /** Whether netlink announcements are being heard (false: polling only). */
    public boolean netlinkActive() {
        return netlinkAlive;
    }

    /** The list as of the last reading. */
    public synchronized List<NetInterface> current() {
        return last;
    }

    /** Reads the list as soon as the watcher thread is free; requests made meanwhile are served by that reading. */
    public void readSoon() {
        if (readingQueued.compareAndSet(false, true)) {
            try {
                executor.execute(() -> {
                    readingQueued.set(false);
                    read();
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                readingQueued.set(false); // closing
            }
        }
    }

    private Duration interval() {
        return netlinkAlive ? (fast.compareTo(WITH_NETLINK) > 0 ? fast : WITH_NETLINK) : fast;
    }

    private void periodic() {
        read();
        if (!executor.isShutdown()) {
            next = executor.schedule(this::periodic, interval().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Watcher thread: netlink stopped; poll at the fast interval from now on. */
    private void netlinkFailed() {
        netlinkAlive = false;
        if (next != null) {
            next.cancel(false);
        }
        periodic();
    }

    private void read() {
        try {
            List<NetInterface> now = directory.list();
            List<InterfaceChange> changes;
            synchronized (this) {
                changes = InterfaceChange.between(last, now);
                last = now;
            }
            if (!changes.isEmpty()) {
                listener.accept(changes);
            }
        } catch (RuntimeException e) {
            // A failing reading or listener must not end the watch (a scheduled task that throws is never rerun).
            LOG.error("interface watch: {}", e.toString());
        }
    }

    @Override
    public void close() {
        if (netlink != null) {
            netlink.close();
        }
        // shutdown, not shutdownNow: a reading under way finishes its work (closing a port must not be interrupted
        // half-way, or the capture thread's join fails and its handle is never released); no new reading starts.
        executor.shutdown();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
