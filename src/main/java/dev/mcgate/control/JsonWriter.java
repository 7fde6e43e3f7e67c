package dev.mcgate.control;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.Arrays;

/**
 * A small streaming JSON writer (RFC 8259) for every {@code --json} output of mcgate: objects, arrays, strings,
 * numbers, booleans and null, written compact or pretty (two-space indent) to any {@link Appendable}.
 *
 * <p>It checks the structure as it goes (a value in an object needs a name first, closers must match, one top-level
 * value), so a bug in a renderer fails loudly instead of producing JSON that a script half-parses.
 * Not thread-safe: one writer per document.
 */
public final class JsonWriter {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final Appendable out;
    private final boolean pretty;
    // One entry per open container: true = object, false = array. Depth is small, a plain array will do.
    private boolean[] isObject = new boolean[8];
    private boolean[] hasMembers = new boolean[8];
    private int depth;
    private boolean nameWritten;
    private boolean topLevelWritten;

    private JsonWriter(Appendable out, boolean pretty) {
        this.out = out;
        this.pretty = pretty;
    }

    /** A writer that emits no whitespace. */
    public static JsonWriter compact(Appendable out) {
        return new JsonWriter(out, false);
    }

    /** A writer that puts each member on its own line, indented by two spaces per level. */
    public static JsonWriter pretty(Appendable out) {
        return new JsonWriter(out, true);
    }

    public JsonWriter beginObject() {
        beforeValue();
        push(true);
        append('{');
        return this;
    }

    public JsonWriter endObject() {
        return end(true, '}');
    }

    public JsonWriter beginArray() {
        beforeValue();
        push(false);
        append('[');
        return this;
    }

    public JsonWriter endArray() {
        return end(false, ']');
    }

    /** Starts a member of the current object; the next call must write its value. */
    public JsonWriter name(String name) {
        if (depth == 0 || !isObject[depth - 1]) {
            throw new IllegalStateException("name '" + name + "' outside an object");
        }
        if (nameWritten) {
            throw new IllegalStateException("name '" + name + "' after a name without a value");
        }
        if (hasMembers[depth - 1]) {
            append(',');
        }
        hasMembers[depth - 1] = true;
        newlineAndIndent();
        writeString(name);
        append(pretty ? ": " : ":");
        nameWritten = true;
        return this;
    }

    /** Writes a string, or null when {@code value} is null. */
    public JsonWriter value(String value) {
        if (value == null) {
            return nullValue();
        }
        beforeValue();
        writeString(value);
        return this;
    }

    public JsonWriter value(long value) {
        beforeValue();
        append(Long.toString(value));
        return this;
    }

    /**
     * Writes a finite number in plain notation without trailing zeros ({@code 12.5}, {@code 3}, {@code 0.0001}).
     *
     * @throws IllegalArgumentException for NaN and infinities, which JSON cannot represent; write null instead
     */
    public JsonWriter value(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("JSON has no representation for " + value);
        }
        beforeValue();
        // BigDecimal.valueOf uses the shortest repr that round-trips; toPlainString avoids "1.0E-5" forms.
        append(BigDecimal.valueOf(value).stripTrailingZeros().toPlainString());
        return this;
    }

    public JsonWriter value(boolean value) {
        beforeValue();
        append(value ? "true" : "false");
        return this;
    }

    public JsonWriter nullValue() {
        beforeValue();
        append("null");
        return this;
    }

    /** {@code name(name).value(value)}. */
    public JsonWriter field(String name, String value) {
        return name(name).value(value);
    }

    /** {@code name(name).value(value)}. */
    public JsonWriter field(String name, long value) {
        return name(name).value(value);
    }

    /** {@code name(name).value(value)}. */
    public JsonWriter field(String name, double value) {
        return name(name).value(value);
    }

    /** {@code name(name).value(value)}. */
    public JsonWriter field(String name, boolean value) {
        return name(name).value(value);
    }

    /**
     * Ends the document: checks that every container was closed and, when pretty, ends with a newline.
     *
     * @throws IllegalStateException when the document is incomplete
     */
    public void finish() {
        if (depth != 0 || !topLevelWritten) {
            throw new IllegalStateException("incomplete JSON document (open containers: " + depth + ")");
        }
        if (pretty) {
            append('\n');
        }
    }

    /** Returns {@code text} as a quoted JSON string literal. */
    public static String quote(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 2);
        JsonWriter w = compact(sb);
        w.value(text);
        return sb.toString();
    }

    private JsonWriter end(boolean object, char closer) {
        if (depth == 0 || isObject[depth - 1] != object) {
            throw new IllegalStateException("'" + closer + "' does not close the open container");
        }
        if (nameWritten) {
            throw new IllegalStateException("'" + closer + "' after a name without a value");
        }
        boolean members = hasMembers[depth - 1];
        depth--;
        if (members) {
            newlineAndIndent();
        }
        append(closer);
        return this;
    }

    private void beforeValue() {
        if (depth == 0) {
            if (topLevelWritten) {
                throw new IllegalStateException("a JSON document has exactly one top-level value");
            }
            topLevelWritten = true;
            return;
        }
        if (isObject[depth - 1]) {
            if (!nameWritten) {
                throw new IllegalStateException("a value in an object needs a name first");
            }
            nameWritten = false;
            return;
        }
        if (hasMembers[depth - 1]) {
            append(',');
        }
        hasMembers[depth - 1] = true;
        newlineAndIndent();
    }

    private void push(boolean object) {
        if (depth == isObject.length) {
            isObject = Arrays.copyOf(isObject, depth * 2);
            hasMembers = Arrays.copyOf(hasMembers, depth * 2);
        }
        isObject[depth] = object;
        hasMembers[depth] = false;
        depth++;
    }

    private void newlineAndIndent() {
        if (!pretty) {
            return;
        }
        append('\n');
        for (int i = 0; i < depth; i++) {
            append("  ");
        }
    }

    // RFC 8259 §7: '"', '\' and U+0000-U+001F must be escaped. We also escape U+2028/U+2029 (line separators
    // to JavaScript) and unpaired surrogates, which have no UTF-8 encoding and would otherwise turn into '?'.
    private void writeString(String s) {
        append('"');
        int runStart = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String shortForm = null;
            boolean escape;
            switch (c) {
                case '"' -> {
                    shortForm = "\\\"";
                    escape = true;
                }
                case '\\' -> {
                    shortForm = "\\\\";
                    escape = true;
                }
                case '\n' -> {
                    shortForm = "\\n";
                    escape = true;
                }
                case '\r' -> {
                    shortForm = "\\r";
                    escape = true;
                }
                case '\t' -> {
                    shortForm = "\\t";
                    escape = true;
                }
                case '\b' -> {
                    shortForm = "\\b";
                    escape = true;
                }
                case '\f' -> {
                    shortForm = "\\f";
                    escape = true;
                }
                default -> escape = c < 0x20 || c == '\u2028' || c == '\u2029' || isUnpairedSurrogate(s, i);
            }
            if (!escape) {
                continue;
            }
            appendRange(s, runStart, i);
            if (shortForm != null) {
                append(shortForm);
            } else {
                append("\\u");
                append(HEX[(c >> 12) & 0xf]);
                append(HEX[(c >> 8) & 0xf]);
                append(HEX[(c >> 4) & 0xf]);
                append(HEX[c & 0xf]);
            }
            runStart = i + 1;
        }
        appendRange(s, runStart, s.length());
        append('"');
    }

    private static boolean isUnpairedSurrogate(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
        }
        if (Character.isLowSurrogate(c)) {
            return i == 0 || !Character.isHighSurrogate(s.charAt(i - 1));
        }
        return false;
    }

    private void appendRange(String s, int from, int to) {
        if (from < to) {
            try {
                out.append(s, from, to);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private void append(CharSequence text) {
        try {
            out.append(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void append(char c) {
        try {
            out.append(c);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
