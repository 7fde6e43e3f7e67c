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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP relay's server: one non-blocking NIO thread ({@code mcgate-http}) owns every client socket. It reads each
 * request, refuses it (4xx/5xx with a one-line reason, nothing joined) or joins the group through the relay's
 * {@link LocalMemberships} on the loop, and streams: {@code HTTP/1.1 200} without Content-Length, closed by the server
 * (as udpxy does; every player reads to the end of such a response), with the payloads each client's
 * {@link ClientQueue} holds. A client whose queue overflows is disconnected and counted; it never blocks anyone.
 *
 * <p>Against hostile clients: connections still sending their request are bounded in total ({@code http-max-clients})
 * and per client address ({@code http-max-clients-per-address}) and get 10 s from their accept to finish it, however
 * they dribble; streams are bounded per address too, and get {@code http-first-datagram-timeout} for their group's
 * first datagram (504 after); new groups pass the {@link JoinGate}; all queues together stay within a
 * {@link QueueBudget} ({@code http-queue-budget}). Out of file descriptors, the server stops accepting for a second instead of spinning. An
 * {@link Error} is not caught: it ends the thread, and the daemon's uncaught-exception handler stops the process.
 *
 * <p>Threads: everything but {@link RelayClient#onDatagram} (capture threads) and the counters (any thread) runs on
 * the server's thread; joins and leaves are posted to the loop.
 */
public final class HttpRelayServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpRelayServer.class);
    private static final int MAX_HEAD = 4096;
    /** A request not complete by then is answered 408 and closed: an idle connection must not hold a slot. */
    private static final long REQUEST_TIMEOUT_NANOS = 10_000_000_000L;
    /** How long accepting pauses after accept() failed (EMFILE): closing connections frees descriptors meanwhile. */
    private static final long ACCEPT_PAUSE_NANOS = 1_000_000_000L;
    /**
     * Each client socket's send buffer: fixed, not autotuned (which grows to 4 MB), so a client that stops reading
     * fills it in a bounded time and then overflows its queue, and memory per client stays bounded. 256 KB is 100 ms of
     * a 20 Mbit/s channel; the queue holds more.
     */
    private static final int SEND_BUFFER = 256 * 1024;

    /**
     * The settings a reload changes in place: new clients take them; listening elsewhere is {@link #rebind}.
     *
     * @param maxGroups the relay interface's {@code max-groups}: groups held at most, lingering ones included
     */
    public record Settings(HttpRelayConfig config, InterfaceFilter filter, int maxGroups) {}

    /** One TCP connection: reading its request, answering it, or streaming. */
    private static final class Conn {
        final SocketChannel channel;
        final SelectionKey key;
        final String address;
        final InetAddress peer;
        final long acceptedNanos;
        /** Streaming: when the group's first datagram is due. */
        long firstDatagramDeadline;

        ByteBuffer in = ByteBuffer.allocate(MAX_HEAD);
        /** The response head, or a whole short response; written before anything queued. */
        ByteBuffer out;

        boolean closeAfterOut;
        boolean headSent;
        RelayClient client;
        long bytesSeen;
        long datagramsSeen;

        Conn(SocketChannel channel, SelectionKey key, InetSocketAddress remote, long acceptedNanos) {
            this.channel = channel;
            this.key = key;
            this.peer = remote.getAddress();
            this.address = peer.getHostAddress() + ":" + remote.getPort();
            this.acceptedNanos = acceptedNanos;
        }
    }

    private final Loop loop;
    private final LocalMemberships book;
    private final Selector selector;
    private final Thread thread;
    private final LongSupplier nanoClock;
    private final QueueBudget budget;
    private volatile Settings settings;
    /** The loop's: replaced when a reload changes max-groups or http-join-rate. */
    private volatile JoinGate gate;

    private volatile ListenAddress listening;
    private volatile boolean closed;
    private final ConcurrentLinkedQueue<RelayClient> ready = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean wakeArmed = new AtomicBoolean();
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    // Server thread only:
    private ServerSocketChannel listener;
    private SelectionKey listenerKey;
    /** When accepting resumes after a failed accept(); 0 while accepting. */
    private long acceptResumesAt;

    private final Map<RelayClient, Conn> streaming = new HashMap<>();
    private final Map<IpAddress, Integer> perGroup = new HashMap<>();
    private final Map<InetAddress, Integer> streamingPerAddress = new HashMap<>();
    private final Deque<RelayClient> leavesToRetry = new ArrayDeque<>();
    /** Connections still sending their request, in accept order: their deadlines are in this order too. */
    private final Set<Conn> requesting = new LinkedHashSet<>();

    private final Map<InetAddress, Integer> requestingPerAddress = new HashMap<>();
    /** Streams whose head waits for their group's first datagram, in the order they started. */
    private final Set<Conn> awaitingFirst = new LinkedHashSet<>();
    /** The streaming clients, for the counters on other threads. */
    private final CopyOnWriteArrayList<RelayClient> live = new CopyOnWriteArrayList<>();
    // Counters, any thread:
    private final AtomicLong clients = new AtomicLong();
    private final AtomicLong slowClients = new AtomicLong();
    private final AtomicLong budgetCuts = new AtomicLong();
    private final AtomicLong reloadCuts = new AtomicLong();
    private final AtomicLong acceptFailures = new AtomicLong();
    private final AtomicLong datagrams = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong closedRtpDrops = new AtomicLong();
    private final AtomicLong closedSlowDrops = new AtomicLong();
    private final AtomicLongArray refused = new AtomicLongArray(RefusalKind.values().length);

    private HttpRelayServer(
            Loop loop, LocalMemberships book, Settings settings, ServerSocketChannel listener, LongSupplier nanoClock)
            throws IOException {
        this.loop = loop;
        this.book = book;
        this.settings = settings;
        this.nanoClock = nanoClock;
        this.budget = new QueueBudget(settings.config().queueBudget());
        this.gate = new JoinGate(settings.maxGroups(), settings.config().joinRate(), nanoClock);
        this.listening = settings.config().listen();
        this.selector = Selector.open();
        this.listener = listener;
        this.listenerKey = listener.register(selector, SelectionKey.OP_ACCEPT);
        // No handler of its own: an Error ends the thread and reaches the process's (the daemon's FatalThreadHandler).
        this.thread = new Thread(this::run, "mcgate-http");
        thread.setDaemon(true);
    }

    /**
     * Binds {@code settings}' listen address and starts the server thread.
     *
     * @throws IOException if the address cannot be bound (in use, not on this host)
     */
    public static HttpRelayServer start(Loop loop, LocalMemberships book, Settings settings) throws IOException {
        return start(loop, book, settings, System::nanoTime);
    }

    /** As {@link #start(Loop, LocalMemberships, Settings)}, on this clock (tests). */
    static HttpRelayServer start(Loop loop, LocalMemberships book, Settings settings, LongSupplier nanoClock)
            throws IOException {
        ServerSocketChannel listener = bind(settings.config().listen());
        try {
            HttpRelayServer s = new HttpRelayServer(loop, book, settings, listener, nanoClock);
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
            // The clients of a listener just closed on this port still hold it: their connections must not stop it.
            ch.setOption(java.net.StandardSocketOptions.SO_REUSEADDR, true);
            ch.bind(new InetSocketAddress(InetAddress.getByName(at.host()), at.port()), 128);
            return ch;
        } catch (IOException e) {
            ch.close();
            throw new IOException("http-listen " + at + ": " + e.getMessage(), e);
        }
    }

    /**
     * The settings new clients get from now on; the streams they no longer pass are cut off. The global queue budget
     * ({@code http-queue-budget}) holds at once: over a lowered one, the clients with the most queued are cut. Any
     * thread.
     */
    public void settings(Settings now) {
        budget.limit(now.config().queueBudget());
        JoinGate g = gate;
        if (g.maxGroups() != now.maxGroups() || g.joinRate() != now.config().joinRate()) {
            gate = new JoinGate(now.maxGroups(), now.config().joinRate(), nanoClock);
        }
        settings = now;
        tasks.add(() -> cutWhatNoLongerPasses(now));
        selector.wakeup();
    }

    /** Wakes the server thread for a turn (its deadlines are checked every turn): tests on a manual clock. */
    void poke() {
        selector.wakeup();
    }

    /** The port bound (for tests that bind port 0... and for the log). */
    public InetSocketAddress boundAddress() throws IOException {
        return (InetSocketAddress) listener.getLocalAddress();
    }

    /**
     * Listens on another address from now on; the clients streaming go on. Off the server thread; waits for it. An
     * address that conflicts with the one bound now (the same port, and the same address or a wildcard on either side:
     * {@code 127.0.0.1:P} to {@code 0.0.0.0:P}) is bound after the old listener is closed, and the old one bound again
     * if it cannot be; any other is bound first, so the old one stays if it cannot be. A switch the server thread did
     * not take in time is cancelled: it never happens later.
     *
     * @throws IOException if the new address cannot be bound (the old one stays)
     */
    public void rebind(ListenAddress at) throws IOException {
        ListenAddress old = listening;
        boolean conflicts = conflicts(old, at);
        ServerSocketChannel early = conflicts ? null : bind(at);
        AtomicBoolean claimed = new AtomicBoolean();
        CompletableFuture<Void> done = new CompletableFuture<>();
        tasks.add(() -> {
            if (!claimed.compareAndSet(false, true)) {
                return; // the caller gave up waiting: this switch is cancelled
            }
            try {
                ServerSocketChannel next = early;
                if (next == null) {
                    closeListener();
                    try {
                        next = bind(at);
                    } catch (IOException e) {
                        listener = bind(old);
                        listenerKey = listener.register(selector, SelectionKey.OP_ACCEPT);
                        throw e;
                    }
                } else {
                    closeListener();
                }
                listener = next;
                listenerKey = next.register(selector, SelectionKey.OP_ACCEPT);
                acceptResumesAt = 0;
                listening = at;
                done.complete(null);
            } catch (IOException | RuntimeException e) {
                if (early != null && listener != early) {
                    closeQuietly(early);
                }
                done.completeExceptionally(e);
            }
        });
        selector.wakeup();
        try {
            done.get(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            if (claimed.compareAndSet(false, true)) {
                if (early != null) {
                    early.close();
                }
                throw new IOException("http-listen " + at + ": the server thread did not take it in 5 s (cancelled)");
            }
            awaitTaken(done, at); // it runs now: a close and a bind, never long
        } catch (java.util.concurrent.ExecutionException e) {
            throw asIo(at, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (claimed.compareAndSet(false, true)) {
                if (early != null) {
                    early.close();
                }
                throw new IOException("http-listen " + at + ": interrupted (cancelled)", e);
            }
            awaitTaken(done, at);
        }
    }

    /** Server thread: the listener closed and its port free now (a registered channel's close waits for a select). */
    private void closeListener() throws IOException {
        listenerKey.cancel();
        listener.close();
        selector.selectNow();
    }

    private static void closeQuietly(ServerSocketChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // Never bound for good: nothing to say.
        }
    }

    private static void awaitTaken(CompletableFuture<Void> done, ListenAddress at) throws IOException {
        try {
            done.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw asIo(at, e.getCause());
        }
    }

    private static IOException asIo(ListenAddress at, Throwable e) {
        return e instanceof IOException io ? io : new IOException("http-listen " + at + ": " + e, e);
    }

    /** Whether binding {@code b} fails while {@code a} is bound: one port, and one address or a wildcard. */
    static boolean conflicts(ListenAddress a, ListenAddress b) throws IOException {
        if (a.port() != b.port()) {
            return false;
        }
        InetAddress x = InetAddress.getByName(a.host());
        InetAddress y = InetAddress.getByName(b.host());
        return x.isAnyLocalAddress() || y.isAnyLocalAddress() || x.equals(y);
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
                while (budget.over() && !streaming.isEmpty()) {
                    cutLargest();
                }
                sweep();
            } catch (IOException | RuntimeException e) {
                // One bad turn must not end the relay; the next select goes on. An Error is not caught: see the class.
                LOG.error("http relay: {}", e.toString(), e);
            }
        }
        for (SelectionKey key : selector.keys()) {
            if (key.attachment() instanceof Conn conn) {
                closeQuietly(conn);
            }
        }
        try {
            if (listener != null) {
                listener.close();
            }
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

    private void accept(ServerSocketChannel from) {
        while (true) {
            SocketChannel ch;
            try {
                ch = from.accept();
            } catch (IOException e) {
                pauseAccepting(e);
                return;
            }
            if (ch == null) {
                return;
            }
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

    /**
     * accept() failed, out of file descriptors most likely: the pending connection stays ready, and accepting again at
     * once would spin the thread. Accepting stops for a second (counted; logged once) while clients leave.
     */
    private void pauseAccepting(IOException e) {
        if (acceptFailures.getAndIncrement() == 0) {
            LOG.warn(
                    "http relay: accept failed ({}): accepting pauses for a second each time; see the counter"
                            + " http_relay_accept_failures",
                    e.toString());
        }
        listenerKey.interestOps(0);
        acceptResumesAt = Math.max(1, nanoClock.getAsLong() + ACCEPT_PAUSE_NANOS);
    }

    private void admit(SocketChannel ch) throws IOException {
        ch.configureBlocking(false);
        ch.setOption(java.net.StandardSocketOptions.SO_SNDBUF, SEND_BUFFER);
        InetSocketAddress remote = (InetSocketAddress) ch.getRemoteAddress();
        SelectionKey key = ch.register(selector, SelectionKey.OP_READ);
        Conn conn = new Conn(ch, key, remote, nanoClock.getAsLong());
        key.attach(conn);
        IpAddress peer = IpAddress.parse(conn.peer.getHostAddress().replaceAll("%.*$", ""));
        HttpRelayConfig c = settings.config();
        if (!c.allows(peer)) {
            refuse(conn, new RelayRequest.Refusal(RefusalKind.CLIENT_DENIED, "client " + peer + " not in http-allow"));
            return;
        }
        // Each waits with a 4 KB buffer: as many as may stream in total, and per address.
        if (requesting.size() >= c.maxClients()) {
            refuse(
                    conn,
                    new RelayRequest.Refusal(
                            RefusalKind.MAX_PENDING_REQUESTS,
                            "http-max-clients " + c.maxClients() + " connections are sending their request"));
            return;
        }
        if (requestingPerAddress.getOrDefault(conn.peer, 0) >= c.maxClientsPerAddress()) {
            refuse(
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
    private void requestDone(Conn conn) {
        if (requesting.remove(conn)) {
            requestingPerAddress.computeIfPresent(conn.peer, (a, n) -> n > 1 ? n - 1 : null);
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
        requestDone(conn);
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

    /** Why the filters deny this stream, or null if they pass it: the proxy's own filter for this interface. */
    private static String denied(Settings now, RelayRequest.Stream s) {
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
                        + verdict.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** Server thread, after a reload: the streams that http-allow or the filters no longer pass are cut off. */
    private void cutWhatNoLongerPasses(Settings now) {
        List<Conn> cut = new ArrayList<>();
        for (Conn conn : streaming.values()) {
            IpAddress peer = IpAddress.parse(conn.peer.getHostAddress().replaceAll("%.*$", ""));
            if (!now.config().allows(peer) || denied(now, conn.client.stream) != null) {
                cut.add(conn);
            }
        }
        for (Conn conn : cut) {
            reloadCuts.incrementAndGet();
            LOG.debug("http relay: {} no longer passes http-allow or the filters: disconnected", conn.address);
            close(conn);
        }
    }

    private void stream(Conn conn, RelayRequest.Stream s) {
        Settings now = settings;
        // What the proxy would drop is refused here, never joined.
        String why = denied(now, s);
        if (why != null) {
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
        if (streamingPerAddress.getOrDefault(conn.peer, 0) >= now.config().maxClientsPerAddress()) {
            refuse(
                    conn,
                    new RelayRequest.Refusal(
                            RefusalKind.MAX_CLIENTS_PER_ADDRESS,
                            "http-max-clients-per-address " + now.config().maxClientsPerAddress() + " reached for "
                                    + conn.peer.getHostAddress()));
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
                s,
                conn.address,
                System.currentTimeMillis(),
                now.config().clientQueue(),
                now.config().clientQueueBytes(),
                budget,
                this::wake);
        // The deadline is taken before the join is posted: from the client's point of view it starts here.
        conn.firstDatagramDeadline =
                nanoClock.getAsLong() + now.config().firstDatagramTimeout().toNanos();
        JoinGate g = gate;
        if (!loop.post("http:join", () -> join(conn, client, g))) {
            refuse(conn, new RelayRequest.Refusal(RefusalKind.BUSY, "the daemon is busy, try again"));
            return;
        }
        conn.client = client;
        awaitingFirst.add(conn);
        streaming.put(client, conn);
        live.add(client);
        perGroup.merge(s.group(), 1, Integer::sum);
        streamingPerAddress.merge(conn.peer, 1, Integer::sum);
        LOG.debug("http relay: {} streams {}", conn.address, s.describe());
    }

    /** Loop thread: the join if the gate lets it through, else the stream is refused on the server thread. */
    private void join(Conn conn, RelayClient client, JoinGate g) {
        RelayRequest.Stream s = client.stream;
        RelayRequest.Refusal no = g.check(book, s.group());
        if (no != null) {
            tasks.add(() -> {
                if (streaming.get(client) == conn) {
                    release(conn);
                    refuse(conn, no);
                }
            });
            selector.wakeup();
            return;
        }
        client.membership = book.join(s.group(), s.source(), client);
        clients.incrementAndGet();
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
        requestDone(conn);
        conn.out = ByteBuffer.wrap(("HTTP/1.1 " + code + " " + phrase + "\r\nContent-Type: " + type
                        + "\r\nContent-Length: " + b.length + "\r\nConnection: close\r\n\r\n" + body)
                .getBytes(StandardCharsets.UTF_8));
        conn.closeAfterOut = true;
        service(conn);
    }

    /**
     * Requests not complete in time, streams whose group stayed silent, accepting after a pause, and leaves the loop
     * did not take before. Each list is in deadline order: only what is due is looked at.
     */
    private void sweep() {
        long now = nanoClock.getAsLong();
        List<Conn> due = new ArrayList<>();
        for (Conn conn : requesting) {
            if (now - conn.acceptedNanos <= REQUEST_TIMEOUT_NANOS) {
                break;
            }
            due.add(conn);
        }
        for (Conn conn : due) {
            refuse(conn, new RelayRequest.Refusal(RefusalKind.TIMEOUT, "no whole request within 10 s"));
        }
        due.clear();
        for (Conn conn : awaitingFirst) {
            if (now - conn.firstDatagramDeadline < 0) {
                break;
            }
            due.add(conn);
        }
        for (Conn conn : due) {
            if (conn.client.contentType != null) {
                awaitingFirst.remove(conn); // it came just now: the head goes out on its turn
                continue;
            }
            String group = conn.client.stream.describe();
            release(conn);
            refuse(conn, new RelayRequest.Refusal(RefusalKind.NO_DATA, group + " sent nothing in time"));
        }
        if (acceptResumesAt != 0 && now - acceptResumesAt >= 0) {
            acceptResumesAt = 0;
            if (listenerKey.isValid()) {
                listenerKey.interestOps(SelectionKey.OP_ACCEPT);
            }
        }
        for (int n = leavesToRetry.size(); n > 0; n--) {
            postLeave(leavesToRetry.poll());
        }
    }

    /** All queues together are over the budget: the client with the most queued goes. */
    private void cutLargest() {
        Conn largest = null;
        long most = -1;
        for (Conn conn : streaming.values()) {
            long q = conn.client.queue.queuedBytes();
            if (q > most) {
                most = q;
                largest = conn;
            }
        }
        budgetCuts.incrementAndGet();
        LOG.debug("http relay: queues over their budget: {} ({} bytes queued) disconnected", largest.address, most);
        close(largest);
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
        requestDone(conn);
        release(conn);
    }

    /** The connection streams no more: its client's slot, queue and membership go; the socket is the caller's. */
    private void release(Conn conn) {
        RelayClient c = conn.client;
        conn.client = null;
        awaitingFirst.remove(conn);
        if (c != null && streaming.remove(c) != null) {
            live.remove(c);
            c.queue.discard();
            perGroup.computeIfPresent(c.stream.group(), (g, n) -> n > 1 ? n - 1 : null);
            streamingPerAddress.computeIfPresent(conn.peer, (a, n) -> n > 1 ? n - 1 : null);
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

    /** The status page's figures now, also what {@code mcgate status --json} shows. Any thread. */
    public RelayStatus status() {
        long nowMillis = System.currentTimeMillis();
        List<RelayStatus.Client> out = new ArrayList<>();
        for (RelayClient c : live) {
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
        totals.put("clients_now", (long) out.size());
        totals.put("clients_served", clients.get());
        totals.put("slow_clients", slowClients.get());
        totals.put("budget_cuts", budgetCuts.get());
        totals.put("queued_bytes", budget.queued());
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
        out.record(HttpRelayCounter.BUDGET_CUTS, budgetCuts.get());
        out.record(HttpRelayCounter.RELOAD_CUTS, reloadCuts.get());
        out.record(HttpRelayCounter.ACCEPT_FAILURES, acceptFailures.get());
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
