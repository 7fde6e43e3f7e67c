package dev.mcgate.io;

/**
 * Receives the frames a port captures, on that port's capture thread.
 *
 * <p>The array is the handler's to keep or modify; {@code length} is the captured length, which is the frame's length
 * unless the frame was longer than the snap length.
 */
@FunctionalInterface
public interface FrameHandler {
    void onFrame(InterfacePort port, byte[] frame, int length);
}
