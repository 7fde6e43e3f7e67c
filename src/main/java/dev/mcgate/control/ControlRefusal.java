package dev.mcgate.control;

import java.util.Locale;

/** Why the control server refused a connection or cut it short. */
public enum ControlRefusal {
    /** Every worker was serving another request. */
    BUSY,
    /** No request line within the read timeout. */
    TIMEOUT,
    /** A request line longer than the limit. */
    TOO_LONG,
    /** A request line that does not parse. */
    BAD_REQUEST,
    /** A request the peer's credentials do not allow ({@link ControlAccess}). */
    NOT_PERMITTED,
    /** Reading or writing the connection failed (the client went away). */
    IO;

    /** As the counters show it: lower case with dashes. */
    public String keyword() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
