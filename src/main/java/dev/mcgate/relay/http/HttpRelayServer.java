package dev.mcgate.relay.http;

import dev.mcgate.config.HttpRelayConfig;
import dev.mcgate.config.ListenAddress;
import dev.mcgate.counters.CounterRecorder;
import dev.mcgate.net.IpAddress;
import dev.mcgate.net.SourceSet;
import dev.mcgate.net.Subscription;
import dev.mcgate.proxy.InterfaceFilter;
import dev.mcgate.relay.LocalMemberships;
import dev.mcgate.time.Loop;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP relay's server: one non-blocking NIO thread ({@code mcgate-http}) owns every client socket. It reads each
 * request, refuses it (4xx/5xx with a one-line reason, nothing joined) or joins the group through the relay's
 * {@link LocalMemberships} on the loop, and streams: {@code HTTP/1.1 200} without Content-Length, closed by the server
 * (as udpxy does; every player reads to the end of such a response), with the payloads each client's
 * {@link ClientQueue} holds. A client whose queue overflows is disconnected and counted; it never blocks anyone.
 *
 * <p>Threads: everything but {@link RelayClient#onDatagram} (capture threads) and the counters (any thread) runs on
 * the server's thread; joins and leaves are posted to the loop.
 */
public final class HttpRelayServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpRelayServer.class);
    private static final int MAX_HEAD = 4096;
    /** A request not complete by then is answered 408 and closed: an idle connection must not hold a slot. */
    private static final long REQUEST_TIMEOUT_NANOS = 10_000_000_000L;
    /**
     * Each client socket's send buffer: fixed, not autotuned (which grows to 4 MB), so a client that stops reading
     * fills it in a bounded time and then overflows its queue, and memory per client stays bounded. 256 KB is 100 ms of
     * a 20 Mbit/s channel; the queue holds more.
     */
    private static final int SEND_BUFFER = 256 * 1024;

    /** The settings a reload changes in place: new clients take them; listening elsewhere is {@link #rebind}. */
    public record Settings(HttpRelayConfig config, InterfaceFilter filter) {}

    /** One TCP connection: reading its request, answering it, or streaming. */
    private static final class Conn {
        final SocketChannel channel;
        final SelectionKey key;
        final String address;
        final long acceptedNanos;
        ByteBuffer in = ByteBuffer.allocate(MAX_HEAD);
        /** The response head, or a whole short response; written before anything queued. */
        ByteBuffer out;

        boolean closeAfterOut;
        boolean headSent;
        RelayClient client;
        long bytesSeen;
        long datagramsSeen;

        Conn(SocketChannel channel, SelectionKey key, String address, long acceptedNanos) {
            this.channel = channel;
            this.key = key;
            this.address = address;
            this.acceptedNanos = acceptedNanos;
        }
    }

    private final Loop loop;
    private final LocalMemberships book;
    private final Selector selector;
    private final Thread thread;
    private volatile Settings settings;
    private volatile boolean closed;
    private final ConcurrentLinkedQueue<RelayClient> ready = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean wakeArmed = new AtomicBoolean();
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    // Server thread only:
    private ServerSocketChannel listener;
    private final Map<RelayClient, Conn> streaming = new HashMap<>();
    private final Map<IpAddress, Integer> perGroup = new HashMap<>();
    private final Deque<RelayClient> leavesToRetry = new ArrayDeque<>();
    private final List<Conn> requesting = new ArrayList<>();
    /** The streaming clients, for the counters on other threads. */
    private final CopyOnWriteArrayList<RelayClient> live = new CopyOnWriteArrayList<>();
    // Counters, any thread:
    private final AtomicLong clients = new AtomicLong();
    private final AtomicLong slowClients = new AtomicLong();
    private final AtomicLong datagrams = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong closedRtpDrops = new AtomicLong();
    private final AtomicLong closedSlowDrops = new AtomicLong();
    private final AtomicLongArray refused = new AtomicLongArray(RefusalKind.values().length);

    private HttpRelayServer(Loop loop, LocalMemberships book, Settings settings, ServerSocketChannel listener)
            throws IOException {
        this.loop = loop;
        this.book = book;
        this.settings = settings;
        this.selector = Selector.open();
        this.listener = listener;
        listener.register(selector, SelectionKey.OP_ACCEPT);
        this.thread = new Thread(this::run, "mcgate-http");
        thread.setDaemon(true);
    }

    /**
     * Binds {@code settings}' listen address and starts the server thread.
     *
     * @throws IOException if the address cannot be bound (in use, not on this host)
     */
    public static HttpRelayServer start(Loop loop, LocalMemberships book, Settings settings) throws IOException {
        ServerSocketChannel listener = bind(settings.config().listen());
        try {
            HttpRelayServer s = new HttpRelayServer(loop, book, settings, listener);
            s.thread.start();
            return s;
        } catch (IOException | RuntimeException e) {
            listener.close();
            throw e;
        }
    }

    private static ServerSocketChannel bind(ListenAddress at) throws IOException {
        ServerSocketChannel ch = ServerSocketChannel.open();
        try {
            ch.configureBlocking(false);
            ch.bind(new InetSocketAddress(InetAddress.getByName(at.host()), at.port()), 128);
            return ch;
        } catch (IOException e) {
            ch.close();
            throw new IOException("http-listen " + at + ": " + e.getMessage(), e);
        }
    }

    /** The settings new clients get from now on. Any thread. */
    public void settings(Settings now) {
        settings = now;
    }

    /** The port bound (for tests that bind port 0... and for the log). */
    public InetSocketAddress boundAddress() throws IOException {
        return (InetSocketAddress) listener.getLocalAddress();
    }

    /**
     * Listens on another address from now on; the clients streaming go on. Off the server thread; waits for it.
     *
     * @throws IOException if the new address cannot be bound (the old one stays)
     */
    public void rebind(ListenAddress at) throws IOException {
        ServerSocketChannel next = bind(at);
        CompletableFuture<Void> done = new CompletableFuture<>();
        tasks.add(() -> {
            try {
                listener.close();
                listener = next;
                next.register(selector, SelectionKey.OP_ACCEPT);
                done.complete(null);
            } catch (IOException e) {
                done.completeExceptionally(e);
            }
        });
        selector.wakeup();
        try {
            done.get(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            next.close();
            throw new IOException("http-listen " + at + ": the server thread did not take it: " + e, e);
        }
    }

    private void run() {
        while (!closed) {
            try {
                selector.select(1000);
                wakeArmed.set(false);
                for (Runnable t; (t = tasks.poll()) != null; ) {
                    t.run();
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    handle(key);
                }
                selector.selectedKeys().clear();
                for (RelayClient c; (c = ready.poll()) != null; ) {
                    c.scheduled.set(false);
                    Conn conn = streaming.get(c);
                    if (conn != null) {
                        service(conn);
                    }
                }
                sweep();
            } catch (IOException | RuntimeException e) {
                // One bad turn must not end the relay; the next select goes on.
                LOG.error("http relay: {}", e.toString(), e);
            }
        }
        for (SelectionKey key : selector.keys()) {
            if (key.attachment() instanceof Conn conn) {
                closeQuietly(conn);
            }
        }
        try {
            listener.close();
            selector.close();
        } catch (IOException e) {
            LOG.debug("http relay: closing: {}", e.toString());
        }
    }

    private void handle(SelectionKey key) {
        if (!key.isValid()) {
            return;
        }
        try {
            if (key.isAcceptable()) {
                accept((ServerSocketChannel) key.channel());
                return;
            }
            Conn conn = (Conn) key.attachment();
            if (key.isReadable()) {
                read(conn);
            }
            if (key.isValid() && key.isWritable()) {
                service(conn);
            }
        } catch (IOException e) {
            if (key.attachment() instanceof Conn conn) {
                close(conn); // the client went away
            }
        }
    }

    private void accept(ServerSocketChannel from) throws IOException {
        SocketChannel ch;
        while ((ch = from.accept()) != null) {
            ch.configureBlocking(false);
            ch.setOption(java.net.StandardSocketOptions.SO_SNDBUF, SEND_BUFFER);
            InetSocketAddress remote = (InetSocketAddress) ch.getRemoteAddress();
            String address = remote.getAddress().getHostAddress() + ":" + remote.getPort();
            SelectionKey key = ch.register(selector, SelectionKey.OP_READ);
            Conn conn = new Conn(ch, key, address, System.nanoTime());
            key.attach(conn);
            IpAddress peer =
                    IpAddress.parse(remote.getAddress().getHostAddress().replaceAll("%.*$", ""));
            if (!settings.config().allows(peer)) {
                refuse(
                        conn,
                        new RelayRequest.Refusal(RefusalKind.CLIENT_DENIED, "client " + peer + " not in http-allow"));
                continue;
            }
            requesting.add(conn);
        }
    }

    private void read(Conn conn) throws IOException {
        if (conn.in == null) {
            // Streaming or answering: whatever the client sends is ignored; its end closes the connection.
            ByteBuffer sink = ByteBuffer.allocate(512);
            if (conn.channel.read(sink) < 0) {
                close(conn);
            }
            return;
        }
        if (conn.channel.read(conn.in) < 0) {
            close(conn);
            return;
        }
        String text = new String(conn.in.array(), 0, conn.in.position(), StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            if (!conn.in.hasRemaining()) {
                refuse(conn, new RelayRequest.Refusal(RefusalKind.BAD_REQUEST, "request head longer than " + MAX_HEAD));
            }
            return;
        }
        conn.in = null;
        requesting.remove(conn);
        RelayRequest request = RelayRequest.parse(text.substring(0, end));
        if (request instanceof RelayRequest.Refusal r) {
            refuse(conn, r);
        } else if (request instanceof RelayRequest.Status st) {
            answer(
                    conn,
                    200,
                    "OK",
                    st.json() ? "application/json" : "text/html; charset=utf-8",
                    st.json() ? status().json() : status().html());
        } else if (request instanceof RelayRequest.Stream st) {
            stream(conn, st);
        }
    }

    private void stream(Conn conn, RelayRequest.Stream s) {
        Settings now = settings;
        Subscription wanted =
                s.source() == null ? Subscription.ANY_SOURCE : Subscription.include(SourceSet.of(s.source()));
        // The proxy's own filter for this interface: what it would drop is refused here, never joined.
        InterfaceFilter.Verdict verdict = now.filter().verdict(s.group(), wanted);
        if (verdict != InterfaceFilter.Verdict.PASSED
                || now.filter().apply(s.group(), wanted).isNone()) {
            String why = verdict == InterfaceFilter.Verdict.PASSED
                    ? "source " + s.source() + " denied by the source filter"
                    : "group " + s.group() + " refused: "
                            + verdict.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
            refuse(conn, new RelayRequest.Refusal(RefusalKind.GROUP_DENIED, why));
            return;
        }
        if (streaming.size() >= now.config().maxClients()) {
            refuse(
                    conn,
                    new RelayRequest.Refusal(
                            RefusalKind.MAX_CLIENTS,
                            "http-max-clients " + now.config().maxClients() + " reached"));
            return;
        }
        int ofGroup = perGroup.getOrDefault(s.group(), 0);
        if (ofGroup >= now.config().maxClientsPerGroup()) {
            refuse(
                    conn,
                    new RelayRequest.Refusal(
                            RefusalKind.MAX_CLIENTS_PER_GROUP,
                            "http-max-clients-per-group " + now.config().maxClientsPerGroup() + " reached for "
                                    + s.group()));
            return;
        }
        RelayClient client = new RelayClient(
                s, conn.address, System.currentTimeMillis(), now.config().clientQueue(), this::wake);
        if (!loop.post("http:join", () -> client.membership = book.join(s.group(), s.source(), client))) {
            refuse(conn, new RelayRequest.Refusal(RefusalKind.BUSY, "the daemon is busy, try again"));
            return;
        }
        conn.client = client;
        streaming.put(client, conn);
        live.add(client);
        perGroup.merge(s.group(), 1, Integer::sum);
        clients.incrementAndGet();
        LOG.debug("http relay: {} streams {}", conn.address, s.describe());
    }

    /** Capture thread: the client has something to write (or overflowed). */
    private void wake(RelayClient client) {
        ready.add(client);
        if (wakeArmed.compareAndSet(false, true)) {
            selector.wakeup();
        }
    }

    /** Writes what is pending for one connection; closes it when it is done, or slow. */
    private void service(Conn conn) {
        if (!conn.key.isValid()) {
            return;
        }
        RelayClient c = conn.client;
        try {
            if (c != null && c.queue.overflowed()) {
                slowClients.incrementAndGet();
                LOG.debug(
                        "http relay: {} is too slow ({} datagrams behind): disconnected",
                        conn.address,
                        c.queue.queued());
                close(conn);
                return;
            }
            if (c != null && !conn.headSent && c.contentType != null) {
                // The head waits for the first payload: its Content-Type says what the stream is.
                conn.out = ByteBuffer.wrap(("HTTP/1.1 200 OK\r\nContent-Type: " + c.contentType
                                + "\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                conn.headSent = true;
            }
            if (conn.out != null) {
                conn.channel.write(conn.out);
                if (conn.out.hasRemaining()) {
                    conn.key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                    return;
                }
                conn.out = null;
                if (conn.closeAfterOut) {
                    close(conn);
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
            datagrams.addAndGet(d - conn.datagramsSeen);
            bytes.addAndGet(b - conn.bytesSeen);
            conn.datagramsSeen = d;
            conn.bytesSeen = b;
            conn.key.interestOps(drained ? SelectionKey.OP_READ : SelectionKey.OP_READ | SelectionKey.OP_WRITE);
        } catch (IOException e) {
            close(conn);
        }
    }

    private void refuse(Conn conn, RelayRequest.Refusal r) {
        refused.incrementAndGet(r.kind().ordinal());
        answer(conn, r.code(), r.kind().phrase(), "text/plain; charset=utf-8", r.reason() + "\n");
    }

    private void answer(Conn conn, int code, String phrase, String type, String body) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        conn.in = null;
        requesting.remove(conn);
        conn.out = ByteBuffer.wrap(("HTTP/1.1 " + code + " " + phrase + "\r\nContent-Type: " + type
                        + "\r\nContent-Length: " + b.length + "\r\nConnection: close\r\n\r\n" + body)
                .getBytes(StandardCharsets.UTF_8));
        conn.closeAfterOut = true;
        service(conn);
    }

    /** Requests not complete in time, and leaves the loop did not take before. */
    private void sweep() {
        long now = System.nanoTime();
        for (Conn conn : List.copyOf(requesting)) {
            if (now - conn.acceptedNanos > REQUEST_TIMEOUT_NANOS) {
                refuse(conn, new RelayRequest.Refusal(RefusalKind.TIMEOUT, "no request within 10 s"));
            }
        }
        for (int n = leavesToRetry.size(); n > 0; n--) {
            postLeave(leavesToRetry.poll());
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

    private void close(Conn conn) {
        closeQuietly(conn);
        requesting.remove(conn);
        RelayClient c = conn.client;
        if (c != null && streaming.remove(c) != null) {
            live.remove(c);
            perGroup.computeIfPresent(c.stream.group(), (g, n) -> n > 1 ? n - 1 : null);
            closedRtpDrops.addAndGet(c.rtpDrops.get());
            closedSlowDrops.addAndGet(c.slowDrops.get());
            if (!closed) {
                postLeave(c);
            }
        }
    }

    private static void closeQuietly(Conn conn) {
        conn.key.cancel();
        try {
            conn.channel.close();
        } catch (IOException e) {
            // Gone already.
        }
    }

    /** Server thread: the status page's figures now. */
    private RelayStatus status() {
        long nowMillis = System.currentTimeMillis();
        List<RelayStatus.Client> out = new ArrayList<>();
        for (Map.Entry<RelayClient, Conn> e : streaming.entrySet()) {
            RelayClient c = e.getKey();
            long b = c.queue.bytesWritten();
            double seconds = Math.max(0.001, (nowMillis - c.sinceMillis) / 1000.0);
            out.add(new RelayStatus.Client(
                    c.address,
                    (c.stream.framing() == RelayRequest.Framing.RTP ? "/rtp/" : "/udp/") + c.stream.describe(),
                    c.stream.describe(),
                    c.sinceMillis,
                    b,
                    b * 8 / seconds,
                    c.rtpDrops.get() + c.slowDrops.get()));
        }
        out.sort(java.util.Comparator.comparing(RelayStatus.Client::group).thenComparing(RelayStatus.Client::address));
        Map<String, Long> totals = new LinkedHashMap<>();
        totals.put("clients_now", (long) streaming.size());
        totals.put("clients_served", clients.get());
        totals.put("slow_clients", slowClients.get());
        totals.put("datagrams", datagrams.get());
        totals.put("bytes", bytes.get());
        long refusedAll = 0;
        for (int i = 0; i < refused.length(); i++) {
            refusedAll += refused.get(i);
        }
        totals.put("refused", refusedAll);
        return new RelayStatus(out, totals);
    }

    /** Every {@link HttpRelayCounter}, zeros included. Any thread. */
    public void recordInto(CounterRecorder out) {
        out.record(HttpRelayCounter.CLIENTS, clients.get());
        for (RefusalKind k : RefusalKind.values()) {
            out.record(HttpRelayCounter.REFUSED, refused.get(k.ordinal()), k.keyword());
        }
        out.record(HttpRelayCounter.SLOW_CLIENTS, slowClients.get());
        out.record(HttpRelayCounter.DATAGRAMS, datagrams.get());
        out.record(HttpRelayCounter.BYTES, bytes.get());
        long rtp = closedRtpDrops.get();
        long slow = closedSlowDrops.get();
        for (RelayClient c : live) {
            rtp += c.rtpDrops.get();
            slow += c.slowDrops.get();
        }
        out.record(HttpRelayCounter.DROPS, rtp, "rtp-invalid");
        out.record(HttpRelayCounter.DROPS, slow, "slow-client");
    }

    /** How many clients stream now. Any thread. */
    public int clientsNow() {
        return live.size();
    }

    /**
     * Stops the server thread and closes every connection (off the server thread). The memberships are the caller's
     * to withdraw ({@link LocalMemberships#withdrawAll}): no leave is posted per client.
     */
    @Override
    public void close() {
        closed = true;
        selector.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
