package dev.mcgate.io;

import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A port's record of its capture thread ending by itself: why, for {@link InterfacePort#captureFailure()}, logged with
 * the trace, and told once to the frame handler ({@link FrameHandler#onCaptureStopped}), whose owner closes the port
 * and opens it again.
 */
public final class CaptureEnd {

    private static final Logger LOG = LoggerFactory.getLogger(CaptureEnd.class);

    private volatile String failure;

    /**
     * Capture thread, as its last act: the capture stopped while the port was open.
     *
     * @param cause what ended the thread, if it was thrown (then logged with its trace); null for a read error
     */
    public void stopped(InterfacePort port, FrameHandler handler, String why, Throwable cause) {
        failure = why;
        String name = port.netInterface().name();
        try {
            if (cause != null) {
                LOG.error("{}: capture thread {} died: {}; the port has failed", name, threadName(), why, cause);
            } else {
                LOG.error("{}: capture stopped: {}; the port has failed", name, why);
            }
        } finally {
            handler.onCaptureStopped(port, why);
        }
    }

    private static String threadName() {
        return Thread.currentThread().getName();
    }

    public Optional<String> failure() {
        return Optional.ofNullable(failure);
    }
}
