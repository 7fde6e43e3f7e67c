package dev.mcgate.lab;

import dev.mcgate.io.linux.Netns;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The HTTP relay's clients in one receiver namespace: N connections to one URL, all read by one selector thread of the
 * bench's JVM (on CPU 0 with the sender), which counts the body octets each got and throws them away. One thread for
 * all, not a process or a thread per client: the clients must cost less CPU than the relay they measure.
 */
final class HttpRelayClients implements AutoCloseable {

    /** One connection: its head so far and the body octets it got (written by the reader thread only). */
    private static final class Client {
        final SocketChannel channel;
        final RelayResponseHead head = new RelayResponseHead();
        volatile long body;
        volatile boolean closed;

        Client(SocketChannel channel) {
            this.channel = channel;
        }
    }

    private final Connector connector;
    private final String where;
    private final InetSocketAddress server;
    private final String path;
    private final Client[] clients;
    private final Selector selector;
    private final Queue<Client> toRegister = new ConcurrentLinkedQueue<>();
    private final Thread reader;
    private volatile boolean running = true;
    private volatile IOException readerFailure;
    private volatile long lastOctetNanos;

    /** How a client's connection is made: in the receiver's namespace, or (in the unit tests) wherever the caller is. */
    interface Connector {
        SocketChannel connect(InetSocketAddress server) throws IOException;
    }

    /**
     * Connects {@code count} clients from {@code namespace} to {@code server} and sends each {@code GET path}; the
     * relay answers each with the first datagram of the group.
     */
    static HttpRelayClients inNamespace(String namespace, InetSocketAddress server, String path, int count)
            throws LabException {
        return new HttpRelayClients(
                to -> Netns.call(namespace, () -> SocketChannel.open(to)), namespace, server, path, count);
    }

    /** @param where for error messages: where the clients are */
    HttpRelayClients(Connector connector, String where, InetSocketAddress server, String path, int count)
            throws LabException {
        this.connector = connector;
        this.where = where;
        this.server = server;
        this.path = path;
        this.clients = new Client[count];
        try {
            selector = Selector.open();
        } catch (IOException e) {
            throw new LabException("cannot open a selector for the HTTP clients: " + e.getMessage());
        }
        reader = new Thread(this::readLoop, "bench-http-clients");
        reader.setDaemon(true);
        reader.start();
        try {
            for (int i = 0; i < count; i++) {
                clients[i] = connect();
            }
        } catch (LabException e) {
            close();
            throw e;
        }
    }

    /** The request udpxy's clients (VLC, ffmpeg) send: a GET of the stream's path, HTTP/1.1, no keep-alive. */
    static String request(String path, InetSocketAddress server) {
        return "GET " + path + " HTTP/1.1\r\nHost: " + server.getHostString() + ":" + server.getPort()
                + "\r\nUser-Agent: mcgate-lab-bench\r\nConnection: close\r\n\r\n";
    }

    private Client connect() throws LabException {
        try {
            SocketChannel ch = connector.connect(server);
            try {
                ByteBuffer req = StandardCharsets.US_ASCII.encode(request(path, server));
                while (req.hasRemaining()) {
                    ch.write(req);
                }
                ch.configureBlocking(false);
            } catch (IOException e) {
                ch.close();
                throw e;
            }
            Client c = new Client(ch);
            toRegister.add(c);
            selector.wakeup();
            return c;
        } catch (IOException e) {
            throw new LabException(
                    "an HTTP client in " + where + " cannot connect to " + server + path + ": " + e.getMessage());
        }
    }

    /**
     * Replaces every client the relay disconnected (as too slow, at a rate it could not serve) with a new connection;
     * returns how many it replaced.
     */
    int reconnectClosed() throws LabException {
        int replaced = 0;
        for (int i = 0; i < clients.length; i++) {
            if (clients[i].closed) {
                clients[i] = connect();
                replaced++;
            }
        }
        return replaced;
    }

    /** True once every client has its 200 head and is open: from now on every datagram reaches each as body. */
    boolean allStreaming() throws LabException {
        Optional<String> failed = failure();
        if (failed.isPresent()) {
            throw new LabException(failed.get());
        }
        for (Client c : clients) {
            if (c.closed || !c.head.streaming()) {
                return false;
            }
        }
        return true;
    }

    /** The first refusal or read error, if any: the bench's configuration is wrong, not the relay slow. */
    Optional<String> failure() {
        if (readerFailure != null) {
            return Optional.of("the HTTP clients' reader failed: " + readerFailure.getMessage());
        }
        for (Client c : clients) {
            if (c != null && c.head.failure().isPresent()) {
                return Optional.of(server + path + ": " + c.head.failure().get());
            }
        }
        return Optional.empty();
    }

    /** The body octets each client has got so far, in client order. */
    long[] bodyOctets() {
        long[] b = new long[clients.length];
        for (int i = 0; i < clients.length; i++) {
            b[i] = clients[i].body;
        }
        return b;
    }

    /** When any client last got body octets (System.nanoTime); 0 before the first. */
    long lastOctetNanos() {
        return lastOctetNanos;
    }

    int count() {
        return clients.length;
    }

    private void readLoop() {
        // One buffer for every client: the octets are counted, never kept.
        ByteBuffer buffer = ByteBuffer.allocateDirect(256 * 1024);
        try {
            while (running) {
                selector.select(100);
                for (Client c; (c = toRegister.poll()) != null; ) {
                    c.channel.register(selector, SelectionKey.OP_READ, c);
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    Client c = (Client) key.attachment();
                    buffer.clear();
                    int n;
                    try {
                        n = c.channel.read(buffer);
                    } catch (IOException reset) {
                        // The relay cut it off (a reset after its queue overflowed): as closed as an orderly end.
                        n = -1;
                    }
                    if (n < 0) {
                        key.cancel();
                        c.channel.close();
                        c.closed = true;
                        continue;
                    }
                    buffer.flip();
                    if (!c.head.streaming()) {
                        c.head.feed(buffer);
                    }
                    if (buffer.hasRemaining()) {
                        c.body += buffer.remaining();
                        lastOctetNanos = System.nanoTime();
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException e) {
            readerFailure = e;
        }
    }

    @Override
    public void close() {
        running = false;
        selector.wakeup();
        try {
            reader.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Client c : clients) {
            if (c != null) {
                try {
                    c.channel.close();
                } catch (IOException ignored) {
                    // going away anyway
                }
            }
        }
        try {
            selector.close();
        } catch (IOException ignored) {
            // nothing left to read from it
        }
    }

    /** For error messages: how many clients stream, and how many the relay closed. */
    String describe() {
        long streaming = Arrays.stream(clients)
                .filter(c -> !c.closed && c.head.streaming())
                .count();
        long closed = Arrays.stream(clients).filter(c -> c.closed).count();
        return streaming + " of " + clients.length + " streaming, " + closed + " closed";
    }
}
