package dev.mcgate.control;

import dev.mcgate.control.ControlSocketFailure.Step;
import dev.mcgate.counters.CounterRecorder;
import dev.mcgate.counters.CounterSource;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control socket: a Unix stream socket where each connection carries one request line and gets one response
 * (see {@link ControlRequest} and {@link ControlResponse}), then is closed.
 *
 * <p>One accept thread ({@code mcgate-control}) hands each connection to one of a few workers; when all stay busy for
 * {@value #BUSY_WAIT_MS} ms the connection is answered "busy", and so are the next ones for a second, at once. A request is at most {@link Limits#maxRequestBytes()} long and must arrive
 * within {@link Limits#readTimeout()}, so a silent or flooding client cannot hold a worker. Bad requests get an error
 * response; nothing a client sends stops the server.
 *
 * <p>The socket file is 0660, mcgate's user and group, from the moment it has its name: it is bound inside a fresh 0700
 * directory beside it, made 0660 there, then renamed into place (rename(2) keeps the inode, so the listening socket is
 * the same). Who may ask what is {@link ControlAccess}'s decision, on the peer's {@code SO_PEERCRED}. A socket file
 * left by a crashed run is replaced; a live mcgate answering on it makes {@link #start} fail.
 */
public final class ControlServer implements AutoCloseable, CounterSource {

    private static final Logger LOG = LoggerFactory.getLogger(ControlServer.class);

    /**
     * @param maxRequestBytes the longest request line accepted
     * @param readTimeout     how long a client has to send its request
     * @param writeTimeout    how long a client has to read the response
     * @param workers         connections served at once; more are answered "busy"
     */
    public record Limits(int maxRequestBytes, Duration readTimeout, Duration writeTimeout, int workers) {
        /** 512 bytes (requests are a few words), 2 s to send it, 10 s to read the answer, 4 at once. */
        public static final Limits DEFAULTS = new Limits(512, Duration.ofSeconds(2), Duration.ofSeconds(10), 4);
    }

    /** How much a client may still send after its request, read away before closing (see {@link #reply}). */
    private static final int DRAIN_LIMIT = 1 << 20;
    /** How long what a client sent past its request line is read away after the answer. */
    private static final long AFTER_ANSWER_DRAIN_MS = 50;
    /** How long a new connection waits for a worker before it is answered "busy". */
    private static final long BUSY_WAIT_MS = 250;
    /** How long a refused client's request is read away, on the accept thread. */
    private static final long BUSY_DRAIN_MS = 50;

    private final Path path;
    private final ServerSocketChannel server;
    private final RequestHandler handler;
    private final Limits limits;
    private final ExecutorService workers;
    private final Semaphore slots;
    /** Accept thread only: when a connection was last answered "busy" (see {@link #acquireSlot}). */
    private long lastRefusalNanos = System.nanoTime() - TimeUnit.SECONDS.toNanos(10);

    private final Thread acceptThread;
    /** Root and the user the daemon runs as (the socket file's owner): the peers {@code reload} is for. */
    private final Set<UserPrincipal> privileged;

    private final LongAdder[] refused = new LongAdder[ControlRefusal.values().length];
    private final LongAdder served = new LongAdder();
    private volatile boolean closed;

    private ControlServer(
            Path path,
            ServerSocketChannel server,
            RequestHandler handler,
            Limits limits,
            Set<UserPrincipal> privileged) {
        this.path = path;
        this.privileged = Set.copyOf(privileged);
        this.server = server;
        this.handler = handler;
        this.limits = limits;
        for (int i = 0; i < refused.length; i++) {
            refused[i] = new LongAdder();
        }
        this.slots = new Semaphore(limits.workers());
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(limits.workers(), r -> {
            Thread t = new Thread(r, "mcgate-control-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.acceptThread = new Thread(this::acceptLoop, "mcgate-control");
        this.acceptThread.setDaemon(true);
    }

    /** As {@link #start(Path, RequestHandler, Limits, Supplier)}, for a daemon that runs as the JVM's own user. */
    public static ControlServer start(Path path, RequestHandler handler, Limits limits) throws IOException {
        return start(path, handler, limits, () -> System.getProperty("user.name"));
    }

    /**
     * Binds the socket at {@code path} and starts serving.
     *
     * @param user who the daemon runs as now, asked only when the socket cannot be made (for the fix in the message)
     * @throws AlreadyRunningException when another mcgate answers on {@code path}
     * @throws IOException             when the socket cannot be made: one line with the path, the cause and the fix
     *                                 ({@link ControlSocketFailure})
     */
    public static ControlServer start(Path path, RequestHandler handler, Limits limits, Supplier<String> user)
            throws IOException {
        String tooLong = ControlSocketFailure.tooLong(path);
        if (tooLong != null) {
            throw new IOException(tooLong);
        }
        Path dir = path.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            try {
                // rwxr-x---: the daemon's group may list the directory; the socket itself stays owner-only.
                Files.createDirectories(
                        dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-x---")));
            } catch (IOException e) {
                throw failure(path, Step.DIRECTORY, e, user);
            }
        }
        try {
            clearStale(path);
        } catch (AlreadyRunningException | NotASocketException e) {
            throw e;
        } catch (IOException e) {
            throw failure(path, Step.EXISTING, e, user);
        }
        ServerSocketChannel server;
        try {
            server = bindPrivately(path);
        } catch (IOException e) {
            throw failure(path, Step.BIND, e, user);
        }
        Set<UserPrincipal> privileged;
        try {
            UserPrincipalLookupService users = path.getFileSystem().getUserPrincipalLookupService();
            // "0" is looked up as a name first, then taken as uid 0; the socket file was made by this process.
            // One principal when the daemon runs as root: a set that takes duplicates.
            privileged = new HashSet<>(
                    List.of(users.lookupPrincipalByName("0"), Files.getOwner(path, LinkOption.NOFOLLOW_LINKS)));
        } catch (IOException e) {
            server.close();
            Files.deleteIfExists(path);
            throw failure(path, Step.BIND, e, user);
        }
        ControlServer s = new ControlServer(path, server, handler, limits, privileged);
        s.acceptThread.start();
        LOG.info("control socket {}", path);
        return s;
    }

    private static IOException failure(Path path, Step step, IOException e, Supplier<String> user) {
        return new IOException(ControlSocketFailure.describe(path, step, e, user.get()), e);
    }

    /** Another mcgate already serves the socket path. */
    public static final class AlreadyRunningException extends IOException {
        AlreadyRunningException(String message) {
            super(message);
        }
    }

    /** A file that is not a socket is in the way; the message is final. */
    private static final class NotASocketException extends IOException {
        NotASocketException(String message) {
            super(message);
        }
    }

    private static void clearStale(Path path) throws IOException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (java.nio.file.NoSuchFileException e) {
            return;
        }
        if (!attributes.isOther()) {
            throw new NotASocketException(ControlSocketFailure.notASocket(
                    path,
                    attributes.isDirectory()
                            ? "a directory"
                            : attributes.isSymbolicLink() ? "a symbolic link" : "a regular file"));
        }
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(path));
            String answer;
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
                ChannelIo.writeAll(probe, ByteBuffer.wrap("text ping\n".getBytes(StandardCharsets.US_ASCII)), deadline);
                answer = new String(ChannelIo.readLine(probe, 200, deadline), StandardCharsets.UTF_8);
            } catch (IOException e) {
                answer = "";
            }
            if (answer.startsWith(ControlResponse.MAGIC + " ")) {
                throw new AlreadyRunningException(ControlSocketFailure.anotherMcgate(path));
            }
            throw new AlreadyRunningException(ControlSocketFailure.anotherProcess(path));
        } catch (ConnectException e) {
            // Nobody listens: the file was left by a run that did not stop cleanly.
            LOG.info("replacing the stale control socket {} (left by an earlier run)", path);
            Files.deleteIfExists(path);
        }
    }

    private static ServerSocketChannel bindPrivately(Path path) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        Path privateDir = Files.createTempDirectory(
                dir, ".mcg", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path temporary = privateDir.resolve("s");
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(temporary), 16);
            // Group read-write: members of mcgate's group may connect; ControlAccess decides what they may ask.
            Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-rw----"));
            Files.move(temporary, path, StandardCopyOption.ATOMIC_MOVE);
            return server;
        } catch (IOException e) {
            server.close();
            throw e;
        } catch (RuntimeException e) {
            server.close();
            throw new IOException(e.toString(), e);
        } finally {
            Files.deleteIfExists(temporary);
            Files.deleteIfExists(privateDir);
        }
    }

    public Path path() {
        return path;
    }

    /** Connections refused or cut short for one reason. */
    public long refused(ControlRefusal reason) {
        return refused[reason.ordinal()].sum();
    }

    @Override
    public void recordInto(CounterRecorder out) {
        out.record(ControlCounter.ANSWERED, served.sum());
        for (ControlRefusal reason : ControlRefusal.values()) {
            out.record(ControlCounter.REFUSED, refused(reason), reason.keyword());
        }
    }

    /** Requests answered (including error answers to bad requests). */
    public long served() {
        return served.sum();
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                // EMFILE and the like: back off rather than spin, and keep serving.
                LOG.warn("control socket: accept failed: {}", e.getMessage());
                sleepQuietly();
                continue;
            }
            if (!acquireSlot()) {
                count(ControlRefusal.BUSY);
                // The client's request is unread: drained, or the close would reset the answer away. Briefly: this
                // is the accept thread, and a client sends its request as soon as it has connected.
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BUSY_DRAIN_MS);
                answerDrainAndClose(
                        client,
                        new ControlResponse(
                                ControlResponse.UNAVAILABLE,
                                "mcgate is busy with " + limits.workers() + " other control requests; try again\n"),
                        deadline,
                        deadline);
                continue;
            }
            try {
                workers.execute(() -> {
                    try {
                        serve(client);
                    } finally {
                        slots.release();
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                slots.release();
                closeQuietly(client);
                return;
            }
        }
    }

    /**
     * A worker slot, waiting a moment for one: a worker that has answered may still be closing its connection, and a
     * client should not be told "busy" for that. Once a connection has been refused, the next ones are not kept
     * waiting again for a second: when every worker is stuck (a wedged loop), a queue of clients would otherwise hold
     * the accept thread 250 ms each and see a timeout instead of "busy".
     */
    private boolean acquireSlot() {
        if (slots.tryAcquire()) {
            return true;
        }
        if (System.nanoTime() - lastRefusalNanos < TimeUnit.SECONDS.toNanos(1)) {
            lastRefusalNanos = System.nanoTime();
            return false;
        }
        try {
            if (slots.tryAcquire(BUSY_WAIT_MS, TimeUnit.MILLISECONDS)) {
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lastRefusalNanos = System.nanoTime();
        return false;
    }

    private void serve(SocketChannel client) {
        ControlRequest request;
        long readDeadline = System.nanoTime() + limits.readTimeout().toNanos();
        try {
            String line = new String(
                    ChannelIo.readLine(client, limits.maxRequestBytes(), readDeadline), StandardCharsets.UTF_8);
            request = ControlRequest.parse(line);
        } catch (ChannelIo.TooLongException e) {
            count(ControlRefusal.TOO_LONG);
            // The rest of an overlong line may still be on its way: read it away for as long as a request may take.
            reply(
                    client,
                    new ControlResponse(ControlResponse.BAD_REQUEST, e.getMessage() + "\n"),
                    limits.readTimeout().toNanos());
            return;
        } catch (SocketTimeoutException e) {
            count(ControlRefusal.TIMEOUT);
            reply(
                    client,
                    new ControlResponse(
                            ControlResponse.BAD_REQUEST,
                            "no request within " + limits.readTimeout().toMillis() + " ms\n"));
            return;
        } catch (IllegalArgumentException e) {
            count(ControlRefusal.BAD_REQUEST);
            reply(client, new ControlResponse(ControlResponse.BAD_REQUEST, e.getMessage() + "\n"));
            return;
        } catch (IOException e) {
            count(ControlRefusal.IO);
            closeQuietly(client);
            return;
        }
        Optional<String> refusal = ControlAccess.refusal(request, peer(client));
        if (refusal.isPresent()) {
            count(ControlRefusal.NOT_PERMITTED);
            reply(
                    client,
                    new ControlResponse(
                            ControlResponse.NOT_PERMITTED,
                            request.json()
                                    ? JsonReport.error(request.command(), refusal.get())
                                    : refusal.get() + "\n"));
            return;
        }
        ControlResponse response;
        if (request.command().equals("ping")) {
            // JSON asked, JSON answered: a script parses every answer of its format (a fuzzer found 'ok' here).
            response = new ControlResponse(ControlResponse.OK, request.json() ? JsonReport.ping() : "ok\n");
        } else {
            try {
                response = handler.handle(request);
            } catch (RuntimeException e) {
                LOG.error("control request '{}' failed", request.toLine().strip(), e);
                String message = request.command() + " failed inside mcgate: " + e;
                response = new ControlResponse(
                        ControlResponse.FAILED,
                        request.json() ? JsonReport.error(request.command(), message) : message + "\n");
            }
        }
        reply(client, response);
    }

    /** The peer as the kernel recorded it at connect; a peer whose credentials cannot be read gets the least. */
    private ControlAccess.Peer peer(SocketChannel client) {
        try {
            UnixDomainPrincipal credentials = client.getOption(ExtendedSocketOptions.SO_PEERCRED);
            return privileged.contains(credentials.user())
                    ? ControlAccess.Peer.ROOT_OR_DAEMON_USER
                    : ControlAccess.Peer.GROUP_MEMBER;
        } catch (IOException | UnsupportedOperationException e) {
            // No SO_PEERCRED (not a Unix socket, or the peer already went): read-only requests only.
            return ControlAccess.Peer.GROUP_MEMBER;
        }
    }

    /**
     * Answers and closes, reading away first what the client sent past its request line: closing with unread data
     * would reset the answer away. Those bytes came with the request, so a moment ({@value #AFTER_ANSWER_DRAIN_MS} ms)
     * is enough, and a client that keeps its end open after the answer holds the worker no longer than that.
     */
    private void reply(SocketChannel client, ControlResponse response) {
        reply(client, response, TimeUnit.MILLISECONDS.toNanos(AFTER_ANSWER_DRAIN_MS));
    }

    /** @param drainNanos how long to read away what the client still sends, after the answer */
    private void reply(SocketChannel client, ControlResponse response, long drainNanos) {
        served.increment();
        answerDrainAndClose(
                client, response, System.nanoTime() + limits.writeTimeout().toNanos(), System.nanoTime() + drainNanos);
    }

    /**
     * Answers, then reads away what the client still sends before closing: closing a Unix socket with unread data
     * resets the connection, and the client's read then fails instead of ending with the answer.
     */
    private void answerDrainAndClose(
            SocketChannel client, ControlResponse response, long writeDeadline, long drainDeadline) {
        try {
            ChannelIo.writeAll(
                    client,
                    ByteBuffer.wrap(
                            response.statusLine().concat(response.body()).getBytes(StandardCharsets.UTF_8)),
                    writeDeadline);
            client.shutdownOutput();
        } catch (IOException e) {
            count(ControlRefusal.IO);
        }
        // Bounded in bytes and in time: a client that floods on is cut off all the same.
        ChannelIo.discard(client, DRAIN_LIMIT, drainDeadline);
        closeQuietly(client);
    }

    private void count(ControlRefusal reason) {
        refused[reason.ordinal()].increment();
    }

    private static void closeQuietly(SocketChannel c) {
        try {
            c.close();
        } catch (IOException e) {
            // nothing left to do with it
        }
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops accepting, lets running requests finish (briefly), and removes the socket file. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            LOG.debug("control socket close: {}", e.getMessage());
        }
        workers.shutdown();
        try {
            acceptThread.join(2000);
            workers.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        workers.shutdownNow();
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.warn("could not remove the control socket {}: {}", path, e.getMessage());
        }
    }
}
