package dev.mcgate.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Lets Ctrl-C or SIGTERM end a lab run with its summary and its normal exit code: the JVM runs this hook, which
 * asks the run to stop, waits until the command has printed its results (at most 3 s) and then ends the process
 * with the command's exit code instead of the signal's 130/143, so scripts can still tell success from failure.
 *
 * <p>Note for scripts: a background job of a non-interactive shell ignores SIGINT; stop it with SIGTERM.
 */
final class ShutdownStop implements AutoCloseable {

    private static final int NO_RESULT = -1;

    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook;
    private volatile int exitCode = NO_RESULT;

    ShutdownStop(Runnable stop) {
        hook = new Thread(() -> {
            stop.run();
            try {
                finished.await(3, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (exitCode != NO_RESULT) {
                // The main thread cannot System.exit() while hooks run (it would block), so exit from here.
                Runtime.getRuntime().halt(exitCode);
            }
        }, "lab-stop");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** The results are out and the command will return {@code code}. */
    void finished(int code) {
        exitCode = code;
        finished.countDown();
    }

    /** Unregisters the hook, or, when a shutdown is already under way, lets it proceed. */
    @Override
    public void close() {
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running: it sees the latch released and ends the process.
        }
    }
}
