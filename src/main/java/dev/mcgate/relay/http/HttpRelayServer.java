package dev.mcgate.relay.http;

import dev.mcgate.config.HttpRelayConfig;
import dev.mcgate.config.ListenAddress;
import dev.mcgate.counters.CounterRecorder;
import dev.mcgate.proxy.InterfaceFilter;
import dev.mcgate.relay.LocalMemberships;
import dev.mcgate.time.Loop;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * {@link QueueBudget} ({@code http-queue-budget}). Out of file descriptors, the server stops accepting for a second
 * instead of spinning. An {@link Error} is not caught: it ends the thread, and the daemon's uncaught-exception handler
 * stops the process.
 *
 * <p>This class is the facade and the server thread's turn; its parts each do one job: {@link Listener} (the listening
 * socket, accept pauses, rebinds), {@link RequestIntake} (requests), {@link Streaming} (streams), {@link Responses}
 * (short answers) and {@link RelayCounters} (counters and status).
 *
 * <p>Threads: everything but {@link RelayClient#onDatagram} (capture threads), the counters and status (any thread),
 * {@link #settings} and {@link #rebind} (any thread, handed to the server thread) runs on the server's thread; joins and
 * leaves are posted to the loop.
 */
public final class HttpRelayServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpRelayServer.class);
    /** How long a rebind waits for the server thread to take it before it is cancelled. */
    private static final Duration REBIND_WAIT = Duration.ofSeconds(5);

    /**
     * The settings a reload changes in place: new clients take them; listening elsewhere is {@link #rebind}.
     *
     * @param maxGroups the relay interface's {@code max-groups}: groups held at most, lingering ones included
     */
    public record Settings(HttpRelayConfig config, InterfaceFilter filter, int maxGroups) {}

    private final Selector selector;
    private final Thread thread;
    private final LongSupplier nanoClock;
    private final Duration rebindWait;
    private final LiveSettings live;
    private final RelayCounters counters;
    private final Listener listener;
    private final Streaming streams;
    private final RequestIntake intake;

    private volatile boolean closed;
    private final ConcurrentLinkedQueue<RelayClient> ready = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean wakeArmed = new AtomicBoolean();
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();

    private HttpRelayServer(
            Loop loop,
            LocalMemberships book,
            Settings settings,
            ServerSocketChannel bound,
            LongSupplier nanoClock,
            Listener.Acceptor acceptor,
            Duration rebindWait)
            throws IOException {
        this.nanoClock = nanoClock;
        this.rebindWait = rebindWait;
        this.live = new LiveSettings(settings, nanoClock);
        this.counters = new RelayCounters(live.budget());
        this.selector = Selector.open();
        try {
            this.listener = new Listener(selector, bound, settings.config().listen(), acceptor, nanoClock, counters);
        } catch (IOException | RuntimeException e) {
            selector.close();
            throw e;
        }
        // The parts call each other through these methods: each is built before the server thread starts.
        Responses responses = new Responses(counters, this::requestDone, this::service);
        this.streams = new Streaming(
                loop,
                book,
                live,
                nanoClock,
                counters,
                responses,
                this::hangup,
                this::onServerThread,
                this::wake,
                () -> closed);
        this.intake =
                new RequestIntake(selector, listener, live, nanoClock, counters, responses, streams, this::hangup);
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
        return start(loop, book, settings, System::nanoTime, Listener.Acceptor.REAL, REBIND_WAIT);
    }

    /** As {@link #start(Loop, LocalMemberships, Settings)}, on this clock (tests). */
    static HttpRelayServer start(Loop loop, LocalMemberships book, Settings settings, LongSupplier nanoClock)
            throws IOException {
        return start(loop, book, settings, nanoClock, Listener.Acceptor.REAL, REBIND_WAIT);
    }

    /** As {@link #start(Loop, LocalMemberships, Settings)}, on this clock, accept() and rebind wait (tests). */
    static HttpRelayServer start(
            Loop loop,
            LocalMemberships book,
            Settings settings,
            LongSupplier nanoClock,
            Listener.Acceptor acceptor,
            Duration rebindWait)
            throws IOException {
        ServerSocketChannel bound = Listener.bind(settings.config().listen());
        try {
            HttpRelayServer s = new HttpRelayServer(loop, book, settings, bound, nanoClock, acceptor, rebindWait);
            s.thread.start();
            return s;
        } catch (IOException | RuntimeException e) {
            bound.close();
            throw e;
        }
    }

    /**
     * The settings new clients get from now on; the streams they no longer pass are cut off. The global queue budget
     * ({@code http-queue-budget}) holds at once: over a lowered one, the clients with the most queued are cut. Any
     * thread.
     */
    public void settings(Settings now) {
        live.update(now);
        onServerThread(() -> streams.cutWhatNoLongerPasses(now));
    }

    /** Wakes the server thread for a turn (its deadlines are checked every turn): tests on a manual clock. */
    void poke() {
        selector.wakeup();
    }

    /** The port bound (for tests that bind port 0... and for the log). */
    public InetSocketAddress boundAddress() throws IOException {
        return listener.boundAddress();
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
        listener.rebind(at, this::onServerThread, rebindWait);
    }

    /** Any thread: {@code task} runs on the server thread's next turn. */
    private void onServerThread(Runnable task) {
        tasks.add(task);
        selector.wakeup();
    }

    /** Capture thread: the client has something to write (or overflowed). */
    private void wake(RelayClient client) {
        ready.add(client);
        if (wakeArmed.compareAndSet(false, true)) {
            selector.wakeup();
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
                    streams.ready(c);
                }
                streams.cutOverBudget();
                sweep();
            } catch (IOException | RuntimeException e) {
                // One bad turn must not end the relay; the next select goes on. An Error is not caught: see the class.
                LOG.error("http relay: {}", e.toString(), e);
            }
        }
        for (SelectionKey key : selector.keys()) {
            if (key.attachment() instanceof Connection conn) {
                conn.closeSocket();
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
                intake.acceptAll();
                return;
            }
            Connection conn = (Connection) key.attachment();
            if (key.isReadable()) {
                intake.read(conn);
            }
            if (key.isValid() && key.isWritable()) {
                streams.service(conn);
            }
        } catch (IOException e) {
            if (key.attachment() instanceof Connection conn) {
                hangup(conn); // the client went away
            }
        }
    }

    /**
     * Requests not complete in time, streams whose group stayed silent, accepting after a pause, and leaves the loop
     * did not take before. Each list is in deadline order: only what is due is looked at.
     */
    private void sweep() {
        long now = nanoClock.getAsLong();
        intake.sweepDeadlines(now);
        streams.sweepFirstDatagrams(now);
        listener.resumeIfDue(now);
        streams.retryLeaves();
    }

    private void requestDone(Connection conn) {
        intake.requestDone(conn);
    }

    private void service(Connection conn) {
        streams.service(conn);
    }

    /** Server thread: the connection closed, and every slot it held freed. */
    private void hangup(Connection conn) {
        conn.closeSocket();
        intake.requestDone(conn);
        streams.release(conn);
    }

    /** The status page's figures now, also what {@code mcgate status --json} shows. Any thread. */
    public RelayStatus status() {
        return counters.status();
    }

    /** Every {@link HttpRelayCounter}, zeros included. Any thread. */
    public void recordInto(CounterRecorder out) {
        counters.recordInto(out);
    }

    /** How many clients stream now. Any thread. */
    public int clientsNow() {
        return counters.clientsNow();
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
