package dev.mcgate.io;

/**
 * Receives the frames a port captures, on that port's capture thread.
 *
 * <p>The array is lent for the duration of the call: the handler may modify it (the forwarder rewrites frames in
 * place) but must not keep a reference to it once it returns, since a port may reuse one array for every frame
 * (the AF_PACKET engine does, so that capture allocates nothing). A handler that needs the bytes later copies them.
 * {@code length} is the captured length, which is the frame's length unless the frame was longer than the snap length;
 * the array may be longer than {@code length}.
 *
 * <p>Batches: a port calls {@link #onBatchEnd} on the same thread after the frames of one wake-up (one
 * {@code recvmmsg}, the frames libpcap had ready, one tunnel message), before it may block again. A handler that
 * queued frames on other ports ({@link InterfacePort#queue}) flushes them there, so that a wake-up costs one send call
 * per egress port rather than one per frame, and no frame waits for the next wake-up.
 */
@FunctionalInterface
public interface FrameHandler {
    void onFrame(InterfacePort port, byte[] frame, int length);

    /** The frames {@code port} had ready have all been handed over; the thread may block next. */
    default void onBatchEnd(InterfacePort port) {}

    /**
     * The port's capture thread has ended although nobody closed the port (a read error, or an exception or Error on
     * the thread): no frame will come from it again, and {@link InterfacePort#captureFailure()} says why. Called once,
     * as the thread's last act.
     */
    default void onCaptureStopped(InterfacePort port, String why) {}
}
