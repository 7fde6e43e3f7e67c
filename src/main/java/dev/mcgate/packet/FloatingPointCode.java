package dev.mcgate.packet;

/**
 * The floating-point codes of IGMPv3 and MLDv2, both ways: the 8-bit Max Resp Code and QQIC of IGMPv3 (RFC 3376 §4.1.1,
 * §4.1.7), which MLDv2 uses for its QQIC too (RFC 9777 §5.1.9), and the 16-bit Maximum Response Code of MLDv2 (RFC 9777
 * §5.1.3). Both are "literal below a threshold, else 1 | exp(3) | mant", differing only in the mantissa's width.
 */
public final class FloatingPointCode {

    /** The largest value an 8-bit code can stand for: mant 15, exp 7, (0x1f) << 10. */
    public static final int MAX_VALUE = 31744;
    /** The largest value a 16-bit MLDv2 Maximum Response Code can stand for: mant 0xfff, exp 7, (0x1fff) << 10 ms. */
    public static final int MAX_VALUE_16 = 0x1fff << 10;

    private static final int MANT_8 = 4;
    private static final int MANT_16 = 12;

    private FloatingPointCode() {}

    /**
     * RFC 3376 §4.1.1: "If Max Resp Code < 128, Max Resp Time = Max Resp Code"; otherwise the code is
     * 1 | exp(3) | mant(4) and the value is (mant | 0x10) << (exp + 3).
     */
    public static int decode(int code) {
        if (code < 0 || code > 0xff) {
            throw new IllegalArgumentException("a code is one octet: " + code);
        }
        return decode(code, MANT_8);
    }

    /**
     * The code of the smallest representable value not below {@code value} (so that a host never answers later than asked),
     * capped at {@link #MAX_VALUE}.
     */
    public static int encode(int value) {
        return encode(value, MANT_8);
    }

    /** The value a time is sent as: the smallest representable value not below it. */
    public static int representable(int value) {
        return decode(encode(value));
    }

    /**
     * RFC 9777 §5.1.3: "If Maximum Response Code < 32768, Maximum Response Delay = Maximum Response Code"; otherwise the
     * code is 1 | exp(3) | mant(12) and the delay (ms) is (mant | 0x1000) << (exp + 3).
     */
    public static int decode16(int code) {
        if (code < 0 || code > 0xffff) {
            throw new IllegalArgumentException("a code is two octets: " + code);
        }
        return decode(code, MANT_16);
    }

    /** The 16-bit code of the smallest representable delay not below {@code value}, capped at {@link #MAX_VALUE_16}. */
    public static int encode16(int value) {
        return encode(value, MANT_16);
    }

    /** The delay a 16-bit code sends for {@code value}: the smallest representable value not below it. */
    public static int representable16(int value) {
        return decode16(encode16(value));
    }

    /** The code is literal below 1 << (mantBits + 3); above, the value is (mant | 1 << mantBits) << (exp + 3). */
    private static int decode(int code, int mantBits) {
        int literalLimit = 1 << (mantBits + 3);
        if (code < literalLimit) {
            return code;
        }
        int exp = (code >>> mantBits) & 0x7;
        int mant = code & ((1 << mantBits) - 1);
        return (mant | (1 << mantBits)) << (exp + 3);
    }

    private static int encode(int value, int mantBits) {
        if (value < 0) {
            throw new IllegalArgumentException("negative time: " + value);
        }
        int literalLimit = 1 << (mantBits + 3);
        if (value < literalLimit) {
            return value;
        }
        int maxCode = (1 << (mantBits + 4)) - 1;
        if (value >= decode(maxCode, mantBits)) {
            return maxCode;
        }
        // value lies in [1 << (mantBits + exp + 3), 2 << (mantBits + exp + 3)); the step inside that octave is
        // 1 << (exp + 3).
        int exp = 31 - Integer.numberOfLeadingZeros(value) - mantBits - 3;
        int shift = exp + 3;
        int mant = ((value + (1 << shift) - 1) >>> shift) - (1 << mantBits);
        if (mant == 1 << mantBits) {
            // Rounding up crossed into the next octave: its first value, mant 0.
            exp++;
            mant = 0;
        }
        return literalLimit | (exp << mantBits) | mant;
    }
}
