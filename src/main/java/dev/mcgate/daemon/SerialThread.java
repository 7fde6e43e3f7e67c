package dev.mcgate.daemon;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * One named daemon thread that runs what it is given in order. Created where it is built (after the privilege drop,
 * so it has the capabilities the daemon kept), not lazily on whichever thread first needs it.
 */
final class SerialThread implements Executor, AutoCloseable {

    private final ExecutorService thread;

    SerialThread(String name) {
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        thread.submit(() -> {}); // start the thread now, on the builder's thread
    }

    @Override
    public void execute(Runnable task) {
        thread.execute(task);
    }

    /**
     * Runs {@code job} on this thread after what is queued and waits for its result; what it throws comes back as an
     * {@link IllegalStateException} named with {@code what}. Never call it from this thread.
     */
    <T> T callAndWait(String what, Callable<T> job) {
        CompletableFuture<T> f = new CompletableFuture<>();
        execute(() -> {
            try {
                f.complete(job.call());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        });
        try {
            return f.join();
        } catch (CompletionException e) {
            throw new IllegalStateException(what + ": " + e.getCause(), e.getCause());
        }
    }

    /** Takes nothing more and lets what is queued finish (up to 10 s). */
    @Override
    public void close() {
        thread.shutdown();
        try {
            thread.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
