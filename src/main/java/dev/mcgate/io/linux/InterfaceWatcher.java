package dev.mcgate.io.linux;

import dev.mcgate.io.InterfaceChange;
import dev.mcgate.io.InterfaceDirectory;
import dev.mcgate.io.NetInterface;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices interfaces that appear, disappear or change (address, flags, MTU) by reading the list at a short interval.
 *
 * <p>A poll rather than a netlink subscription: it needs no extra native code, catches every kind of change, and at
 * one reading a second costs a few hundred microseconds. Changes go to the listener on the watcher's own thread.
 */
public final class InterfaceWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(InterfaceWatcher.class);

    private final InterfaceDirectory directory;
    private final Consumer<List<InterfaceChange>> listener;
    private final ScheduledExecutorService executor;
    private List<NetInterface> last;

    /** @param initial the reading the caller acted on last: changes since then are reported at the first poll */
    public InterfaceWatcher(InterfaceDirectory directory, List<NetInterface> initial, Duration interval,
            Consumer<List<InterfaceChange>> listener) {
        this.directory = directory;
        this.listener = listener;
        this.last = List.copyOf(initial);
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mcgate-ifwatch");
            t.setDaemon(true);
            return t;
        });
        long ms = interval.toMillis();
        executor.scheduleWithFixedDelay(this::poll, ms, ms, TimeUnit.MILLISECONDS);
    }

    /** The list as of the last reading. */
    public synchronized List<NetInterface> current() {
        return last;
    }

    private void poll() {
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
        // shutdown, not shutdownNow: a poll under way finishes its work (closing a port must not be interrupted
        // half-way, or the capture thread's join fails and its handle is never released); no new poll starts.
        executor.shutdown();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
