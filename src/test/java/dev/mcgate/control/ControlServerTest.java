package dev.mcgate.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control socket in a temporary directory (no root needed): file modes, stale and live sockets, the protocol,
 * and clients that send nonsense, too much, or nothing.
 */
class ControlServerTest {

    /** Short timeouts so that the silent-client case is quick; a handler that echoes what it was asked. */
    private static final ControlServer.Limits LIMITS =
            new ControlServer.Limits(64, Duration.ofMillis(300), Duration.ofSeconds(5), 2);

    private static final Duration CLIENT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final List<ControlRequest> seen = new CopyOnWriteArrayList<>();

    private ControlResponse echo(ControlRequest r) {
        seen.add(r);
        return new ControlResponse(
                0,
                "did " + r.command() + r.argument().map(a -> " " + a).orElse("") + (r.json() ? " as json" : "") + "\n");
    }

    private static String raw(Path socket, byte[] request) throws IOException {
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            try {
                c.write(ByteBuffer.wrap(request));
            } catch (IOException e) {
                // The server may answer and close before taking all of an oversized request: read the answer.
            }
            return new String(readAll(c), StandardCharsets.UTF_8);
        }
    }

    private static byte[] readAll(SocketChannel c) throws IOException {
        return ChannelIo.readAll(c, 1 << 20, System.nanoTime() + CLIENT.toNanos());
    }

    @Test
    void theSocketIsOwnerAndGroupOnlyInADirectoryItCreatesAndGoesAwayOnClose() throws Exception {
        Path socket = dir.resolve("run/mcgate/mcgate.sock");
        try (ControlServer server = ControlServer.start(socket, this::echo, LIMITS)) {
            assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
            String dirMode = PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent()));
            assertFalse(
                    dirMode.substring(6).contains("r")
                            || dirMode.substring(6).contains("w")
                            || dirMode.substring(6).contains("x"),
                    "no access for others: " + dirMode);
            try (var listing = Files.list(socket.getParent())) {
                assertEquals(List.of(socket), listing.toList(), "the private bind directory is gone");
            }
            ControlResponse r =
                    ControlClient.exchange(socket, new ControlRequest(true, "groups", Optional.of("down1")), CLIENT);
            assertEquals(new ControlResponse(0, "did groups down1 as json\n"), r);
            assertEquals(1, server.served());
        }
        assertFalse(Files.exists(socket), "removed on close");
    }

    @Test
    void aStaleSocketFromACrashedRunIsReplaced() throws Exception {
        Path socket = dir.resolve("mcgate.sock");
        // A socket file nobody listens on: what a killed daemon leaves behind.
        ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        dead.bind(UnixDomainSocketAddress.of(socket));
        dead.close();
        assertTrue(Files.exists(socket));
        try (ControlServer server = ControlServer.start(socket, this::echo, LIMITS)) {
            assertEquals(
                    0,
                    ControlClient.exchange(socket, new ControlRequest(false, "status", Optional.empty()), CLIENT)
                            .exitCode());
        }
    }

    @Test
    void aLiveMcgateOnTheSocketMakesASecondOneRefuseToStart() throws Exception {
        Path socket = dir.resolve("mcgate.sock");
        try (ControlServer first = ControlServer.start(socket, this::echo, LIMITS)) {
            IOException e = assertThrows(
                    ControlServer.AlreadyRunningException.class, () -> ControlServer.start(socket, this::echo, LIMITS));
            assertTrue(e.getMessage().startsWith("another mcgate is running"), e.getMessage());
            // The first one is untouched.
            assertEquals(
                    0,
                    ControlClient.exchange(socket, new ControlRequest(false, "routes", Optional.empty()), CLIENT)
                            .exitCode());
        }
    }

    @Test
    void aRegularFileInThePlaceOfTheSocketIsNotDeleted() throws Exception {
        Path socket = dir.resolve("mcgate.sock");
        Files.writeString(socket, "precious");
        IOException e = assertThrows(IOException.class, () -> ControlServer.start(socket, this::echo, LIMITS));
        assertTrue(e.getMessage().contains(socket + ": it exists and is a regular file, not a socket"), e.getMessage());
        assertEquals("precious", Files.readString(socket));
        Path directory = Files.createDirectory(dir.resolve("d.sock"));
        IOException d = assertThrows(IOException.class, () -> ControlServer.start(directory, this::echo, LIMITS));
        assertTrue(d.getMessage().contains("it exists and is a directory, not a socket"), d.getMessage());
    }

    @Test
    void aFileWhereItsDirectoryShouldBeIsNamedAndLeftAlone() throws Exception {
        Path file = Files.writeString(dir.resolve("run"), "precious");
        Path socket = file.resolve("mcgate.sock");
        IOException e =
                assertThrows(IOException.class, () -> ControlServer.start(socket, this::echo, LIMITS, () -> "someone"));
        assertEquals(
                "cannot create the control socket " + socket + ": " + file + " is not a directory; remove what "
                        + "is in the way, or set control-socket to a path someone can write",
                e.getMessage());
        assertEquals("precious", Files.readString(file));
    }

    @Test
    void aPathTooLongForAUnixSocketIsRefusedBeforeItsDirectoryIsMade() {
        // Within sun_path's 107 bytes, but the private name it is first bound under would not be.
        Path parent = dir.resolve("p"
                .repeat(Math.max(
                        1,
                        ControlSocketFailure.SUN_PATH_MAX - 20 - dir.toString().length())));
        Path socket = parent.resolve("s");
        assertTrue(socket.toString().length() <= ControlSocketFailure.SUN_PATH_MAX, socket.toString());
        IOException e = assertThrows(IOException.class, () -> ControlServer.start(socket, this::echo, LIMITS));
        assertTrue(
                e.getMessage().startsWith("cannot create the control socket " + socket + ": the path is too long"),
                e.getMessage());
        assertFalse(Files.exists(parent), "nothing made");
    }

    @Test
    void theDaemonsOwnUserMayReloadByItsPeerCredentials() throws Exception {
        // This test is the socket's owner: SO_PEERCRED names the same uid, so reload reaches the handler. (A member
        // of the group only is refused: PrivilegeE2ETest, which can run a client under another uid.)
        Path socket = dir.resolve("mcgate.sock");
        try (ControlServer server = ControlServer.start(socket, this::echo, LIMITS)) {
            ControlResponse r =
                    ControlClient.exchange(socket, new ControlRequest(false, "reload", Optional.empty()), CLIENT);
            assertEquals(new ControlResponse(0, "did reload\n"), r);
            assertEquals(0, server.refused(ControlRefusal.NOT_PERMITTED));
        }
    }

    @Test
    void badOversizedAndSilentRequestsGetAnErrorAndTheServerGoesOn() throws Exception {
        Path socket = dir.resolve("mcgate.sock");
        try (ControlServer server = ControlServer.start(socket, this::echo, LIMITS)) {
            assertEquals(
                    "mcgate-control 1 64\nunknown command 'shutdown': one of counters, groups, ping, reload, "
                            + "routes, status\n",
                    raw(socket, "text shutdown\n".getBytes(StandardCharsets.US_ASCII)));
            assertTrue(raw(socket, "xml status\n".getBytes(StandardCharsets.US_ASCII))
                    .startsWith("mcgate-control 1 64\nunknown format 'xml'"));
            assertTrue(raw(socket, "text status down1\n".getBytes(StandardCharsets.US_ASCII))
                    .contains("status takes no argument"));
            byte[] huge = new byte[100_000];
            java.util.Arrays.fill(huge, (byte) 'a');
            assertEquals("mcgate-control 1 64\nrequest longer than 64 bytes\n", raw(socket, huge));

            // A client that connects and says nothing is cut off after the read timeout, while others are served.
            try (SocketChannel silent = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
                assertEquals(
                        0,
                        ControlClient.exchange(socket, new ControlRequest(false, "status", Optional.empty()), CLIENT)
                                .exitCode());
                String answer = new String(readAll(silent), StandardCharsets.UTF_8);
                assertEquals("mcgate-control 1 64\nno request within 300 ms\n", answer);
            }
            assertTrue(
                    seen.stream().allMatch(r -> r.command().equals("status")),
                    "no bad request reached " + "the handler: " + seen);
            assertEquals(
                    0,
                    ControlClient.exchange(socket, new ControlRequest(false, "counters", Optional.empty()), CLIENT)
                            .exitCode());
            assertEquals(1, server.refused(ControlRefusal.TIMEOUT));
            assertEquals(1, server.refused(ControlRefusal.TOO_LONG));
            assertEquals(3, server.refused(ControlRefusal.BAD_REQUEST));
            // The same counts, as counters and the metrics read them from the server.
            java.util.Map<String, Long> recorded = new java.util.TreeMap<>();
            server.recordInto(
                    (counter, value, labels) -> recorded.put(counter.metric() + String.join(" ", labels), value));
            assertEquals(3L, recorded.get("control_connections_refusedbad-request"));
            assertEquals(1L, recorded.get("control_connections_refusedtimeout"));
            assertEquals(0L, recorded.get("control_connections_refusedbusy"), "every reason, zero or not");
            assertEquals(server.served(), recorded.get("control_requests_answered"));
        }
    }

    @Test
    void aHandlerThatThrowsGivesExit70AndTheNextRequestIsServed() throws Exception {
        Path socket = dir.resolve("mcgate.sock");
        RequestHandler flaky = r -> {
            if (r.command().equals("routes")) {
                throw new IllegalStateException("boom");
            }
            return echo(r);
        };
        try (ControlServer server = ControlServer.start(socket, flaky, LIMITS)) {
            ControlResponse failed =
                    ControlClient.exchange(socket, new ControlRequest(true, "routes", Optional.empty()), CLIENT);
            assertEquals(70, failed.exitCode());
            assertTrue(((String) MiniJson.at(MiniJson.parse(failed.body()), "error")).contains("boom"));
            assertEquals(
                    0,
                    ControlClient.exchange(socket, new ControlRequest(false, "status", Optional.empty()), CLIENT)
                            .exitCode());
        }
    }

    @Test
    void whenEveryWorkerStaysBusyTheClientGetsTheBusyAnswerNotABrokenPipe() throws Exception {
        Path socket = dir.resolve("mcgate.sock");
        // Silent clients hold both workers for 5 s, far beyond the server's wait for a free one.
        ControlServer.Limits slow = new ControlServer.Limits(64, Duration.ofSeconds(5), Duration.ofSeconds(5), 2);
        try (ControlServer server = ControlServer.start(socket, this::echo, slow);
                SocketChannel first = SocketChannel.open(UnixDomainSocketAddress.of(socket));
                SocketChannel second = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            ControlResponse busy =
                    ControlClient.exchange(socket, new ControlRequest(false, "status", Optional.empty()), CLIENT);
            assertEquals(ControlResponse.UNAVAILABLE, busy.exitCode());
            assertTrue(busy.body().contains("busy with 2 other control requests"), busy.body());
            assertEquals(1, server.refused(ControlRefusal.BUSY));
            // While the workers stay stuck, the next client is told so too (at once: the wait is once a second).
            assertEquals(
                    ControlResponse.UNAVAILABLE,
                    ControlClient.exchange(socket, new ControlRequest(false, "status", Optional.empty()), CLIENT)
                            .exitCode());
            assertEquals(2, server.refused(ControlRefusal.BUSY));
            assertTrue(seen.isEmpty(), "the handler was not called: " + seen);
        }
    }

    @Test
    void theClientSaysClearlyWhenNoDaemonIsThere() throws Exception {
        Path missing = dir.resolve("none.sock");
        ControlClient.UnavailableException e = assertThrows(
                ControlClient.UnavailableException.class,
                () -> ControlClient.exchange(missing, new ControlRequest(false, "status", Optional.empty()), CLIENT));
        assertTrue(e.getMessage().startsWith("mcgate is not running: no control socket at " + missing), e.getMessage());

        Path stale = dir.resolve("stale.sock");
        ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        dead.bind(UnixDomainSocketAddress.of(stale));
        dead.close();
        e = assertThrows(
                ControlClient.UnavailableException.class,
                () -> ControlClient.exchange(stale, new ControlRequest(false, "status", Optional.empty()), CLIENT));
        assertTrue(e.getMessage().contains("nothing answers on " + stale), e.getMessage());
    }
}
