package dev.mcgate.relay.http;

import dev.mcgate.config.HttpRelayConfig;
import dev.mcgate.net.IpAddress;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The relay's request side: connections accepted (the allow-list, and caps on those still sending their request, in
 * total and per client address), their request heads read within 10 s of their accept however they dribble, and each
 * request refused, answered with the status page, or handed to {@link Streaming}.
 *
 * <p>Threads: the server thread's only.
 */
final class RequestIntake {

    /** A request not complete by then is answered 408 and closed: an idle connection must not hold a slot. */
    static final long REQUEST_TIMEOUT_NANOS = 10_000_000_000L;
    /**
     * Each client socket's send buffer: fixed, not autotuned (which grows to 4 MB), so a client that stops reading
     * fills it in a bounded time and then overflows its queue, and memory per client stays bounded. 256 KB is 100 ms of
     * a 20 Mbit/s channel; the queue holds more.
     */
    private static final int SEND_BUFFER = 256 * 1024;

    private final Selector selector;
    private final Listener listener;
    private final LiveSettings live;
    private final LongSupplier nanoClock;
    private final RelayCounters counters;
    private final Responses responses;
    private final Streaming streams;
    /** Closes a connection and frees whatever it holds. */
    private final Consumer<Connection> hangup;

    /** Connections still sending their request, in accept order: their deadlines are in this order too. */
    private final Set<Connection> requesting = new LinkedHashSet<>();

    private final Map<InetAddress, Integer> requestingPerAddress = new HashMap<>();

    RequestIntake(
            Selector selector,
            Listener listener,
            LiveSettings live,
            LongSupplier nanoClock,
            RelayCounters counters,
            Responses responses,
            Streaming streams,
            Consumer<Connection> hangup) {
        this.selector = selector;
        this.listener = listener;
        this.live = live;
        this.nanoClock = nanoClock;
        this.counters = counters;
        this.responses = responses;
        this.streams = streams;
        this.hangup = hangup;
    }

    /** Every pending connection accepted (until accept() has none or fails: then the listener pauses). */
    void acceptAll() {
        SocketChannel ch;
        while ((ch = listener.acceptOrPause()) != null) {
            try {
                admit(ch);
            } catch (IOException e) {
                try {
                    ch.close(); // gone before it was registered
                } catch (IOException ignored) {
                    // Closed already.
                }
            }
        }
    }

    private void admit(SocketChannel ch) throws IOException {
        ch.configureBlocking(false);
        ch.setOption(StandardSocketOptions.SO_SNDBUF, SEND_BUFFER);
        InetSocketAddress remote = (InetSocketAddress) ch.getRemoteAddress();
        SelectionKey key = ch.register(selector, SelectionKey.OP_READ);
        Connection conn = new Connection(ch, key, remote, nanoClock.getAsLong());
        key.attach(conn);
        IpAddress peer = conn.peerAddress();
        HttpRelayConfig c = live.now().config();
        if (!c.allows(peer)) {
            responses.refuse(
                    conn, new RelayRequest.Refusal(RefusalKind.CLIENT_DENIED, "client " + peer + " not in http-allow"));
            return;
        }
        // Each waits with a 4 KB buffer: as many as may stream in total, and per address.
        if (requesting.size() >= c.maxClients()) {
            responses.refuse(
                    conn,
                    new RelayRequest.Refusal(
                            RefusalKind.MAX_PENDING_REQUESTS,
                            "http-max-clients " + c.maxClients() + " connections are sending their request"));
            return;
        }
        if (requestingPerAddress.getOrDefault(conn.peer, 0) >= c.maxClientsPerAddress()) {
            responses.refuse(
                    conn,
                    new RelayRequest.Refusal(
                            RefusalKind.MAX_PENDING_REQUESTS,
                            "http-max-clients-per-address " + c.maxClientsPerAddress() + " connections from " + peer
                                    + " are sending their request"));
            return;
        }
        requesting.add(conn);
        requestingPerAddress.merge(conn.peer, 1, Integer::sum);
    }

    /** The connection is no longer sending its request (answered, streaming or gone). */
    void requestDone(Connection conn) {
        if (requesting.remove(conn)) {
            requestingPerAddress.computeIfPresent(conn.peer, (a, n) -> n > 1 ? n - 1 : null);
        }
    }

    /** The connection is readable: more of its request head, or (after it) whatever the client sends, ignored. */
    void read(Connection conn) throws IOException {
        if (conn.in == null) {
            // Streaming or answering: whatever the client sends is ignored; its end closes the connection.
            ByteBuffer sink = ByteBuffer.allocate(512);
            if (conn.channel.read(sink) < 0) {
                hangup.accept(conn);
            }
            return;
        }
        if (conn.channel.read(conn.in) < 0) {
            hangup.accept(conn);
            return;
        }
        String text = new String(conn.in.array(), 0, conn.in.position(), StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            if (!conn.in.hasRemaining()) {
                responses.refuse(
                        conn,
                        new RelayRequest.Refusal(
                                RefusalKind.BAD_REQUEST, "request head longer than " + Connection.MAX_HEAD));
            }
            return;
        }
        conn.in = null;
        requestDone(conn);
        RelayRequest request = RelayRequest.parse(text.substring(0, end));
        if (request instanceof RelayRequest.Refusal r) {
            responses.refuse(conn, r);
        } else if (request instanceof RelayRequest.Status st) {
            RelayStatus status = counters.status();
            responses.answer(
                    conn,
                    200,
                    "OK",
                    st.json() ? "application/json" : "text/html; charset=utf-8",
                    st.json() ? status.json() : status.html());
        } else if (request instanceof RelayRequest.Stream st) {
            streams.start(conn, st);
        }
    }

    /** Requests not complete 10 s after their accept are answered 408; in accept order, only the due looked at. */
    void sweepDeadlines(long nowNanos) {
        List<Connection> due = new ArrayList<>();
        for (Connection conn : requesting) {
            if (nowNanos - conn.acceptedNanos <= REQUEST_TIMEOUT_NANOS) {
                break;
            }
            due.add(conn);
        }
        for (Connection conn : due) {
            responses.refuse(conn, new RelayRequest.Refusal(RefusalKind.TIMEOUT, "no whole request within 10 s"));
        }
    }
}
