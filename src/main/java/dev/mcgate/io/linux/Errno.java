package dev.mcgate.io.linux;

import com.sun.jna.LastErrorException;

/** Turns a failed C call's errno into words for an error message. */
final class Errno {

    static final int EINTR = 4;
    static final int EAGAIN = 11;

    private Errno() {}

    static String describe(LastErrorException e) {
        return describe(e.getErrorCode());
    }

    static String describe(int errno) {
        String text;
        try {
            text = LibC.INSTANCE.strerror(errno);
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            text = null;
        }
        return (text == null ? "error" : text) + ", errno " + errno;
    }
}
