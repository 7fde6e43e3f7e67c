package dev.mcgate.control;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One request on the control socket: a single line {@code FORMAT COMMAND [ARGUMENT]}, where FORMAT is {@code text}
 * or {@code json} and COMMAND one of {@link #COMMANDS}; {@code groups} takes an optional interface name.
 *
 * @param json     whether the answer is wanted as JSON
 * @param command  the command word
 * @param argument the argument (an interface name), if any
 */
public record ControlRequest(boolean json, String command, Optional<String> argument) {

    /** {@code ping} only answers "ok": how a starting daemon tells a live one from a stale socket file. */
    public static final Set<String> COMMANDS = Set.of("status", "groups", "routes", "counters", "reload", "ping");

    public ControlRequest {
        if (!COMMANDS.contains(command)) {
            throw new IllegalArgumentException("unknown command '" + command + "'");
        }
        if (argument.isPresent() && !command.equals("groups")) {
            throw new IllegalArgumentException(command + " takes no argument");
        }
        argument.ifPresent(a -> {
            if (!a.matches("[A-Za-z0-9._@-]{1,15}")) {
                throw new IllegalArgumentException("'" + a + "' is not an interface name");
            }
        });
    }

    /**
     * Reads a request line (without its newline).
     *
     * @throws IllegalArgumentException with a message for the client when the line is not a request
     */
    public static ControlRequest parse(String line) {
        List<String> words = List.of(line.strip().split("\\s+"));
        if (words.size() < 2 || words.size() > 3) {
            throw new IllegalArgumentException(
                    "a request is 'text|json COMMAND [ARGUMENT]', not '" + printable(line) + "'");
        }
        boolean json = switch (words.get(0)) {
            case "json" -> true;
            case "text" -> false;
            default ->
                throw new IllegalArgumentException("unknown format '" + printable(words.get(0)) + "': text or json");
        };
        if (!COMMANDS.contains(words.get(1))) {
            throw new IllegalArgumentException("unknown command '" + printable(words.get(1)) + "': one of "
                    + String.join(", ", new java.util.TreeSet<>(COMMANDS)));
        }
        return new ControlRequest(json, words.get(1), words.size() == 3 ? Optional.of(words.get(2)) : Optional.empty());
    }

    /** The request line, newline included. */
    public String toLine() {
        return (json ? "json " : "text ") + command + argument.map(a -> " " + a).orElse("") + "\n";
    }

    /** Control characters out, and at most 40 characters: an error message must not echo garbage at length. */
    private static String printable(String s) {
        String clean = s.replaceAll("\\p{Cntrl}", "?");
        return clean.length() > 40 ? clean.substring(0, 40) + "..." : clean;
    }
}
