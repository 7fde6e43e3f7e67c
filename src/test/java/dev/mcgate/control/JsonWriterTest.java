package dev.mcgate.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonWriterTest {

    @Test
    void compactDocumentWithEveryKindOfValue() {
        StringBuilder out = new StringBuilder();
        JsonWriter json = JsonWriter.compact(out);
        json.beginObject()
                .field("s", "x")
                .field("n", -42L)
                .field("d", 12.5)
                .field("t", true)
                .field("f", false)
                .name("z")
                .nullValue()
                .name("a")
                .beginArray()
                .value(1)
                .value("two")
                .beginObject()
                .endObject()
                .beginArray()
                .endArray()
                .endArray()
                .endObject()
                .finish();
        assertEquals(
                "{\"s\":\"x\",\"n\":-42,\"d\":12.5,\"t\":true,\"f\":false,\"z\":null,\"a\":[1,\"two\",{},[]]}",
                out.toString());
    }

    @Test
    void prettyDocumentIndentsTwoSpacesAndEndsWithNewline() {
        StringBuilder out = new StringBuilder();
        JsonWriter json = JsonWriter.pretty(out);
        json.beginObject()
                .field("a", 1)
                .name("b")
                .beginArray()
                .value(true)
                .value("x")
                .endArray()
                .name("c")
                .beginObject()
                .endObject()
                .endObject()
                .finish();
        assertEquals("{\n  \"a\": 1,\n  \"b\": [\n    true,\n    \"x\"\n  ],\n  \"c\": {}\n}\n", out.toString());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '\'',
            value = {
                "plain          | '\"plain\"'",
                "a\"b           | '\"a\\\"b\"'",
                "a\\b           | '\"a\\\\b\"'",
                "a/b            | '\"a/b\"'",
            })
    void escapesQuoteAndBackslashButNotSlash(String in, String expected) {
        assertEquals(expected, JsonWriter.quote(in));
    }

    @Test
    void escapesControlCharactersWithShortFormsWhereJsonHasThem() {
        assertEquals("\"\\n\\r\\t\\b\\f\"", JsonWriter.quote("\n\r\t\b\f"));
        assertEquals("\"\\u0000\\u0001\\u001f\"", JsonWriter.quote("\u0000\u0001\u001f"));
        assertEquals("\" ~\u007f\"", JsonWriter.quote(" ~\u007f"));
    }

    @Test
    void keepsNonAsciiAndSurrogatePairsButEscapesLineSeparatorsAndLoneSurrogates() {
        assertEquals("\"é€😀\"", JsonWriter.quote("é€😀"));
        assertEquals("\"\\u2028\\u2029\"", JsonWriter.quote("\u2028\u2029"));
        assertEquals("\"\\ud83dx\"", JsonWriter.quote("\ud83dx"));
        assertEquals("\"x\\ude00\"", JsonWriter.quote("x\ude00"));
        assertEquals("\"\\ude00\\ud83d\"", JsonWriter.quote("\ude00\ud83d"));
    }

    @Test
    void everyCharacterSurvivesAnEscapeAndUnescapeRoundTrip() {
        for (int c = 0; c <= 0xffff; c++) {
            String text = "a" + (char) c + "b";
            String quoted = JsonWriter.quote(text);
            assertEquals(text, unquote(quoted), "U+" + Integer.toHexString(c));
            for (int i = 1; i < quoted.length() - 1; i++) {
                char q = quoted.charAt(i);
                if (q < 0x20) {
                    throw new AssertionError("raw control character in " + quoted);
                }
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"3.0, 3", "12.5, 12.5", "0.0001, 0.0001", "-0.25, -0.25", "1e20, 100000000000000000000", "0.0, 0"})
    void writesDoublesInPlainNotation(double value, String expected) {
        StringBuilder out = new StringBuilder();
        JsonWriter.compact(out).value(value).finish();
        assertEquals(expected, out.toString());
    }

    @Test
    void refusesNonFiniteNumbers() {
        assertThrows(
                IllegalArgumentException.class,
                () -> JsonWriter.compact(new StringBuilder()).value(Double.NaN));
        assertThrows(
                IllegalArgumentException.class,
                () -> JsonWriter.compact(new StringBuilder()).value(Double.POSITIVE_INFINITY));
    }

    @Test
    void nullStringIsWrittenAsNull() {
        StringBuilder out = new StringBuilder();
        JsonWriter.compact(out).beginArray().value((String) null).endArray().finish();
        assertEquals("[null]", out.toString());
    }

    @Test
    void rejectsMalformedStructure() {
        assertThrows(
                IllegalStateException.class,
                () -> JsonWriter.compact(new StringBuilder()).beginObject().value(1));
        assertThrows(
                IllegalStateException.class,
                () -> JsonWriter.compact(new StringBuilder()).beginArray().name("x"));
        assertThrows(
                IllegalStateException.class,
                () -> JsonWriter.compact(new StringBuilder()).beginObject().endArray());
        assertThrows(
                IllegalStateException.class,
                () -> JsonWriter.compact(new StringBuilder())
                        .beginObject()
                        .name("a")
                        .name("b"));
        assertThrows(
                IllegalStateException.class,
                () -> JsonWriter.compact(new StringBuilder())
                        .beginObject()
                        .name("a")
                        .endObject());
        assertThrows(
                IllegalStateException.class,
                () -> JsonWriter.compact(new StringBuilder()).value(1).value(2));
        assertThrows(
                IllegalStateException.class,
                () -> JsonWriter.compact(new StringBuilder()).beginArray().finish());
        assertThrows(
                IllegalStateException.class,
                () -> JsonWriter.compact(new StringBuilder()).finish());
        assertThrows(
                IllegalStateException.class,
                () -> JsonWriter.compact(new StringBuilder()).endObject());
    }

    @Test
    void deepNestingGrowsTheStack() {
        StringBuilder out = new StringBuilder();
        JsonWriter json = JsonWriter.compact(out);
        for (int i = 0; i < 50; i++) {
            json.beginArray();
        }
        for (int i = 0; i < 50; i++) {
            json.endArray();
        }
        json.finish();
        assertEquals("[".repeat(50) + "]".repeat(50), out.toString());
    }

    // A minimal JSON string decoder, written independently of the writer, to check what the escapes mean.
    private static String unquote(String quoted) {
        if (quoted.charAt(0) != '"' || quoted.charAt(quoted.length() - 1) != '"') {
            throw new AssertionError("not quoted: " + quoted);
        }
        StringBuilder out = new StringBuilder();
        for (int i = 1; i < quoted.length() - 1; i++) {
            char c = quoted.charAt(i);
            if (c == '"') {
                throw new AssertionError("unescaped quote in " + quoted);
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char e = quoted.charAt(++i);
            switch (e) {
                case '"', '\\', '/' -> out.append(e);
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'u' -> {
                    out.append((char) Integer.parseInt(quoted.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> throw new AssertionError("bad escape \\" + e + " in " + quoted);
            }
        }
        return out.toString();
    }
}
