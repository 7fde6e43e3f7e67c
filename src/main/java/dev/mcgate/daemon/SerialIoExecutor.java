package dev.mcgate.daemon;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's {@link IoExecutor}: a pool of threads named {@code mcgate-io-N} that grows with the number of keys
 * busy at once, each key's tasks chained so that they run one after another.
 *
 * <p>The pool's threads are created by the loop or by the pool itself, both started after the privilege drop, so
 * they hold the capabilities the daemon kept (a thread inherits its creator's).
 */
public final class SerialIoExecutor implements IoExecutor, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SerialIoExecutor.class);
    private static final CompletableFuture<Void> IDLE = CompletableFuture.completedFuture(null);

    private final ExecutorService pool;
    /** The last task of each key that has one queued or running. Guarded by {@code this}; never held while waiting. */
    private final Map<String, CompletableFuture<Void>> tails = new HashMap<>();

    public SerialIoExecutor() {
        AtomicInteger count = new AtomicInteger();
        this.pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "mcgate-io-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void execute(String key, Runnable task) {
        if (pool.isShutdown()) {
            // Stopping: what still comes (the close of a port opened late) is done here rather than lost.
            runSafely(key, task);
            return;
        }
        synchronized (this) {
            CompletableFuture<Void> next = tails.getOrDefault(key, IDLE).thenRunAsync(() -> runSafely(key, task), pool);
            tails.put(key, next);
            next.whenComplete((unused, e) -> forget(key, next));
        }
    }

    private synchronized void forget(String key, CompletableFuture<Void> done) {
        tails.remove(key, done);
    }

    /**
     * A task that throws must not stop the tasks queued behind it for the same key (a failed stage would skip them
     * all, leaking the ports they close), whatever it throws.
     */
    private static void runSafely(String key, Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | Error e) {
            LOG.error("{}: I/O task failed", key, e);
        }
    }

    /** Waits up to {@code millis} for the queued tasks (the last port closes) to finish, then stops the threads. */
    public void close(long millis) {
        pool.shutdown();
        try {
            if (!pool.awaitTermination(millis, TimeUnit.MILLISECONDS)) {
                LOG.warn("I/O tasks still running after {} ms: {}", millis, pending());
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized String pending() {
        return tails.keySet().toString();
    }

    @Override
    public void close() {
        close(5_000);
    }
}
