package dev.mcgate.io.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Takes SIGHUP back from an inherited "ignore" (a daemon started under {@code nohup}, or by a parent that ignores it):
 * the JVM installs no handler for a signal that was ignored when it started, so {@code Signal.handle} would succeed and
 * the reload that SIGHUP stands for would silently never happen.
 */
public final class HangupSignal {

    private static final int SIGHUP = 1;

    private HangupSignal() {}

    /** Whether SIGHUP is ignored by this process, then (if so) back to its default, so that a handler can be set. */
    public static boolean unignore() {
        boolean ignored;
        try {
            ignored = ignoredIn(Files.readString(Path.of("/proc/self/status")));
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
        if (ignored) {
            LibC.INSTANCE.signal(SIGHUP, null);
        }
        return ignored;
    }

    /** Whether the SigIgn mask of a /proc status text has SIGHUP (bit 0) set. */
    static boolean ignoredIn(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseUnsignedLong(
                                        line.substring("SigIgn:".length()).strip(), 16)
                                & (1L << (SIGHUP - 1)))
                        != 0;
            }
        }
        return false;
    }
}
