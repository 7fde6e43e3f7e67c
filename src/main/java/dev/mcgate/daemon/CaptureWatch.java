package dev.mcgate.daemon;

import dev.mcgate.io.FrameHandler;
import dev.mcgate.io.InterfacePort;
import java.util.function.BiConsumer;

/**
 * The frame handler the registry opens its ports with: frames go to the intake as they are, and a capture that stops
 * by itself goes to the registry, which fails the interface and opens it again.
 */
final class CaptureWatch implements FrameHandler {

    private final FrameHandler frames;
    private final BiConsumer<InterfacePort, String> stopped;

    CaptureWatch(FrameHandler frames, BiConsumer<InterfacePort, String> stopped) {
        this.frames = frames;
        this.stopped = stopped;
    }

    @Override
    public void onFrame(InterfacePort port, byte[] frame, int length) {
        frames.onFrame(port, frame, length);
    }

    @Override
    public void onBatchEnd(InterfacePort port) {
        frames.onBatchEnd(port);
    }

    @Override
    public void onCaptureStopped(InterfacePort port, String why) {
        stopped.accept(port, why);
    }
}
