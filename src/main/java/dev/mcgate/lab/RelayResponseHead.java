package dev.mcgate.lab;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * The head of one HTTP relay response as it arrives, split from the stream's body at the blank line that ends it:
 * what follows it is UDP payload, and only that counts as delivered. A head that is not {@code 200} (the relay refused
 * the request: 403, 503) or that never ends is a failure, with the status line as the reason.
 */
final class RelayResponseHead {

    /** Longer than any head the relay writes (a status line and three header lines). */
    static final int MAX_HEAD_BYTES = 4096;

    private final StringBuilder head = new StringBuilder();
    private boolean complete;
    private String failure;

    /**
     * Takes the head's octets from {@code bytes}, up to and including its blank line; what remains in {@code bytes}
     * after the call is body. Returns true once the head is complete.
     */
    boolean feed(ByteBuffer bytes) {
        while (!complete && failure == null && bytes.hasRemaining()) {
            head.append((char) (bytes.get() & 0xff));
            if (head.length() >= 4 && head.lastIndexOf("\r\n\r\n") == head.length() - 4) {
                complete = true;
                String status = statusLine();
                // HTTP/1.1 200 OK, or HTTP/1.0 200 from a relay that speaks the older version.
                if (!status.matches("HTTP/1\\.[01] 200( .*)?")) {
                    failure = "the relay answered '" + status + "'";
                }
            } else if (head.length() > MAX_HEAD_BYTES) {
                failure = "no end of the response head within " + MAX_HEAD_BYTES + " octets: '" + statusLine() + "'";
            }
        }
        return complete && failure == null;
    }

    /** True once the head ended with a 200: everything after it is body. */
    boolean streaming() {
        return complete && failure == null;
    }

    /** Why this response is not a stream: a refusal or a malformed head; empty while the head is fine so far. */
    Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    private String statusLine() {
        int end = head.indexOf("\r\n");
        return head.substring(0, Math.min(end < 0 ? head.length() : end, 120));
    }
}
