package dev.mcgate.config;

import java.util.Locale;

/**
 * The {@code capture-buffer} setting of an interface: a size in bytes, or {@code auto}, which leaves the size to the
 * interface's role when its port opens (an upstream brings streams, a downstream mostly IGMP).
 *
 * @param bytes the size asked for; 0 for auto
 */
public record CaptureBuffer(int bytes) {

    public static final CaptureBuffer AUTO = new CaptureBuffer(0);
    /** Below this a ring holds a few dozen frames at MTU 1500: no use to a router. */
    public static final int MIN_BYTES = 64 << 10;
    /** The kernel doubles SO_RCVBUF for its bookkeeping and caps the result at INT_MAX: 1 GiB is the most it takes. */
    public static final int MAX_BYTES = 1 << 30;

    public CaptureBuffer {
        if (bytes != 0 && (bytes < MIN_BYTES || bytes > MAX_BYTES)) {
            throw new IllegalArgumentException("capture buffer of " + bytes + " bytes is out of range");
        }
    }

    public boolean isAuto() {
        return bytes == 0;
    }

    /** As the native syntax writes it: {@code auto}, else in the largest unit that divides it ({@link #size}). */
    public String keyword() {
        return isAuto() ? "auto" : size(bytes);
    }

    /** A byte count in the native syntax: {@code 4M}, {@code 1536K}, or plain bytes when no unit divides it. */
    static String size(long bytes) {
        if (bytes % (1 << 20) == 0) {
            return bytes / (1 << 20) + "M";
        }
        if (bytes % (1 << 10) == 0) {
            return bytes / (1 << 10) + "K";
        }
        return Long.toString(bytes);
    }

    /** The byte count of "4M", "1536K", "65536" (binary units, K and M in either case), or -1 if it is none. */
    static long parseSize(String text) {
        String t = text.toUpperCase(Locale.ROOT);
        long unit = 1;
        if (t.endsWith("K")) {
            unit = 1 << 10;
        } else if (t.endsWith("M")) {
            unit = 1 << 20;
        }
        String digits = unit == 1 ? t : t.substring(0, t.length() - 1);
        // Ten digits are more than any size in range, and few enough that the product cannot overflow.
        if (digits.isEmpty() || digits.length() > 10 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        return Long.parseLong(digits) * unit;
    }
}
