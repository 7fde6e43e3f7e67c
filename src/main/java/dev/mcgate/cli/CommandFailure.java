package dev.mcgate.cli;

/**
 * A command cannot go on, for a reason the operator can act on: {@link Main} prints the message as one line and exits
 * with the given sysexits code (instead of the 70 of an unexpected failure).
 */
final class CommandFailure extends RuntimeException {

    private final int exitCode;

    CommandFailure(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
