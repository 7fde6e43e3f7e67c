package dev.mcgate.control;

import java.util.Objects;

/**
 * The daemon's answer to one request: a status line {@code mcgate-control 1 EXIT} and the body, up to the end of the
 * stream. EXIT is the exit code the client command should end with (sysexits numbers, as {@code cli.ExitCodes}); the
 * body is the rendered text or JSON document, or for a failure in text format a one-line message.
 */
public record ControlResponse(int exitCode, String body) {

    /** The first word of every status line: how a client knows it talks to mcgate. */
    public static final String MAGIC = "mcgate-control";

    public static final int PROTOCOL_VERSION = 1;

    public static final int OK = 0;
    /** EX_USAGE: the request was not understood. */
    public static final int BAD_REQUEST = 64;
    /** EX_UNAVAILABLE: the daemon could not answer (busy, loop not responding). */
    public static final int UNAVAILABLE = 69;
    /** EX_NOPERM: the peer may not make this request ({@link ControlAccess}). */
    public static final int NOT_PERMITTED = 77;
    /** EX_SOFTWARE: a failure inside the daemon. */
    public static final int FAILED = 70;
    /** EX_CONFIG: reload refused the configuration file. */
    public static final int CONFIG = 78;

    public ControlResponse {
        Objects.requireNonNull(body, "body");
        if (exitCode < 0 || exitCode > 255) {
            throw new IllegalArgumentException("exit code " + exitCode);
        }
    }

    public String statusLine() {
        return MAGIC + " " + PROTOCOL_VERSION + " " + exitCode + "\n";
    }

    /**
     * Reads the status line.
     *
     * @return the exit code it carries
     * @throws IllegalArgumentException when the line is not an mcgate status line
     */
    static int parseStatusLine(String line) {
        String[] words = line.split(" ");
        if (words.length != 3 || !words[0].equals(MAGIC) || !words[2].matches("[0-9]{1,3}")) {
            throw new IllegalArgumentException(
                    "not an mcgate control socket (it answered '" + line.replaceAll("\\p{Cntrl}", "?") + "')");
        }
        if (!words[1].equals(String.valueOf(PROTOCOL_VERSION))) {
            throw new IllegalArgumentException("the daemon speaks control protocol " + words[1] + ", this client "
                    + PROTOCOL_VERSION + ": use the mcgate of the same version");
        }
        int exit = Integer.parseInt(words[2]);
        if (exit > 255) {
            throw new IllegalArgumentException("the daemon answered with exit code " + exit + ", not one of 0-255");
        }
        return exit;
    }
}
