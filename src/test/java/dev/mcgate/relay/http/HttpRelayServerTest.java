package dev.mcgate.relay.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
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
    private static final IpAddress DENIED = IpAddress.parse("239.9.9.9");

    private final EventLoop loop = new EventLoop("test-loop", 1024).start();
    private final RelayPort port = new RelayPort(HttpRelayConfig.INTERFACE_NAME, 65535, System::nanoTime);
    /** What the proxy heard: "group subscription". */
    private final BlockingQueue<String> told = new LinkedBlockingQueue<>();

    private final LocalMemberships book = new LocalMemberships(
            HttpRelayConfig.INTERFACE_NAME, loop, (n, g, s) -> told.add(g + " " + s), port, Duration.ZERO);
    private HttpRelayServer server;
    private int httpPort;

    private void start(List<String> allow, int maxClients, int perGroup) throws IOException {
        try (ServerSocket free = new ServerSocket(0)) {
            httpPort = free.getLocalPort();
        }
        HttpRelayConfig c = new HttpRelayConfig(
                new ListenAddress("127.0.0.1", httpPort),
                allow.stream().map(IpPrefix::parse).toList(),
                true,
                Duration.ZERO,
                maxClients,
                perGroup,
                16);
        InterfaceFilter filter = new InterfaceFilter(
                new PrefixFilter(List.of(IpPrefix.parse("224.0.0.0/4")), List.of(IpPrefix.parse(DENIED + "/32"))),
                List.of(),
                PrefixFilter.ALL_SOURCES);
        server = HttpRelayServer.start(loop, book, new HttpRelayServer.Settings(c, filter));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        loop.close();
    }

    private Socket request(String path) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", httpPort), 5000);
        s.setSoTimeout(5000);
        s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
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

    /** "CODE BODY" of a short answer, the body's line end taken off. */
    private static String statusAndBody(String answer) {
        String code = answer.substring("HTTP/1.1 ".length(), "HTTP/1.1 ".length() + 3);
        return code + " " + answer.substring(answer.indexOf("\r\n\r\n") + 4).strip();
    }
}
