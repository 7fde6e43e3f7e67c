package dev.mcgate.cli;

import dev.mcgate.control.Reloading;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Turns SIGHUP into a reload on a thread of its own ({@code mcgate-sighup}, which hands it to the daemon's reload
 * thread and waits): the signal thread only queues it (it must never parse a file or wait for locks the loop needs).
 * Signals that arrive while a reload runs are folded into one more reload, which reads the file as it is by then.
 *
 * <p>The thread is started at install, on the caller's thread, not lazily by the JVM's signal thread: that one dates
 * from before the privilege drop and holds no capability, and a thread inherits its creator's.
 */
final class ReloadSignal implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReloadSignal.class);

    private final ThreadPoolExecutor executor;
    private final Reloading reloading;

    private ReloadSignal(Reloading reloading) {
        this.reloading = reloading;
        // One running and one waiting; a third signal adds nothing the waiting reload will not do.
        this.executor = new ThreadPoolExecutor(
                1,
                1,
                0,
                TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(1),
                r -> {
                    Thread t = new Thread(r, "mcgate-sighup");
                    t.setDaemon(true);
                    return t;
                },
                new ThreadPoolExecutor.DiscardPolicy());
        executor.prestartCoreThread();
        Runnable reload = () -> {
            try {
                reloading.reload(); // logs its own outcome
            } catch (RuntimeException e) {
                LOG.error("reload failed", e);
            }
        };
        if (dev.mcgate.io.linux.HangupSignal.unignore()) {
            LOG.info("SIGHUP was ignored when mcgate started (nohup?); it reloads the configuration, as documented");
        }
        try {
            Signal.handle(new Signal("HUP"), s -> {
                LOG.info("SIGHUP: reloading the configuration");
                executor.execute(reload);
            });
        } catch (IllegalArgumentException e) {
            LOG.warn("SIGHUP cannot be handled here ({}); no reload on SIGHUP", e.getMessage());
        }
    }

    /** What SIGHUP runs: the control socket's reload command runs the same. */
    Reloading reloading() {
        return reloading;
    }

    /** Installs the handler; close to stop taking signals into account (a reload under way finishes). */
    static ReloadSignal install(Reloading reloading) {
        return new ReloadSignal(reloading);
    }

    @Override
    public void close() {
        executor.shutdown();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
