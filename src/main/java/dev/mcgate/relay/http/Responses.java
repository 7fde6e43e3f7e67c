package dev.mcgate.relay.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * The relay's short answers: a refusal (counted, its status code and a one-line reason) or a whole page, each with a
 * Content-Length, after which the server closes the connection.
 *
 * <p>Threads: the server thread's only.
 */
final class Responses {

    private final RelayCounters counters;
    /** The connection sends its request no more: its request slot is free. */
    private final Consumer<Connection> requestDone;
    /** Writes what is pending for the connection (and closes it once its answer is out). */
    private final Consumer<Connection> write;

    Responses(RelayCounters counters, Consumer<Connection> requestDone, Consumer<Connection> write) {
        this.counters = counters;
        this.requestDone = requestDone;
        this.write = write;
    }

    void refuse(Connection conn, RelayRequest.Refusal r) {
        counters.refused(r.kind());
        answer(conn, r.code(), r.kind().phrase(), "text/plain; charset=utf-8", r.reason() + "\n");
    }

    void answer(Connection conn, int code, String phrase, String type, String body) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        conn.in = null;
        requestDone.accept(conn);
        conn.out = ByteBuffer.wrap(("HTTP/1.1 " + code + " " + phrase + "\r\nContent-Type: " + type
                        + "\r\nContent-Length: " + b.length + "\r\nConnection: close\r\n\r\n" + body)
                .getBytes(StandardCharsets.UTF_8));
        conn.closeAfterOut = true;
        write.accept(conn);
    }
}
