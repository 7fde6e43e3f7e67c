package dev.mcgate.relay.http;

import java.util.Locale;

/** Why the relay refused a request, with the HTTP status it answers; the label of its refusal counter. */
public enum RefusalKind {
    BAD_REQUEST(400, "Bad Request"),
    NOT_FOUND(404, "Not Found"),
    METHOD(405, "Method Not Allowed"),
    CLIENT_DENIED(403, "Forbidden"),
    GROUP_DENIED(403, "Forbidden"),
    MAX_CLIENTS(503, "Service Unavailable"),
    MAX_CLIENTS_PER_GROUP(503, "Service Unavailable"),
    /** Streams from one client address at once: {@code http-max-clients-per-address}. */
    MAX_CLIENTS_PER_ADDRESS(503, "Service Unavailable"),
    /** Connections still sending their request, in total or from one address, at their bound. */
    MAX_PENDING_REQUESTS(503, "Service Unavailable"),
    /** The relay holds its interface's max-groups groups, lingering ones included: a new group is not joined. */
    MAX_GROUPS(503, "Service Unavailable"),
    /** New groups joined faster than {@code http-join-rate}. */
    JOIN_RATE(503, "Service Unavailable"),
    /** The group sent nothing within {@code http-first-datagram-timeout}. */
    NO_DATA(504, "Gateway Timeout"),
    /** The event loop did not take the join (its inbox was full). */
    BUSY(503, "Service Unavailable"),
    /** No complete request within the time allowed. */
    TIMEOUT(408, "Request Timeout");

    private final int code;
    private final String phrase;

    RefusalKind(int code, String phrase) {
        this.code = code;
        this.phrase = phrase;
    }

    public int code() {
        return code;
    }

    public String phrase() {
        return phrase;
    }

    public String keyword() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
