package dev.mcgate.relay.http;

import dev.mcgate.net.IpAddress;
import dev.mcgate.net.SourceSet;
import dev.mcgate.net.Subscription;
import dev.mcgate.proxy.InterfaceFilter;
import dev.mcgate.relay.LocalMemberships;
import dev.mcgate.time.Loop;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay's streams: a request for a group checked against the filters and the streaming limits and joined through
 * the loop; the response head once the first payload says what the stream is (504 if none comes in time); the queue
 * written to the socket; slow clients, the largest queue over the global budget and what a reload no longer allows cut
 * off; the leave when a stream ends (retried while the loop is full).
 *
 * <p>Threads: everything here is the server thread's but {@link #join}, which runs on the loop and hands a refusal
 * back to the server thread.
 */
final class Streaming {

    private static final Logger LOG = LoggerFactory.getLogger(Streaming.class);

    private final Loop loop;
    private final LocalMemberships book;
    private final LiveSettings live;
    private final LongSupplier nanoClock;
    private final RelayCounters counters;
    private final Responses responses;
    /** Closes a connection and frees whatever it holds. */
    private final Consumer<Connection> hangup;
    /** Runs a task on the server thread's next turn (any thread). */
    private final Consumer<Runnable> onServerThread;
    /** Capture threads: a client has something to write. */
    private final RelayClient.Wake wake;
    /** Whether the server is closing: its memberships are withdrawn as a whole, no leave per client. */
    private final BooleanSupplier closing;

    private final Map<RelayClient, Connection> streaming = new HashMap<>();
    private final Map<IpAddress, Integer> perGroup = new HashMap<>();
    private final Map<InetAddress, Integer> perAddress = new HashMap<>();
    private final Deque<RelayClient> leavesToRetry = new ArrayDeque<>();
    /** Streams whose head waits for their group's first datagram, in the order they started. */
    private final Set<Connection> awaitingFirst = new LinkedHashSet<>();

    Streaming(
            Loop loop,
            LocalMemberships book,
            LiveSettings live,
            LongSupplier nanoClock,
            RelayCounters counters,
            Responses responses,
            Consumer<Connection> hangup,
            Consumer<Runnable> onServerThread,
            RelayClient.Wake wake,
            BooleanSupplier closing) {
        this.loop = loop;
        this.book = book;
        this.live = live;
        this.nanoClock = nanoClock;
        this.counters = counters;
        this.responses = responses;
        this.hangup = hangup;
        this.onServerThread = onServerThread;
        this.wake = wake;
        this.closing = closing;
    }

    /** Why the filters deny this stream, or null if they pass it: the proxy's own filter for this interface. */
    static String denied(HttpRelayServer.Settings now, RelayRequest.Stream s) {
        Subscription wanted =
                s.source() == null ? Subscription.ANY_SOURCE : Subscription.include(SourceSet.of(s.source()));
        InterfaceFilter.Verdict verdict = now.filter().verdict(s.group(), wanted);
        if (verdict == InterfaceFilter.Verdict.PASSED
                && !now.filter().apply(s.group(), wanted).isNone()) {
            return null;
        }
        return verdict == InterfaceFilter.Verdict.PASSED
                ? "source " + s.source() + " denied by the source filter"
                : "group " + s.group() + " refused: "
                        + verdict.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** A request for a stream: refused, or its client started and its join posted to the loop. */
    void start(Connection conn, RelayRequest.Stream s) {
        HttpRelayServer.Settings now = live.now();
        // What the proxy would drop is refused here, never joined.
        String why = denied(now, s);
        if (why != null) {
            responses.refuse(conn, new RelayRequest.Refusal(RefusalKind.GROUP_DENIED, why));
            return;
        }
        if (streaming.size() >= now.config().maxClients()) {
            responses.refuse(
                    conn,
                    new RelayRequest.Refusal(
                            RefusalKind.MAX_CLIENTS,
                            "http-max-clients " + now.config().maxClients() + " reached"));
            return;
        }
        if (perAddress.getOrDefault(conn.peer, 0) >= now.config().maxClientsPerAddress()) {
            responses.refuse(
                    conn,
                    new RelayRequest.Refusal(
                            RefusalKind.MAX_CLIENTS_PER_ADDRESS,
                            "http-max-clients-per-address " + now.config().maxClientsPerAddress() + " reached for "
                                    + conn.peer.getHostAddress()));
            return;
        }
        int ofGroup = perGroup.getOrDefault(s.group(), 0);
        if (ofGroup >= now.config().maxClientsPerGroup()) {
            responses.refuse(
                    conn,
                    new RelayRequest.Refusal(
                            RefusalKind.MAX_CLIENTS_PER_GROUP,
                            "http-max-clients-per-group " + now.config().maxClientsPerGroup() + " reached for "
                                    + s.group()));
            return;
        }
        RelayClient client = new RelayClient(
                s,
                conn.address,
                System.currentTimeMillis(),
                now.config().clientQueue(),
                now.config().clientQueueBytes(),
                live.budget(),
                wake);
        // The deadline is taken before the join is posted: from the client's point of view it starts here.
        conn.firstDatagramDeadline =
                nanoClock.getAsLong() + now.config().firstDatagramTimeout().toNanos();
        JoinGate g = live.gate();
        if (!loop.post("http:join", () -> join(conn, client, g))) {
            responses.refuse(conn, new RelayRequest.Refusal(RefusalKind.BUSY, "the daemon is busy, try again"));
            return;
        }
        conn.client = client;
        awaitingFirst.add(conn);
        streaming.put(client, conn);
        counters.clientStarted(client);
        perGroup.merge(s.group(), 1, Integer::sum);
        perAddress.merge(conn.peer, 1, Integer::sum);
        LOG.debug("http relay: {} streams {}", conn.address, s.describe());
    }

    /** Loop thread: the join if the gate lets it through, else the stream is refused on the server thread. */
    private void join(Connection conn, RelayClient client, JoinGate g) {
        RelayRequest.Stream s = client.stream;
        RelayRequest.Refusal no = g.check(book, s.group());
        if (no != null) {
            onServerThread.accept(() -> {
                if (streaming.get(client) == conn) {
                    release(conn);
                    responses.refuse(conn, no);
                }
            });
            return;
        }
        client.membership = book.join(s.group(), s.source(), client);
        counters.clientJoined();
    }

    /** The client woke the server: its connection is serviced if it still streams. */
    void ready(RelayClient c) {
        Connection conn = streaming.get(c);
        if (conn != null) {
            service(conn);
        }
    }

    /** Writes what is pending for one connection; closes it when it is done, or slow. */
    void service(Connection conn) {
        if (!conn.key.isValid()) {
            return;
        }
        RelayClient c = conn.client;
        try {
            if (c != null && c.queue.overflowed()) {
                counters.slowClient();
                LOG.debug(
                        "http relay: {} is too slow ({} datagrams behind): disconnected",
                        conn.address,
                        c.queue.queued());
                hangup.accept(conn);
                return;
            }
            if (c != null && !conn.headSent && c.contentType != null) {
                // The head waits for the first payload: its Content-Type says what the stream is.
                conn.out = ByteBuffer.wrap(("HTTP/1.1 200 OK\r\nContent-Type: " + c.contentType
                                + "\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                conn.headSent = true;
                awaitingFirst.remove(conn);
            }
            if (conn.out != null) {
                conn.channel.write(conn.out);
                if (conn.out.hasRemaining()) {
                    conn.key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                    return;
                }
                conn.out = null;
                if (conn.closeAfterOut) {
                    hangup.accept(conn);
                    return;
                }
            }
            if (c == null || !conn.headSent) {
                conn.key.interestOps(SelectionKey.OP_READ);
                return;
            }
            boolean drained = c.queue.writeTo(conn.channel);
            long d = c.queue.datagramsWritten();
            long b = c.queue.bytesWritten();
            counters.written(d - conn.datagramsSeen, b - conn.bytesSeen);
            conn.datagramsSeen = d;
            conn.bytesSeen = b;
            conn.key.interestOps(drained ? SelectionKey.OP_READ : SelectionKey.OP_READ | SelectionKey.OP_WRITE);
        } catch (IOException e) {
            hangup.accept(conn);
        }
    }

    /** Streams whose group stayed silent past their deadline are answered 504; in start order, only the due looked at. */
    void sweepFirstDatagrams(long nowNanos) {
        List<Connection> due = new ArrayList<>();
        for (Connection conn : awaitingFirst) {
            if (nowNanos - conn.firstDatagramDeadline < 0) {
                break;
            }
            due.add(conn);
        }
        for (Connection conn : due) {
            if (conn.client.contentType != null) {
                awaitingFirst.remove(conn); // it came just now: the head goes out on its turn
                continue;
            }
            String group = conn.client.stream.describe();
            release(conn);
            responses.refuse(conn, new RelayRequest.Refusal(RefusalKind.NO_DATA, group + " sent nothing in time"));
        }
    }

    /** The leaves the loop did not take before, posted again. */
    void retryLeaves() {
        for (int n = leavesToRetry.size(); n > 0; n--) {
            postLeave(leavesToRetry.poll());
        }
    }

    /** While all queues together are over the budget, the client with the most queued goes. */
    void cutOverBudget() {
        while (live.budget().over() && !streaming.isEmpty()) {
            cutLargest();
        }
    }

    private void cutLargest() {
        Connection largest = null;
        long most = -1;
        for (Connection conn : streaming.values()) {
            long q = conn.client.queue.queuedBytes();
            if (q > most) {
                most = q;
                largest = conn;
            }
        }
        counters.budgetCut();
        LOG.debug("http relay: queues over their budget: {} ({} bytes queued) disconnected", largest.address, most);
        hangup.accept(largest);
    }

    /** After a reload: the streams that http-allow or the filters no longer pass are cut off. */
    void cutWhatNoLongerPasses(HttpRelayServer.Settings now) {
        List<Connection> cut = new ArrayList<>();
        for (Connection conn : streaming.values()) {
            if (!now.config().allows(conn.peerAddress()) || denied(now, conn.client.stream) != null) {
                cut.add(conn);
            }
        }
        for (Connection conn : cut) {
            counters.reloadCut();
            LOG.debug("http relay: {} no longer passes http-allow or the filters: disconnected", conn.address);
            hangup.accept(conn);
        }
    }

    /** The connection streams no more: its client's slot, queue and membership go; the socket is the caller's. */
    void release(Connection conn) {
        RelayClient c = conn.client;
        conn.client = null;
        awaitingFirst.remove(conn);
        if (c != null && streaming.remove(c) != null) {
            counters.clientEnded(c);
            c.queue.discard();
            perGroup.computeIfPresent(c.stream.group(), (g, n) -> n > 1 ? n - 1 : null);
            perAddress.computeIfPresent(conn.peer, (a, n) -> n > 1 ? n - 1 : null);
            if (!closing.getAsBoolean()) {
                postLeave(c);
            }
        }
    }

    private void postLeave(RelayClient c) {
        if (!loop.post("http:leave", () -> {
            if (c.membership != null) {
                book.leave(c.membership);
            }
        })) {
            leavesToRetry.add(c);
        }
    }
}
