package dev.mcgate.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits configuration text into numbered lines of whitespace-separated tokens. Shared by both syntaxes.
 *
 * <p>'#' starts a comment that runs to the end of the line (igmpproxy allows it anywhere, so do we). '{' and '}'
 * are tokens of their own even when written without spaces, so "interface eth0{" reads as expected.
 */
final class ConfigLines {

    /** One line that holds at least one token. */
    record Line(int number, List<String> tokens) {
        Line {
            tokens = List.copyOf(tokens);
        }

        String keyword() {
            return tokens.get(0);
        }

        List<String> args() {
            return tokens.subList(1, tokens.size());
        }
    }

    /** The lines of a text, without empty and comment-only lines. */
    record Text(List<Line> lines, int lastLineNumber) {
        Text {
            lines = List.copyOf(lines);
        }
    }

    private ConfigLines() {}

    static Text split(String text) {
        List<Line> lines = new ArrayList<>();
        int number = 0;
        for (String raw : text.split("\r\n|\r|\n", -1)) {
            number++;
            List<String> tokens = tokens(raw);
            if (!tokens.isEmpty()) {
                lines.add(new Line(number, tokens));
            }
        }
        // split(-1) yields a last empty string after a final newline; do not count it as a line.
        int last = text.endsWith("\n") || text.endsWith("\r") ? number - 1 : number;
        return new Text(lines, Math.max(1, last));
    }

    private static List<String> tokens(String raw) {
        List<String> tokens = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '#') {
                break;
            }
            if (Character.isWhitespace(c) || c == '{' || c == '}') {
                flush(current, tokens);
                if (c == '{' || c == '}') {
                    tokens.add(String.valueOf(c));
                }
            } else {
                current.append(c);
            }
        }
        flush(current, tokens);
        return tokens;
    }

    private static void flush(StringBuilder current, List<String> tokens) {
        if (current.length() > 0) {
            tokens.add(current.toString());
            current.setLength(0);
        }
    }
}
