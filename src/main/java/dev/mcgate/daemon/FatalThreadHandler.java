package dev.mcgate.daemon;

import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default uncaught-exception handler of the daemon's process: a thread that dies of an exception stops the process
 * with an error exit, so that systemd restarts it, instead of leaving a daemon that runs on without that thread.
 *
 * <p>Why the whole process: the loop owns all protocol state, and a capture thread of a dead loop goes on forwarding
 * from the last table for ever; the threads that may end on their own catch what they expect themselves (a capture
 * thread fails its port, see {@code io.CaptureEnd}), so whatever reaches this handler is a bug or an Error.
 */
final class FatalThreadHandler implements Thread.UncaughtExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(FatalThreadHandler.class);
    /** EX_SOFTWARE (sysexits.h): a failure inside mcgate; not in RestartPreventExitStatus=, so systemd restarts. */
    static final int EXIT_STATUS = 70;

    private final IntConsumer exit;

    FatalThreadHandler(IntConsumer exit) {
        this.exit = exit;
    }

    /** Makes this the handler of every thread of the process that has none of its own. */
    static void install() {
        Thread.setDefaultUncaughtExceptionHandler(
                new FatalThreadHandler(status -> Runtime.getRuntime().exit(status)));
    }

    @Override
    public void uncaughtException(Thread thread, Throwable e) {
        try {
            LOG.error("thread {} died; mcgate exits with status {} to be restarted", thread.getName(), EXIT_STATUS, e);
        } finally {
            // Logging itself may fail (out of memory): the exit must happen anyway.
            exit.accept(EXIT_STATUS);
        }
    }
}
