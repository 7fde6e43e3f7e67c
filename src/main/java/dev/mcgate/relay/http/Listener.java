package dev.mcgate.relay.http;

import dev.mcgate.config.ListenAddress;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay's listening socket: bound, accepted from (accepting pauses for a second after accept() fails), and moved
 * to another address by a rebind.
 *
 * <p>Threads: the socket, its key and the pause are the server thread's; {@link #rebind} runs on the caller's thread
 * and hands the switch to the server thread; {@link #boundAddress} is read from any thread.
 */
final class Listener {

    private static final Logger LOG = LoggerFactory.getLogger(Listener.class);
    /** How long accepting pauses after accept() failed (EMFILE): closing connections frees descriptors meanwhile. */
    static final long ACCEPT_PAUSE_NANOS = 1_000_000_000L;

    /** accept() on the listening socket: a seam, so that tests can make it fail as it does out of descriptors. */
    interface Acceptor {
        Acceptor REAL = ServerSocketChannel::accept;

        /** @return the connection accepted, or null if none is pending */
        SocketChannel accept(ServerSocketChannel from) throws IOException;
    }

    private final Selector selector;
    private final Acceptor acceptor;
    private final LongSupplier nanoClock;
    private final RelayCounters counters;
    /** Server thread writes; {@link #boundAddress} reads it from others. */
    private volatile ServerSocketChannel channel;

    private SelectionKey key;
    /** When accepting resumes after a failed accept(); 0 while accepting. */
    private long resumesAt;
    /** The address bound: read by a rebind on the caller's thread. */
    private volatile ListenAddress listening;

    /** Registers {@code bound} (bound at {@code at}) with the server's selector. */
    Listener(
            Selector selector,
            ServerSocketChannel bound,
            ListenAddress at,
            Acceptor acceptor,
            LongSupplier nanoClock,
            RelayCounters counters)
            throws IOException {
        this.selector = selector;
        this.acceptor = acceptor;
        this.nanoClock = nanoClock;
        this.counters = counters;
        this.channel = bound;
        this.key = bound.register(selector, SelectionKey.OP_ACCEPT);
        this.listening = at;
    }

    static ServerSocketChannel bind(ListenAddress at) throws IOException {
        ServerSocketChannel ch = ServerSocketChannel.open();
        try {
            ch.configureBlocking(false);
            // The clients of a listener just closed on this port still hold it: their connections must not stop it.
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            ch.bind(new InetSocketAddress(InetAddress.getByName(at.host()), at.port()), 128);
            return ch;
        } catch (IOException e) {
            ch.close();
            throw new IOException("http-listen " + at + ": " + e.getMessage(), e);
        }
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

    /** The port bound. Any thread. */
    InetSocketAddress boundAddress() throws IOException {
        return (InetSocketAddress) channel.getLocalAddress();
    }

    /**
     * Server thread: the next pending connection, or null if there is none or accept() failed. accept() fails out of
     * file descriptors most likely: the pending connection stays ready, and accepting again at once would spin the
     * thread. Accepting stops for a second (counted; logged once) while clients leave.
     */
    SocketChannel acceptOrPause() {
        try {
            return acceptor.accept(channel);
        } catch (IOException e) {
            key.interestOps(0);
            resumesAt = Math.max(1, nanoClock.getAsLong() + ACCEPT_PAUSE_NANOS);
            // Counted once the pause is set: whoever sees the count sees a pause that has begun.
            if (counters.acceptFailed() == 0) {
                LOG.warn(
                        "http relay: accept failed ({}): accepting pauses for a second each time; see the counter"
                                + " http_relay_accept_failures",
                        e.toString());
            }
            return null;
        }
    }

    /** Server thread: accepting resumes if its pause is over. */
    void resumeIfDue(long nowNanos) {
        if (resumesAt != 0 && nowNanos - resumesAt >= 0) {
            resumesAt = 0;
            if (key.isValid()) {
                key.interestOps(SelectionKey.OP_ACCEPT);
            }
        }
    }

    /**
     * Listens on another address from now on. Off the server thread; {@code onServerThread} runs the switch there, and
     * this waits for it at most {@code wait}. An address that conflicts with the one bound now (the same port, and the
     * same address or a wildcard on either side: {@code 127.0.0.1:P} to {@code 0.0.0.0:P}) is bound after the old
     * listener is closed, and the old one bound again if it cannot be; any other is bound first, so the old one stays if
     * it cannot be. A switch the server thread did not take in time is cancelled: it never happens later.
     *
     * @throws IOException if the new address cannot be bound, or the switch was cancelled (the old one stays)
     */
    void rebind(ListenAddress at, Consumer<Runnable> onServerThread, Duration wait) throws IOException {
        ListenAddress old = listening;
        ServerSocketChannel early = conflicts(old, at) ? null : bind(at);
        AtomicBoolean claimed = new AtomicBoolean();
        CompletableFuture<Void> done = new CompletableFuture<>();
        onServerThread.accept(() -> {
            if (!claimed.compareAndSet(false, true)) {
                return; // the caller gave up waiting: this switch is cancelled
            }
            try {
                switchTo(at, old, early);
                done.complete(null);
            } catch (IOException | RuntimeException e) {
                if (early != null && channel != early) {
                    closeQuietly(early);
                }
                done.completeExceptionally(e);
            }
        });
        try {
            done.get(wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            if (claimed.compareAndSet(false, true)) {
                if (early != null) {
                    early.close();
                }
                throw new IOException("http-listen " + at + ": the server thread did not take it in " + inWords(wait)
                        + " (cancelled)");
            }
            awaitTaken(done, at); // it runs now: a close and a bind, never long
        } catch (ExecutionException e) {
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

    /** Server thread: the listener moved to {@code at}, bound already ({@code early}) or after the old one closed. */
    private void switchTo(ListenAddress at, ListenAddress old, ServerSocketChannel early) throws IOException {
        ServerSocketChannel next = early;
        if (next == null) {
            closeNow();
            try {
                next = bind(at);
            } catch (IOException e) {
                channel = bind(old);
                key = channel.register(selector, SelectionKey.OP_ACCEPT);
                throw e;
            }
        } else {
            closeNow();
        }
        channel = next;
        key = next.register(selector, SelectionKey.OP_ACCEPT);
        resumesAt = 0;
        listening = at;
    }

    /** Server thread: the listener closed and its port free now (a registered channel's close waits for a select). */
    private void closeNow() throws IOException {
        key.cancel();
        channel.close();
        selector.selectNow();
    }

    /** Server thread, at its end. */
    void close() throws IOException {
        channel.close();
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
        } catch (CompletionException e) {
            throw asIo(at, e.getCause());
        }
    }

    private static String inWords(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private static IOException asIo(ListenAddress at, Throwable e) {
        return e instanceof IOException io ? io : new IOException("http-listen " + at + ": " + e, e);
    }
}
