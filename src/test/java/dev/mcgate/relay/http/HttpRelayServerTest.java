package dev.mcgate.relay.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.config.HttpRelayConfig;
import dev.mcgate.config.ListenAddress;
import dev.mcgate.config.PrefixFilter;
import dev.mcgate.counters.CounterReadings;
import dev.mcgate.daemon.CounterCatalog;
import dev.mcgate.net.IpAddress;
import dev.mcgate.net.IpPrefix;
import dev.mcgate.proxy.InterfaceFilter;
import dev.mcgate.relay.LocalMemberships;
import dev.mcgate.relay.RelayPort;
import dev.mcgate.time.EventLoop;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The relay's server on loopback with a real event loop: refusals answered and never joined (filters, allow-list,
 * both limits), a stream's head and payloads (UDP and RTP), and the leave when the client goes. No root, no sleep:
 * every wait is a socket read or a queue poll with a timeout.
 */
class HttpRelayServerTest {

    private static final IpAddress G = IpAddress.parse("239.1.1.1");
    private static final IpAddress G2 = IpAddress.parse("239.1.1.2");
    private static final java.nio.charset.Charset UTF = StandardCharsets.UTF_8;
    private static final IpAddress DENIED = IpAddress.parse("239.9.9.9");

    private final EventLoop loop = new EventLoop("test-loop", 1024).start();
    private final RelayPort port = new RelayPort(HttpRelayConfig.INTERFACE_NAME, 65535, System::nanoTime);
    /** What the proxy heard: "group subscription". */
    private final BlockingQueue<String> told = new LinkedBlockingQueue<>();

    /** The server's clock (deadlines, the join rate), moved by hand. */
    private final AtomicLong clock = new AtomicLong();

    private LocalMemberships book;
    private HttpRelayServer server;
    private int httpPort;

    /** The limits a test sets; the rest large enough not to matter. */
    private record Limits(
            int maxClients,
            int perGroup,
            int perAddress,
            int maxGroups,
            int joinRate,
            Duration linger,
            long queueBytes,
            long budget) {
        static Limits of(int maxClients, int perGroup) {
            return new Limits(maxClients, perGroup, 100, 1000, 1000, Duration.ZERO, 1 << 20, 1L << 30);
        }
    }

    private void start(List<String> allow, int maxClients, int perGroup) throws IOException {
        start(allow, Limits.of(maxClients, perGroup));
    }

    private void start(List<String> allow, Limits l) throws IOException {
        start(allow, l, Listener.Acceptor.REAL, Duration.ofSeconds(5));
    }

    /** On this accept() and with this rebind wait. */
    private void start(List<String> allow, Limits l, Listener.Acceptor acceptor, Duration rebindWait)
            throws IOException {
        httpPort = freePort();
        book = new LocalMemberships(
                HttpRelayConfig.INTERFACE_NAME, loop, (n, g, s) -> told.add(g + " " + s), port, l.linger());
        server = HttpRelayServer.start(
                loop,
                book,
                settings(new ListenAddress("127.0.0.1", httpPort), allow, l),
                clock::get,
                acceptor,
                rebindWait);
    }

    private static int freePort() throws IOException {
        try (ServerSocket free = new ServerSocket(0)) {
            return free.getLocalPort();
        }
    }

    private static HttpRelayServer.Settings settings(ListenAddress at, List<String> allow, Limits l) {
        HttpRelayConfig c = new HttpRelayConfig(
                at,
                allow.stream().map(IpPrefix::parse).toList(),
                true,
                l.linger(),
                l.maxClients(),
                l.perGroup(),
                100_000,
                l.queueBytes(),
                l.perAddress(),
                l.joinRate(),
                Duration.ofSeconds(5),
                l.budget());
        InterfaceFilter filter = new InterfaceFilter(
                new PrefixFilter(List.of(IpPrefix.parse("224.0.0.0/4")), List.of(IpPrefix.parse(DENIED + "/32"))),
                List.of(),
                PrefixFilter.ALL_SOURCES);
        return new HttpRelayServer.Settings(c, filter, l.maxGroups());
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        loop.close();
    }

    private Socket request(String path) throws IOException {
        return request("127.0.0.1", path);
    }

    /** A request from this loopback address (127.0.0.0/8 is all local: one per pretend client host). */
    private Socket request(String from, String path) throws IOException {
        Socket s = connect(from);
        s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        return s;
    }

    private Socket connect(String from) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(from, 0));
        s.connect(new InetSocketAddress("127.0.0.1", httpPort), 5000);
        s.setSoTimeout(5000);
        return s;
    }

    /** A refusal's whole answer (the server closes after it). */
    private String refused(String path) throws IOException {
        try (Socket s = request(path)) {
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String head(InputStream in) throws IOException {
        StringBuilder out = new StringBuilder();
        while (!out.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            out.append((char) b);
        }
        return out.toString();
    }

    private void send(IpAddress group, int port, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(28 + payload.length);
        b.put((byte) 0x45).put((byte) 0).putShort((short) b.capacity()).putInt(0);
        b.put((byte) 7)
                .put((byte) 17)
                .putShort((short) 0)
                .put(IpAddress.parse("10.0.0.1").toBytes());
        b.put(group.toBytes()).putShort((short) 4000).putShort((short) port);
        b.putShort((short) (8 + payload.length)).putShort((short) 0).put(payload);
        this.port.send(b.array(), b.capacity());
    }

    private long counter(HttpRelayCounter c, String... labels) {
        var registry = CounterCatalog.newRegistry();
        registry.add(server::recordInto);
        CounterReadings r = registry.readOthers();
        return r.value(c, labels);
    }

    @Test
    void aStreamGetsItsHeadAndPayloadsAndItsLeaveFollowsItsEnd() throws Exception {
        start(List.of("127.0.0.0/8"), 10, 10);
        try (Socket s = request("/udp/" + G + ":5000")) {
            assertEquals(G + " EX{}", told.poll(5, TimeUnit.SECONDS));
            byte[] ts = new byte[188 * 7];
            for (int i = 0; i < 7; i++) {
                ts[i * 188] = 0x47;
                ts[i * 188 + 1] = (byte) i;
            }
            send(G, 5001, new byte[] {9, 9}); // another port of the group: not this client's
            send(G, 5000, ts);
            InputStream in = s.getInputStream();
            String head = head(in);
            assertTrue(head.startsWith("HTTP/1.1 200 OK\r\n"), head);
            assertTrue(head.contains("Content-Type: video/mp2t\r\n"), head);
            assertTrue(!head.contains("Content-Length"), head);
            assertArrayEquals(ts, in.readNBytes(ts.length));
        }
        assertEquals(G + " IN{}", told.poll(5, TimeUnit.SECONDS), "the client went: its group left (linger 0)");
    }

    @Test
    void rtpHeadersAreTakenOffAndWhatIsNotRtpIsCounted() throws Exception {
        start(List.of("127.0.0.0/8"), 10, 10);
        try (Socket s = request("/rtp/" + G + ":5004")) {
            told.poll(5, TimeUnit.SECONDS);
            send(G, 5004, new byte[] {0x47, 1, 2, 3}); // not RTP
            byte[] rtp = new byte[12 + 4 + 3];
            rtp[0] = (byte) 0x81; // V=2, one CSRC
            rtp[16] = 'a';
            rtp[17] = 'b';
            rtp[18] = 'c';
            send(G, 5004, rtp);
            InputStream in = s.getInputStream();
            assertTrue(head(in).contains("Content-Type: application/octet-stream"));
            assertEquals("abc", new String(in.readNBytes(3), StandardCharsets.US_ASCII));
            assertEquals(1, counter(HttpRelayCounter.DROPS, "rtp-invalid"));
        }
    }

    @Test
    void limitsInTotalAndPerGroupAnswer503AndJoinNothing() throws Exception {
        start(List.of("127.0.0.0/8"), 2, 1);
        try (Socket first = request("/udp/" + G + ":5000")) {
            assertEquals(G + " EX{}", told.poll(5, TimeUnit.SECONDS));
            assertEquals(
                    "503 http-max-clients-per-group 1 reached for 239.1.1.1",
                    statusAndBody(refused("/udp/" + G + ":5000")));
            try (Socket second = request("/udp/" + G2 + ":5000")) {
                assertEquals(G2 + " EX{}", told.poll(5, TimeUnit.SECONDS));
                assertEquals(
                        "503 http-max-clients 2 reached",
                        statusAndBody(refused("/udp/" + IpAddress.parse("239.1.1.3") + ":5000")));
            }
        }
        assertEquals(1, counter(HttpRelayCounter.REFUSED, "max-clients"));
        assertEquals(1, counter(HttpRelayCounter.REFUSED, "max-clients-per-group"));
        assertEquals(2, counter(HttpRelayCounter.CLIENTS));
    }

    @Test
    void deniedGroupsBadUrlsAndTheStatusPage() throws Exception {
        start(List.of("127.0.0.0/8"), 10, 10);
        assertEquals("403 group 239.9.9.9 refused: group-denied", statusAndBody(refused("/udp/" + DENIED + ":1")));
        assertEquals("400 not a multicast group: 10.1.1.1", statusAndBody(refused("/udp/10.1.1.1:1")));
        assertEquals("404 no such path: use /udp/GROUP:PORT, /rtp/GROUP:PORT or /status", statusAndBody(refused("/x")));
        String json = refused("/status.json");
        assertTrue(json.startsWith("HTTP/1.1 200 OK\r\nContent-Type: application/json"), json);
        assertTrue(json.contains("\"refused\": 3"), json);
        assertNull(told.poll(200, TimeUnit.MILLISECONDS), "nothing was joined");
    }

    @Test
    void clientsOutsideTheAllowListAreRefused() throws Exception {
        start(List.of("10.0.0.0/8"), 10, 10);
        assertEquals("403 client 127.0.0.1 not in http-allow", statusAndBody(refused("/udp/" + G + ":5000")));
        assertEquals(1, counter(HttpRelayCounter.REFUSED, "client-denied"));
    }

    @Test
    void udpOnAChannelOfTsInRtpGetsTheTsAsUdpxyGivesIt() throws Exception {
        start(List.of("127.0.0.0/8"), 10, 10);
        try (Socket s = request("/udp/" + G + ":5000")) {
            told.poll(5, TimeUnit.SECONDS);
            byte[] rtp = new byte[12 + 188 * 7];
            rtp[0] = (byte) 0x80; // V=2
            rtp[1] = 33; // MP2T
            for (int i = 0; i < 7; i++) {
                rtp[12 + i * 188] = 0x47;
                rtp[12 + i * 188 + 1] = (byte) i;
            }
            awaitConsumer(G);
            send(G, 5000, rtp);
            InputStream in = s.getInputStream();
            assertTrue(head(in).contains("Content-Type: video/mp2t\r\n"));
            assertArrayEquals(java.util.Arrays.copyOfRange(rtp, 12, rtp.length), in.readNBytes(188 * 7));
        }
    }

    @Test
    void udpOnAChannelThatOnlyLooksLikeRtpGetsItsBytesUntouched() throws Exception {
        start(List.of("127.0.0.0/8"), 10, 10);
        try (Socket s = request("/udp/" + G + ":5000")) {
            told.poll(5, TimeUnit.SECONDS);
            byte[] notTs = new byte[12 + 100];
            notTs[0] = (byte) 0x80; // a version-2-like first byte, but payload type 0 and no TS after it
            notTs[20] = 7;
            awaitConsumer(G);
            send(G, 5000, notTs);
            InputStream in = s.getInputStream();
            head(in);
            assertArrayEquals(notTs, in.readNBytes(notTs.length));
        }
    }

    @Test
    void aReloadThatNarrowsHttpAllowCutsOffTheClientsItNoLongerAllows() throws Exception {
        start(List.of("127.0.0.0/8"), 10, 10);
        try (Socket kept = request("127.0.0.1", "/udp/" + G + ":5000");
                Socket cut = request("127.0.0.2", "/udp/" + G2 + ":5000")) {
            told.poll(5, TimeUnit.SECONDS);
            told.poll(5, TimeUnit.SECONDS);
            server.settings(
                    settings(new ListenAddress("127.0.0.1", httpPort), List.of("127.0.0.1/32"), Limits.of(10, 10)));
            assertEquals(0, cut.getInputStream().readAllBytes().length, "closed, nothing sent");
            assertEquals(G2 + " IN{}", told.poll(5, TimeUnit.SECONDS), "its group is left");
            assertEquals("HTTP/1.1 200 OK", probeStream(kept, G), "the one still allowed streams on");
        }
        assertEquals(1, counter(HttpRelayCounter.RELOAD_CUTS));
    }

    // Hostile clients (issue 18's security review).

    /** Reads nothing within a short wait: the server has not answered (yet). */
    private static boolean unanswered(Socket s) throws IOException {
        s.setSoTimeout(300);
        try {
            return s.getInputStream().read() == -2;
        } catch (java.net.SocketTimeoutException e) {
            return true;
        } finally {
            s.setSoTimeout(5000);
        }
    }

    @Test
    void connectionsThatNeverFinishTheirRequestAreCappedPerAddressAndInTotal() throws Exception {
        start(List.of("127.0.0.0/8"), new Limits(3, 3, 2, 1000, 1000, Duration.ZERO, 1 << 20, 1L << 30));
        try (Socket a1 = connect("127.0.0.1");
                Socket a2 = connect("127.0.0.1")) {
            assertEquals(
                    "503 http-max-clients-per-address 2 connections from 127.0.0.1 are sending their request",
                    statusAndBody(
                            new String(connect("127.0.0.1").getInputStream().readAllBytes(), UTF)));
            Socket b1 = connect("127.0.0.2");
            assertEquals(
                    "503 http-max-clients 3 connections are sending their request",
                    statusAndBody(
                            new String(connect("127.0.0.3").getInputStream().readAllBytes(), UTF)));
            assertTrue(unanswered(a1) && unanswered(b1), "those within the bounds wait for their request");
            b1.close();
        }
        assertEquals(2, counter(HttpRelayCounter.REFUSED, "max-pending-requests"));
    }

    @Test
    void aRequestDribbledByteByByteEndsTenSecondsAfterItsAcceptNotAfterItsLastByte() throws Exception {
        start(List.of("127.0.0.0/8"), 10, 10);
        try (Socket slow = connect("127.0.0.1")) {
            slow.getOutputStream().write("GET /udp/".getBytes(StandardCharsets.US_ASCII));
            // A later connection answered: the slow one was accepted before it, at time 0.
            assertTrue(refused("/status.json").startsWith("HTTP/1.1 200"));
            clock.set(Duration.ofSeconds(9).toNanos());
            server.poke();
            slow.getOutputStream().write("239.1".getBytes(StandardCharsets.US_ASCII));
            assertTrue(unanswered(slow), "still within its 10 s");
            clock.set(Duration.ofSeconds(10).toNanos() + 1);
            server.poke();
            assertEquals(
                    "408 no whole request within 10 s",
                    statusAndBody(new String(slow.getInputStream().readAllBytes(), UTF)));
        }
        assertEquals(1, counter(HttpRelayCounter.REFUSED, "timeout"));
    }

    @Test
    void aSilentGroupIsAnswered504AfterTheFirstDatagramTimeoutAndLeft() throws Exception {
        start(List.of("127.0.0.0/8"), 1, 1);
        try (Socket s = request("/udp/" + G + ":5000")) {
            assertEquals(G + " EX{}", told.poll(5, TimeUnit.SECONDS));
            clock.set(Duration.ofSeconds(5).toNanos() - 1);
            server.poke();
            assertTrue(unanswered(s), "within its 5 s");
            clock.set(Duration.ofSeconds(5).toNanos());
            server.poke();
            assertEquals(
                    "504 239.1.1.1:5000 sent nothing in time",
                    statusAndBody(new String(s.getInputStream().readAllBytes(), UTF)));
        }
        assertEquals(G + " IN{}", told.poll(5, TimeUnit.SECONDS), "its group is left");
        assertEquals(0, server.clientsNow(), "its slot is free");
        assertEquals(1, counter(HttpRelayCounter.REFUSED, "no-data"));
    }

    @Test
    void oneAddressCannotTakeEveryStreamingSlot() throws Exception {
        start(List.of("127.0.0.0/8"), new Limits(10, 10, 1, 1000, 1000, Duration.ZERO, 1 << 20, 1L << 30));
        try (Socket first = request("/udp/" + G + ":5000")) {
            assertEquals(G + " EX{}", told.poll(5, TimeUnit.SECONDS));
            assertEquals(
                    "503 http-max-clients-per-address 1 reached for 127.0.0.1",
                    statusAndBody(refused("/udp/" + G2 + ":5000")));
            try (Socket other = request("127.0.0.2", "/udp/" + G2 + ":5000")) {
                assertEquals(G2 + " EX{}", told.poll(5, TimeUnit.SECONDS), "another address still may");
            }
        }
        assertEquals(1, counter(HttpRelayCounter.REFUSED, "max-clients-per-address"));
    }

    @Test
    void zappingIsBoundedByMaxGroupsLingeringIncludedAndJoinsNothingBeyond() throws Exception {
        start(List.of("127.0.0.0/8"), new Limits(1, 1, 10, 2, 1000, Duration.ofMinutes(1), 1 << 20, 1L << 30));
        for (IpAddress g : List.of(G, G2)) {
            try (Socket s = request("/udp/" + g + ":5000")) {
                assertEquals(g + " EX{}", told.poll(5, TimeUnit.SECONDS));
            }
            awaitNoClient();
        }
        // Both linger for a minute: a third group is refused, a held one is not.
        assertEquals(
                "503 the relay holds max-groups 2 groups (lingering ones included); try again later",
                statusAndBody(refused("/udp/239.1.1.3:5000")));
        awaitNoClient();
        try (Socket again = request("/udp/" + G + ":5000")) {
            assertEquals("HTTP/1.1 200 OK", probeStream(again, G));
        }
        assertNull(told.poll(200, TimeUnit.MILLISECONDS), "nothing new joined, nothing left");
        assertEquals(1, counter(HttpRelayCounter.REFUSED, "max-groups"));
    }

    @Test
    void newGroupsAreJoinedAtMostAtTheJoinRate() throws Exception {
        start(List.of("127.0.0.0/8"), new Limits(1, 1, 10, 1000, 2, Duration.ZERO, 1 << 20, 1L << 30));
        for (IpAddress g : List.of(G, G2)) {
            try (Socket s = request("/udp/" + g + ":5000")) {
                assertEquals(g + " EX{}", told.poll(5, TimeUnit.SECONDS));
            }
            assertEquals(g + " IN{}", told.poll(5, TimeUnit.SECONDS));
            awaitNoClient();
        }
        assertEquals(
                "503 more than http-join-rate 2 new groups a second", statusAndBody(refused("/udp/239.1.1.3:5000")));
        assertNull(told.poll(200, TimeUnit.MILLISECONDS), "refused: nothing joined");
        awaitNoClient();
        clock.addAndGet(Duration.ofMillis(500).toNanos());
        try (Socket s = request("/udp/239.1.1.3:5000")) {
            assertEquals("239.1.1.3 EX{}", told.poll(5, TimeUnit.SECONDS), "half a second later: one more token");
        }
        assertEquals(1, counter(HttpRelayCounter.REFUSED, "join-rate"));
    }

    @Test
    void overTheGlobalBudgetTheClientWithTheMostQueuedIsCutAndTheOthersStream() throws Exception {
        start(List.of("127.0.0.0/8"), new Limits(10, 10, 10, 1000, 1000, Duration.ZERO, 1L << 30, 2L << 20));
        Socket hog = new Socket();
        hog.setReceiveBufferSize(4096); // it never reads: what the kernel does not hold queues in the relay
        hog.connect(new InetSocketAddress("127.0.0.1", httpPort), 5000);
        hog.setSoTimeout(5000);
        hog.getOutputStream().write(("GET /udp/" + G + ":5000 HTTP/1.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        try (hog;
                Socket reader = request("/udp/" + G2 + ":5000")) {
            told.poll(5, TimeUnit.SECONDS);
            told.poll(5, TimeUnit.SECONDS);
            byte[] ts = new byte[1316];
            ts[0] = 0x47;
            for (int i = 0; i < 4000; i++) { // 5 MB: more than the socket buffers and the 2 MB budget
                send(G, 5000, ts);
            }
            send(G2, 5000, ts);
            assertTrue(head(reader.getInputStream()).startsWith("HTTP/1.1 200"));
            assertEquals(1316, reader.getInputStream().readNBytes(1316).length);
            hog.getInputStream().readAllBytes(); // ends: the relay closed it
            assertEquals(1, counter(HttpRelayCounter.BUDGET_CUTS));
            assertEquals(1, server.clientsNow(), "the reader streams on");
            assertEquals(0, counter(HttpRelayCounter.SLOW_CLIENTS), "its own bound (1 GB) was not reached");
        }
    }

    @Test
    void aReloadThatLowersTheQueueBudgetCutsTheLargestQueueAtOnce() throws Exception {
        Limits roomy = new Limits(10, 10, 10, 1000, 1000, Duration.ZERO, 1L << 30, 1L << 30);
        start(List.of("127.0.0.0/8"), roomy);
        Socket hog = new Socket();
        hog.setReceiveBufferSize(4096); // it never reads: what the kernel does not hold queues in the relay
        hog.connect(new InetSocketAddress("127.0.0.1", httpPort), 5000);
        hog.setSoTimeout(5000);
        hog.getOutputStream().write(("GET /udp/" + G + ":5000 HTTP/1.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        try (hog;
                Socket reader = request("/udp/" + G2 + ":5000")) {
            told.poll(5, TimeUnit.SECONDS);
            told.poll(5, TimeUnit.SECONDS);
            awaitConsumer(G);
            byte[] ts = new byte[1316];
            ts[0] = 0x47;
            for (int i = 0; i < 4000; i++) { // 5 MB: more than the socket buffers, within the 1 GB budget
                send(G, 5000, ts);
            }
            send(G2, 5000, ts);
            assertTrue(head(reader.getInputStream()).startsWith("HTTP/1.1 200"));
            assertEquals(1316, reader.getInputStream().readNBytes(1316).length);
            assertEquals(0, counter(HttpRelayCounter.BUDGET_CUTS), "within its budget");
            assertEquals(2, server.clientsNow());

            Limits tight = new Limits(10, 10, 10, 1000, 1000, Duration.ZERO, 1L << 30, 2L << 20);
            server.settings(settings(new ListenAddress("127.0.0.1", httpPort), List.of("127.0.0.0/8"), tight));
            hog.getInputStream().readAllBytes(); // ends: the relay closed it, with no datagram after the reload
            assertEquals(1, counter(HttpRelayCounter.BUDGET_CUTS));
            assertEquals(1, server.clientsNow(), "the reader streams on");
        }
    }

    @Test
    void aReloadFromLoopbackToTheWildcardOnTheSamePortRebindsAndKeepsItsClients() throws Exception {
        start(List.of("127.0.0.0/8"), 10, 10);
        try (Socket streaming = request("/udp/" + G + ":5000")) {
            assertEquals(G + " EX{}", told.poll(5, TimeUnit.SECONDS));
            server.rebind(new ListenAddress("0.0.0.0", httpPort));
            try (Socket viaOtherAddress = new Socket()) {
                viaOtherAddress.connect(new InetSocketAddress("127.0.0.2", httpPort), 5000); // only the wildcard has it
                viaOtherAddress.setSoTimeout(5000);
                viaOtherAddress.getOutputStream().write("GET /x HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                assertTrue(head(viaOtherAddress.getInputStream()).startsWith("HTTP/1.1 404"));
            }
            assertEquals("HTTP/1.1 200 OK", probeStream(streaming, G), "the client streaming goes on");
        }
    }

    @Test
    void aConflictingRebindThatCannotBindGoesBackToTheOldAddress() throws Exception {
        start(List.of("127.0.0.0/8"), 10, 10);
        try (ServerSocket squatter = new ServerSocket()) {
            squatter.bind(new InetSocketAddress("127.0.0.2", httpPort)); // the wildcard on that port cannot be bound
            IOException e =
                    assertThrows(IOException.class, () -> server.rebind(new ListenAddress("0.0.0.0", httpPort)));
            assertTrue(e.getMessage().contains("0.0.0.0:" + httpPort), e.getMessage());
        }
        assertEquals("404 no such path: use /udp/GROUP:PORT, /rtp/GROUP:PORT or /status", statusAndBody(refused("/x")));
    }

    @Test
    void aRebindToAnAddressInUseFailsAndTheOldAddressServesOn() throws Exception {
        start(List.of("127.0.0.0/8"), 10, 10);
        try (Socket streaming = request("/udp/" + G + ":5000");
                ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            assertEquals(G + " EX{}", told.poll(5, TimeUnit.SECONDS));
            ListenAddress busy = new ListenAddress("127.0.0.1", taken.getLocalPort());
            IOException e = assertThrows(IOException.class, () -> server.rebind(busy));
            assertTrue(e.getMessage().startsWith("http-listen " + busy + ": "), e.getMessage());
            assertEquals(httpPort, server.boundAddress().getPort());
            assertEquals(
                    "404 no such path: use /udp/GROUP:PORT, /rtp/GROUP:PORT or /status", statusAndBody(refused("/x")));
            assertEquals("HTTP/1.1 200 OK", probeStream(streaming, G), "the client streaming goes on");
        }
    }

    @Test
    void aRebindTheServerThreadDoesNotTakeInTimeIsCancelledAndNeverHappensLater() throws Exception {
        CountDownLatch inAccept = new CountDownLatch(1);
        CountDownLatch goOn = new CountDownLatch(1);
        AtomicBoolean holdOnce = new AtomicBoolean(true);
        Listener.Acceptor holding = from -> {
            if (holdOnce.getAndSet(false)) {
                inAccept.countDown();
                try {
                    goOn.await(); // the server thread is busy: it takes no task meanwhile
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return from.accept();
        };
        start(List.of("127.0.0.0/8"), Limits.of(10, 10), holding, Duration.ofMillis(200));
        int elsewhere = freePort();
        ListenAddress next = new ListenAddress("127.0.0.1", elsewhere);
        try (Socket first = connect("127.0.0.1")) {
            assertTrue(inAccept.await(5, TimeUnit.SECONDS));
            IOException e = assertThrows(IOException.class, () -> server.rebind(next));
            assertEquals(
                    "http-listen " + next + ": the server thread did not take it in 200 ms (cancelled)",
                    e.getMessage());
            assertThrows(ConnectException.class, () -> connectTo(elsewhere), "the new address is given back");
            goOn.countDown();
            // Its answer comes a turn after the one that held the switch task: the task has run by then.
            first.getOutputStream().write("GET /x HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertTrue(statusAndBody(new String(first.getInputStream().readAllBytes(), UTF))
                    .startsWith("404 "));
        }
        assertEquals(httpPort, server.boundAddress().getPort(), "still on the old address");
        assertThrows(ConnectException.class, () -> connectTo(elsewhere), "the cancelled switch did not happen later");
        assertTrue(statusAndBody(refused("/x")).startsWith("404 "));
        server.rebind(next);
        assertEquals(elsewhere, server.boundAddress().getPort(), "a later rebind to it is taken");
    }

    private static void connectTo(int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        }
    }

    @Test
    void acceptFailingOutOfDescriptorsPausesAcceptingForASecondThenResumes() throws Exception {
        AtomicInteger accepts = new AtomicInteger();
        AtomicBoolean failOnce = new AtomicBoolean(true);
        Listener.Acceptor emfile = from -> {
            accepts.incrementAndGet();
            if (failOnce.getAndSet(false)) {
                throw new IOException("Too many open files");
            }
            return from.accept();
        };
        start(List.of("127.0.0.0/8"), Limits.of(10, 10), emfile, Duration.ofSeconds(5));
        try (Socket waiting = request("/x")) {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (counter(HttpRelayCounter.ACCEPT_FAILURES) == 0 && System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            assertEquals(1, counter(HttpRelayCounter.ACCEPT_FAILURES));
            clock.set(Listener.ACCEPT_PAUSE_NANOS - 1);
            server.poke();
            assertTrue(unanswered(waiting), "not accepted during the pause");
            assertEquals(1, accepts.get(), "accept() not tried again during the pause: the thread does not spin");
            clock.set(Listener.ACCEPT_PAUSE_NANOS);
            server.poke();
            assertTrue(
                    statusAndBody(new String(waiting.getInputStream().readAllBytes(), UTF))
                            .startsWith("404 "),
                    "accepted once the pause is over");
        }
        assertEquals(1, counter(HttpRelayCounter.ACCEPT_FAILURES));
    }

    @Test
    void anErrorOnTheServerThreadIsNotCaughtAndReachesTheProcesssHandler() throws Exception {
        Error bug = new StackOverflowError("a bug on the server thread");
        BlockingQueue<String> uncaught = new LinkedBlockingQueue<>();
        // A thread without a handler of its own hands what ends it to its group, whose default passes it to the
        // process's (the daemon's FatalThreadHandler): this group stands in for both, the process's left alone.
        ThreadGroup group = new ThreadGroup("http-test") {
            @Override
            public void uncaughtException(Thread t, Throwable e) {
                uncaught.add(t.getName() + " " + e);
            }
        };
        AtomicReference<Exception> failed = new AtomicReference<>();
        Thread starter = new Thread(
                group,
                () -> {
                    try {
                        start(
                                List.of("127.0.0.0/8"),
                                Limits.of(10, 10),
                                from -> {
                                    throw bug;
                                },
                                Duration.ofSeconds(5));
                    } catch (Exception e) {
                        failed.set(e);
                    }
                },
                "starter"); // the server thread is made on it, in its group
        starter.start();
        starter.join(5000);
        assertNull(failed.get());
        try (Socket s = connect("127.0.0.1")) {
            assertEquals("mcgate-http " + bug, uncaught.poll(5, TimeUnit.SECONDS));
        }
    }

    /** The head of a stream once its group sends. */
    private String probeStream(Socket s, IpAddress g) throws Exception {
        awaitConsumer(g);
        send(g, 5000, new byte[] {0x47, 0, 0, 0});
        return head(s.getInputStream()).lines().findFirst().orElse("");
    }

    /** The join is the loop's, after the server read the request: what is sent before it reaches nobody. */
    private void awaitConsumer(IpAddress g) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (loop.call("t", () -> book.consumers(g, null), Duration.ofSeconds(5)) == 0 && System.nanoTime() < until) {
            Thread.onSpinWait();
        }
    }

    /** The server has released the last client (its close is seen on the server thread after the socket's). */
    private void awaitNoClient() {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (server.clientsNow() > 0 && System.nanoTime() < until) {
            Thread.onSpinWait();
        }
        assertEquals(0, server.clientsNow());
    }

    /** "CODE BODY" of a short answer, the body's line end taken off. */
    private static String statusAndBody(String answer) {
        String code = answer.substring("HTTP/1.1 ".length(), "HTTP/1.1 ".length() + 3);
        return code + " " + answer.substring(answer.indexOf("\r\n\r\n") + 4).strip();
    }
}
