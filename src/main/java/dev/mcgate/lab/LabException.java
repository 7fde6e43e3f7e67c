package dev.mcgate.lab;

/**
 * A lab operation failed; the message says which command and why, in words an operator can act on.
 */
public final class LabException extends Exception {
    public LabException(String message) {
        super(message);
    }
}
