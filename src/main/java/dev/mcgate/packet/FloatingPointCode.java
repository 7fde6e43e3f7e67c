package dev.mcgate.packet;

/**
 * The 8-bit floating-point code of the IGMPv3 Max Resp Code (RFC 3376 §4.1.1) and QQIC (§4.1.7) fields, both ways.
 */
public final class FloatingPointCode {

    /** The largest value a code can stand for: mant 15, exp 7, (0x1f) << 10. */
    public static final int MAX_VALUE = 31744;

    private FloatingPointCode() {}

    /**
     * RFC 3376 §4.1.1: "If Max Resp Code < 128, Max Resp Time = Max Resp Code"; otherwise the code is
     * 1 | exp(3) | mant(4) and the value is (mant | 0x10) << (exp + 3).
     */
    public static int decode(int code) {
        if (code < 0 || code > 0xff) {
            throw new IllegalArgumentException("a code is one octet: " + code);
        }
        if (code < 128) {
            return code;
        }
        int exp = (code >>> 4) & 0x7;
        int mant = code & 0xf;
        return (mant | 0x10) << (exp + 3);
    }

    /**
     * The code of the smallest representable value not below {@code value} (so that a host never answers later than asked),
     * capped at {@link #MAX_VALUE}.
     */
    public static int encode(int value) {
        if (value < 0) {
            throw new IllegalArgumentException("negative time: " + value);
        }
        if (value < 128) {
            return value;
        }
        if (value >= MAX_VALUE) {
            return 0xff;
        }
        // value lies in [16 << (exp + 3), 32 << (exp + 3)); the step inside that octave is 1 << (exp + 3).
        int exp = 31 - Integer.numberOfLeadingZeros(value) - 7;
        int shift = exp + 3;
        int mant = ((value + (1 << shift) - 1) >>> shift) - 0x10;
        if (mant == 0x10) {
            // Rounding up crossed into the next octave: its first value, mant 0.
            exp++;
            mant = 0;
        }
        return 0x80 | (exp << 4) | mant;
    }

    /** The value a time is sent as: the smallest representable value not below it. */
    public static int representable(int value) {
        return decode(encode(value));
    }
}
