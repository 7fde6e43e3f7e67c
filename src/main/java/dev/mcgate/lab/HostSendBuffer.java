package dev.mcgate.lab;

import dev.mcgate.io.linux.Sysctl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Raises the host's default socket send buffer for the bench's run and puts it back afterwards, for trafgen.
 *
 * <p>A frame stays charged to trafgen's socket until the kernel frees it. When CPU 0 is busy, the originals that the
 * mirred clone leaves behind wait in gen1's backlog (up to 1000 frames) before their IP input frees them; with the
 * default send buffer (208 KiB, a few hundred small frames) trafgen's TX ring flush then fails with EAGAIN and trafgen
 * exits (seen here, in a full run). trafgen raises {@code net.core.wmem_default} and {@code wmem_max} itself when it
 * can, but inside a network namespace those are read-only: they belong to the initial namespace, where the bench runs.
 */
final class HostSendBuffer implements AutoCloseable {

    static final Path WMEM_DEFAULT = Path.of("/proc/sys/net/core/wmem_default");
    static final Path WMEM_MAX = Path.of("/proc/sys/net/core/wmem_max");
    /** Room for several thousand frames: more than a backlog and a tbf queue together. */
    static final long BYTES = 4L << 20;

    private final String oldDefault;
    private final String oldMax;

    private HostSendBuffer(String oldDefault, String oldMax) {
        this.oldDefault = oldDefault;
        this.oldMax = oldMax;
    }

    /** Sets both to at least {@link #BYTES}; never lowers them. */
    static HostSendBuffer raise() throws LabException {
        try {
            String oldDefault = Sysctl.read(WMEM_DEFAULT);
            String oldMax = Sysctl.read(WMEM_MAX);
            Files.writeString(WMEM_MAX, Long.toString(Math.max(BYTES, Long.parseLong(oldMax))));
            Files.writeString(WMEM_DEFAULT, Long.toString(Math.max(BYTES, Long.parseLong(oldDefault))));
            return new HostSendBuffer(oldDefault, oldMax);
        } catch (IOException | NumberFormatException e) {
            throw new LabException("cannot raise net.core.wmem_default for trafgen: " + e.getMessage());
        }
    }

    /** Puts the values back: default first, so that it never exceeds the maximum. */
    @Override
    public void close() {
        try {
            Files.writeString(WMEM_DEFAULT, oldDefault);
            Files.writeString(WMEM_MAX, oldMax);
        } catch (IOException e) {
            System.err.println("mcgate lab bench: could not restore net.core.wmem_default " + oldDefault
                    + " and wmem_max " + oldMax + ": " + e.getMessage());
        }
    }
}
