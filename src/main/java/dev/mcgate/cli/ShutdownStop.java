package dev.mcgate.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Lets Ctrl-C end a lab run with its summary: on SIGINT/SIGTERM the JVM runs this hook, which asks the run to
 * stop and then holds the JVM until the command has printed its results (or 3 s have passed).
 */
final class ShutdownStop implements AutoCloseable {

    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook;

    ShutdownStop(Runnable stop) {
        hook = new Thread(() -> {
            stop.run();
            try {
                finished.await(3, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "lab-stop");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** The results are out: let a pending shutdown proceed, or unregister the hook when there is none. */
    @Override
    public void close() {
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // Already running: it will see the latch released and return.
        }
    }
}
