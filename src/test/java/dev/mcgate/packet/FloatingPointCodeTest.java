package dev.mcgate.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The RFC 3376 §4.1.1 / §4.1.7 floating-point code and the 16-bit one of RFC 9777 §5.1.3, both ways, exhaustively. */
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

    /** RFC 9777 §5.1.3, written out from its diagram: 1 | exp(3) | mant(12), delay = (mant | 0x1000) << (exp + 3). */
    private static int rfc9777Delay(int code) {
        if (code < 32768) {
            return code;
        }
        int exp = (code & 0x7000) >> 12;
        int mant = code & 0x0fff;
        return (mant + 4096) * (1 << (exp + 3));
    }

    @Test
    void decodesAll65536MldCodesByTheRfcFormula() {
        for (int code = 0; code < 65536; code++) {
            assertEquals(rfc9777Delay(code), FloatingPointCode.decode16(code), "code " + code);
            assertEquals(code, FloatingPointCode.encode16(FloatingPointCode.decode16(code)), "round trip of " + code);
        }
        assertEquals(rfc9777Delay(0xffff), FloatingPointCode.MAX_VALUE_16);
    }

    @Test
    void encodesMldDelaysToTheSmallestRepresentableValueNotBelow() {
        TreeSet<Integer> representable = new TreeSet<>();
        for (int code = 0; code < 65536; code++) {
            representable.add(rfc9777Delay(code));
        }
        for (int value = 0; value <= FloatingPointCode.MAX_VALUE_16 + 70_000; value += value < 70_000 ? 1 : 97) {
            Integer expected = representable.ceiling(value);
            int want = expected == null ? FloatingPointCode.MAX_VALUE_16 : expected;
            assertEquals(want, FloatingPointCode.representable16(value), "value " + value);
        }
    }

    @ParameterizedTest
    @CsvSource({
        "0, 0",
        "10000, 10000",
        "32767, 32767",
        "32768, 32768",
        "32769, 32769",
        "32776, 32769",
        "65536, 36864",
        "8387584, 65535",
        "2147483647, 65535"
    })
    void encodesKnownMldDelays(int value, int code) {
        assertEquals(code, FloatingPointCode.encode16(value));
    }

    @Test
    void rejectsWhatIsNoMldCodeOrDelay() {
        assertThrows(IllegalArgumentException.class, () -> FloatingPointCode.encode16(-1));
        assertThrows(IllegalArgumentException.class, () -> FloatingPointCode.decode16(65536));
        assertThrows(IllegalArgumentException.class, () -> FloatingPointCode.decode16(-1));
    }
}
