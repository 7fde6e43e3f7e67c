package dev.mcgate.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The RFC 3376 §4.1.1 / §4.1.7 floating-point code, both ways, exhaustively. */
class FloatingPointCodeTest {

    /** RFC 3376 §4.1.1, written out from its diagram: 1 | exp | mant, value = (mant | 0x10) << (exp + 3). */
    private static int rfcValue(int code) {
        if (code < 128) {
            return code;
        }
        int exp = (code & 0b0111_0000) >> 4;
        int mant = code & 0b0000_1111;
        return (mant + 16) * (1 << (exp + 3));
    }

    @Test
    void decodesAll256CodesByTheRfcFormula() {
        for (int code = 0; code < 256; code++) {
            assertEquals(rfcValue(code), FloatingPointCode.decode(code), "code " + code);
            assertEquals(code, FloatingPointCode.encode(FloatingPointCode.decode(code)), "round trip of code " + code);
        }
    }

    @Test
    void encodesToTheSmallestRepresentableValueNotBelow() {
        TreeSet<Integer> representable = new TreeSet<>();
        for (int code = 0; code < 256; code++) {
            representable.add(rfcValue(code));
        }
        for (int value = 0; value <= 40_000; value++) {
            Integer expected = representable.ceiling(value);
            int want = expected == null ? FloatingPointCode.MAX_VALUE : expected;
            assertEquals(want, FloatingPointCode.decode(FloatingPointCode.encode(value)), "value " + value);
            assertEquals(want, FloatingPointCode.representable(value));
        }
    }

    @ParameterizedTest
    @CsvSource({
        "0, 0",
        "127, 127",
        "128, 128",
        "129, 129",
        "136, 129",
        "248, 143",
        "249, 144",
        "256, 144",
        "1000, 176",
        "31744, 255",
        "31745, 255",
        "2147483647, 255"
    })
    void encodesKnownValues(int value, int code) {
        assertEquals(code, FloatingPointCode.encode(value));
    }

    @Test
    void rejectsWhatIsNoCodeOrTime() {
        assertThrows(IllegalArgumentException.class, () -> FloatingPointCode.encode(-1));
        assertThrows(IllegalArgumentException.class, () -> FloatingPointCode.decode(256));
        assertThrows(IllegalArgumentException.class, () -> FloatingPointCode.decode(-1));
        assertTrue(FloatingPointCode.MAX_VALUE == rfcValue(0xff));
    }
}
