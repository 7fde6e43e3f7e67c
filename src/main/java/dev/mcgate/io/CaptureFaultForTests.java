package dev.mcgate.io;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Test only: {@code -Dmcgate.test.captureErrorAfter=IF:N} makes the capture thread of interface IF throw an
 * {@link InternalError} after its N-th frame, once per process, so that an end-to-end test can show that a capture
 * thread killed by an Error fails its port and the port comes back. Nothing sets it outside the tests.
 */
public final class CaptureFaultForTests {

    static final String PROPERTY = "mcgate.test.captureErrorAfter";
    private static final AtomicBoolean THROWN = new AtomicBoolean();

    private final long after;
    private long frames;

    private CaptureFaultForTests(long after) {
        this.after = after;
    }

    /** The fault for a port of {@code interfaceName}, or null (the capture loop's test is then one null check). */
    public static CaptureFaultForTests forInterface(String interfaceName) {
        String spec = System.getProperty(PROPERTY);
        if (spec == null || THROWN.get()) {
            return null;
        }
        int colon = spec.lastIndexOf(':');
        if (colon < 0 || !spec.substring(0, colon).equals(interfaceName)) {
            return null;
        }
        return new CaptureFaultForTests(Long.parseLong(spec.substring(colon + 1)));
    }

    /** Capture thread, after the frames of a read were handed over. */
    public void framesDone(int n) {
        frames += n;
        if (frames >= after && THROWN.compareAndSet(false, true)) {
            throw new InternalError("injected by -D" + PROPERTY + " after " + frames + " frames");
        }
    }
}
