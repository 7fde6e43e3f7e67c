package dev.mcgate.e2e;

import static dev.mcgate.control.MiniJson.array;
import static dev.mcgate.control.MiniJson.at;
import static dev.mcgate.control.MiniJson.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.control.ControlClient;
import dev.mcgate.control.ControlRequest;
import dev.mcgate.control.MiniJson;
import dev.mcgate.io.linux.Netns;
import dev.mcgate.lab.LabTopology;
import dev.mcgate.net.Ip4;
import dev.mcgate.packet.RecordType;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The HTTP relay end to end: {@code mcgate run} in the lab's router with {@code http-listen}, real players (ffmpeg)
 * and 200 Java clients in the receiver namespaces, the multicast from the source namespace behind the upstream, and
 * the upstream's IGMP seen on its wire. Every test prints the figures it measured (lines starting with "figures:").
 */
@EndToEnd
@Isolated
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HttpRelayE2ETest {

    private static final int HTTP_PORT = 8080;
    private static final long LINGER_MS = 2000;
    private static final int QUEUE = 256;
    private static final int PAYLOAD = 1316;
    /** The slow client's group streams this many times faster than the others (1000/s), to fill its queue soon. */
    private static final int FAST_FACTOR = 10;

    private static TestLab lab;
    private static Path dir;
    private static Path socket;
    private static Path log;
    private static Path config;
    /** IGMPv3 group records seen on the upstream wire. */
    private static UpstreamIgmpRecords upstream;

    @BeforeAll
    static void up() throws Exception {
        dir = Files.createTempDirectory("http-relay-e2e");
        lab = TestLab.up();
        config = dir.resolve("relay.conf");
        Files.writeString(config, configText(HTTP_PORT));
        log = dir.resolve("mcgate.log");
        lab.startMcgate(lab.topology().router(), log, "run", "-c", config.toString());
        TestLab.awaitText(log, "running; stop with SIGTERM", 20_000);
        socket = TestLab.controlSocketFor(log);
        // The upstream's wire, on the source's side: what mcgate reports as the host there.
        upstream = UpstreamIgmpRecords.capture(lab, lab.topology().source());
    }

    /** The daemon's configuration, listening on {@code httpPort}. */
    private static String configText(int httpPort) {
        return """
                http-listen 0.0.0.0:%d
                http-allow %s %s
                http-linger %dms
                http-client-queue %d
                http-max-clients 300
                http-max-clients-per-group 30
                # 200 clients from two addresses join 11 groups at once; the datagram bound is the one measured
                http-client-queue-bytes 1MB
                http-max-clients-per-address 300
                http-join-rate 100
                http-first-datagram-timeout 30s
                defaults {
                    query-interval 20s
                    query-response-interval 2s
                    deny-group 239.66.0.0/16
                }
                interface up0 {
                    role upstream
                }
                interface down1 {
                    role downstream
                }
                interface down2 {
                    role downstream
                }
                """.formatted(httpPort, LabTopology.RX1_LINK.subnet(), LabTopology.RX2_LINK.subnet(), LINGER_MS, QUEUE);
    }

    @AfterAll
    static void down() throws Exception {
        if (lab != null) {
            lab.close();
        }
    }

    private static String url(String path) {
        return "http://" + LabTopology.RX1_LINK.routerAddress() + ":" + HTTP_PORT + path;
    }

    @Test
    @Order(1)
    void ffmpegPlaysAnMpegTsStreamRelayedFromTheUpstream() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/ffmpeg")), "ffmpeg is not installed (.ci/deps)");
        Ip4 group = Ip4.parse("239.1.2.1");
        // The player first: the stream it gets then starts with the source's first packet (its sequence header), as
        // a channel does for a player that waits for the next key frame.
        Path playerLog = dir.resolve("ffmpeg-player.log");
        long start = System.nanoTime();
        Process player = lab.startIn(
                lab.topology().receiver(1),
                playerLog,
                "ffmpeg",
                "-v",
                "error",
                "-i",
                url("/udp/" + group + ":5000"),
                "-t",
                "5",
                "-f",
                "null",
                "-");
        upstream.await(group, RecordType.CHANGE_TO_EXCLUDE_MODE, start, 5000);
        Process source = lab.startIn(
                lab.topology().source(),
                dir.resolve("ffmpeg-source.log"),
                "ffmpeg",
                "-v",
                "error",
                "-re",
                "-f",
                "lavfi",
                "-i",
                "testsrc=size=320x240:rate=25",
                "-t",
                "30",
                "-c:v",
                "mpeg2video",
                "-g",
                "12",
                "-b:v",
                "1M",
                "-f",
                "mpegts",
                "udp://" + group + ":5000?pkt_size=" + PAYLOAD + "&ttl=8&localaddr="
                        + LabTopology.SOURCE_LINK.hostAddress());
        boolean ended = player.waitFor(30, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - start) / 1e9;
        String said = Files.readString(playerLog);
        source.destroy();
        assertTrue(ended, "the player did not end within 30 s");
        assertEquals(0, player.exitValue(), "ffmpeg: " + said);
        assertEquals("", said.strip(), "ffmpeg decoded with errors");
        System.out.printf("figures: ffmpeg decoded 5 s of the relayed stream in %.1f s, no error output%n", seconds);
    }

    @Test
    @Order(2)
    void theFirstClientJoinsUpstreamAndTheLastLeavesAfterTheLingerAZapWithinItLeavesNothing() throws Exception {
        Ip4 group = Ip4.parse("239.1.3.1");
        String path = "/udp/" + group + ":5000";
        long t0 = System.nanoTime();
        SocketChannel first = connect(1, path);
        UpstreamIgmpRecords.Seen join = upstream.await(group, RecordType.CHANGE_TO_EXCLUDE_MODE, t0, 3000);
        SocketChannel second = connect(2, path);
        first.close();
        Thread.sleep(300);
        long lastLeft = System.nanoTime();
        second.close();
        Thread.sleep(LINGER_MS / 2);
        // A zap back within the linger: the upstream hears nothing.
        SocketChannel zap = connect(1, path);
        Thread.sleep(LINGER_MS + 500);
        assertTrue(
                upstream.of(group, RecordType.CHANGE_TO_INCLUDE_MODE, lastLeft).isEmpty(),
                "a leave went upstream though a client came back within the linger: " + upstream);
        long zapLeft = System.nanoTime();
        zap.close();
        UpstreamIgmpRecords.Seen leave =
                upstream.await(group, RecordType.CHANGE_TO_INCLUDE_MODE, zapLeft, LINGER_MS + 3000);
        double joinMs = (join.nanos() - t0) / 1e6;
        double leaveMs = (leave.nanos() - zapLeft) / 1e6;
        assertTrue(joinMs < 1000, "join upstream " + joinMs + " ms after the first client");
        assertTrue(leaveMs >= LINGER_MS - 50, "left after " + leaveMs + " ms, before the linger of " + LINGER_MS);
        assertTrue(leaveMs < LINGER_MS + 1000, "left " + leaveMs + " ms after the last client");
        System.out.printf(
                "figures: upstream join %.0f ms after the first client; leave %.0f ms after the last (linger %d ms);"
                        + " a zap within the linger: no leave%n",
                joinMs, leaveMs, LINGER_MS);
    }

    @Test
    @Order(3)
    void refusalsAreOneLineAnswersAndJoinNothing() throws Exception {
        Map<String, String> answers = new LinkedHashMap<>();
        for (String path : List.of("/udp/239.66.1.1:5000", "/udp/10.1.1.1:5000", "/udp/224.0.0.5:5000", "/nothing")) {
            answers.put(path, Netns.call(lab.topology().receiver(1), () -> exchange(path)));
        }
        assertTrue(answers.get("/udp/239.66.1.1:5000").startsWith("HTTP/1.1 403"), answers.toString());
        assertTrue(answers.get("/udp/10.1.1.1:5000").startsWith("HTTP/1.1 400"), answers.toString());
        assertTrue(answers.get("/udp/224.0.0.5:5000").startsWith("HTTP/1.1 400"), answers.toString());
        assertTrue(answers.get("/nothing").startsWith("HTTP/1.1 404"), answers.toString());
        assertTrue(answers.get("/udp/239.66.1.1:5000").endsWith("group 239.66.1.1 refused: group-denied\n"));
        Thread.sleep(500);
        assertTrue(!upstream.any(Ip4.parse("239.66.1.1")), "a denied group joined");
        String status = Netns.call(lab.topology().receiver(2), () -> exchange("/status.json"));
        assertTrue(status.startsWith("HTTP/1.1 200") && status.contains("\"totals\""), status);
    }

    @Test
    @Order(4)
    void twoHundredClientsOnTenGroupsGetEveryDatagramInOrderAndASlowOneIsCutOff() throws Exception {
        int groups = 10;
        int perGroup = 20;
        int count = 600; // at 100/s per group
        int fastCount = count * FAST_FACTOR; // the eleventh group, where the slow client is
        List<Ip4> gs = new ArrayList<>();
        for (int g = 0; g <= groups; g++) {
            gs.add(Ip4.parse("239.1.4." + (g + 1)));
        }
        List<Reader> readers = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            for (int c = 0; c < perGroup; c++) {
                int rx = 1 + (c % 2);
                readers.add(new Reader(g, count, connect(rx, "/udp/" + gs.get(g) + ":6000")));
            }
        }
        // The slow client's group has a reader too: it must lose nothing to its neighbour's stall.
        Reader neighbour = new Reader(groups, fastCount, connect(2, "/udp/" + gs.get(groups) + ":6000"));
        // One that never reads, with a small receive window: the relay must cut it off, not wait for it.
        SocketChannel slow = Netns.call(lab.topology().receiver(1), () -> {
            SocketChannel ch = SocketChannel.open();
            ch.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
            ch.connect(
                    new InetSocketAddress(LabTopology.RX1_LINK.routerAddress().toString(), HTTP_PORT));
            ch.write(ByteBuffer.wrap(
                    ("GET /udp/" + gs.get(groups) + ":6000 HTTP/1.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII)));
            return ch;
        });
        for (Ip4 g : gs) {
            TestLab.awaitUpstreamGroup(socket, LabTopology.UPSTREAM_IF, g, true, 5000);
        }
        Thread.sleep(300);
        List<Reader> all = new ArrayList<>(readers);
        all.add(neighbour);
        Thread reading = new Thread(() -> readAll(all), "http-clients");
        reading.start();
        long sendStart = System.nanoTime();
        send(gs, count);
        double sendSeconds = (System.nanoTime() - sendStart) / 1e9;
        reading.join(20_000);
        String routes = new dev.mcgate.lab.ControlSocketProbe(socket).text("routes");
        assertTrue(routes.contains(dev.mcgate.config.HttpRelayConfig.INTERFACE_NAME), routes);
        int complete = 0;
        List<String> problems = new ArrayList<>();
        for (Reader r : readers) {
            if (r.next == r.expected && r.outOfOrder == 0) {
                complete++;
            } else if (problems.size() < 5) {
                problems.add(
                        "group " + r.group + ": next " + r.next + ", out of order " + r.outOfOrder + ", " + r.head);
            }
        }
        assertEquals(readers.size(), complete, "clients that got every datagram in order; " + problems);

        // The slow client: what the kernel buffered for it, then the end of the stream (the relay closed it).
        long slowBytes = drainUntilClosed(slow);
        Map<String, Long> counters = counters();
        assertEquals(fastCount, neighbour.next, "the slow client's neighbour; " + counters);
        assertEquals(0, neighbour.outOfOrder, "the slow client's neighbour");
        assertEquals(1L, counters.get("http_relay_slow_clients "), counters.toString());
        assertTrue(counters.get("http_relay_drops slow-client") > 0, counters.toString());
        assertEquals(0L, counters.get("http_relay_drops rtp-invalid"));
        String status = new dev.mcgate.lab.ControlSocketProbe(socket).text("status");
        assertTrue(status.contains(", 1 disconnected as slow; "), status);
        // status --json: the clients still connected (the readers and the neighbour), by group as their URLs name it.
        Object relay = at(
                MiniJson.parse(ControlClient.exchange(
                                socket, new ControlRequest(true, "status", Optional.empty()), Duration.ofSeconds(5))
                        .body()),
                "relays",
                "http");
        assertEquals((double) readers.size() + 1, at(relay, "clients_now"), relay.toString());
        Map<String, Double> clientsByGroup = new LinkedHashMap<>();
        for (Object g : array(at(relay, "groups"))) {
            clientsByGroup.put(
                    (String) object(g).get("group"), (Double) object(g).get("clients"));
        }
        assertEquals(groups + 1, clientsByGroup.size(), clientsByGroup.toString());
        assertEquals((double) perGroup, clientsByGroup.get(gs.get(0) + ":6000"), clientsByGroup.toString());
        assertEquals(
                1.0,
                clientsByGroup.get(gs.get(groups) + ":6000"),
                "the neighbour alone on its group; " + clientsByGroup);
        long slowDatagrams = slowBytes / PAYLOAD;
        assertTrue(slowDatagrams < fastCount, "the slow client got " + slowDatagrams + " of " + fastCount);
        for (Reader r : readers) {
            r.channel.close();
        }
        System.out.printf(
                "figures: %d clients on %d groups, %d datagrams of %d B each at 100/s per group (%.1f Mbit/s out) in"
                        + " %.1f s: %d complete and in order; on an 11th group at %d/s a reader got all %d while its"
                        + " neighbour that stopped reading was cut off after %d datagrams (queue %d), %d datagrams"
                        + " dropped for it%n",
                readers.size(),
                groups,
                count,
                PAYLOAD,
                readers.size() * 100 * PAYLOAD * 8 / 1e6,
                sendSeconds,
                complete,
                100 * FAST_FACTOR,
                neighbour.next,
                slowDatagrams,
                QUEUE,
                counters.get("http_relay_drops slow-client"));
    }

    @Test
    @Order(5)
    void ipv6GroupsAnySourceAndSourceSpecificReachTheirClients() throws Exception {
        String asm = "ff1e::1:5";
        String ssm = "ff3e::1:6";
        String source = LabTopology.SOURCE_LINK.hostAddress6().toString();
        Reader any = new Reader(0, 200, connect(2, "/udp/[" + asm + "]:6000"));
        Reader specific = new Reader(1, 200, connect(2, "/udp/[" + source + "]@[" + ssm + "]:6000"));
        Thread.sleep(1000); // MLD joins take some 20 ms; the table follows in the same loop task
        Thread reading = new Thread(() -> readAll(List.of(any, specific)), "http-clients");
        reading.start();
        DatagramChannel ch = Netns.call(lab.topology().source(), () -> {
            DatagramChannel c = DatagramChannel.open(StandardProtocolFamily.INET6);
            c.setOption(StandardSocketOptions.IP_MULTICAST_IF, NetworkInterface.getByName(LabTopology.HOST_IF));
            c.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 8);
            return c;
        });
        try (ch) {
            ByteBuffer b = ByteBuffer.allocate(PAYLOAD);
            for (long seq = 0; seq < 200; seq++) {
                for (String g : List.of(asm, ssm)) {
                    b.clear();
                    b.putLong(0, seq);
                    ch.send(b, new InetSocketAddress(InetAddress.getByName(g), 6000));
                }
                java.util.concurrent.locks.LockSupport.parkNanos(2_000_000);
            }
        }
        reading.join(10_000);
        assertEquals(200, any.next, "the any-source client of " + asm + ": " + any.head);
        assertEquals(200, specific.next, "the source-specific client of " + ssm + ": " + specific.head);
        assertEquals(0, any.outOfOrder + specific.outOfOrder);
        any.channel.close();
        specific.channel.close();
        System.out.printf(
                "figures: IPv6: 200 of 200 datagrams in order to a client of [%s] and one of [%s]@[%s]%n",
                asm, source, ssm);
    }

    /** Last: it moves the relay to another port. */
    @Test
    @Order(6)
    void aReloadMovesTheListenerAndTheClientsStreamingGoOn() throws Exception {
        Ip4 group = Ip4.parse("239.1.5.1");
        int moved = HTTP_PORT + 1;
        Reader before = new Reader(0, 200, connect(1, "/udp/" + group + ":6000"));
        TestLab.awaitUpstreamGroup(socket, LabTopology.UPSTREAM_IF, group, true, 5000);
        Files.writeString(config, configText(moved));
        long at = System.nanoTime();
        String answer = ControlClient.exchange(
                        socket, new ControlRequest(false, "reload", Optional.empty()), Duration.ofSeconds(15))
                .body();
        double reloadMs = (System.nanoTime() - at) / 1e6;
        assertTrue(answer.contains("http relay: listens on 0.0.0.0:" + moved), answer);
        Reader after = new Reader(0, 200, connect(1, moved, "/udp/" + group + ":6000"));
        boolean oldPortClosed;
        try {
            connect(1, "/udp/" + group + ":6000").close();
            oldPortClosed = false;
        } catch (IOException e) {
            oldPortClosed = true;
        }
        Thread reading = new Thread(() -> readAll(List.of(before, after)), "http-clients");
        reading.start();
        send(List.of(group), 200 / FAST_FACTOR);
        reading.join(10_000);
        assertTrue(oldPortClosed, "the old port still takes connections");
        assertEquals(200, before.next, "the client from before the reload");
        assertEquals(200, after.next, "a client on the new port");
        System.out.printf(
                "figures: reload moved the relay to port %d in %.0f ms; the client connected before it got all 200"
                        + " datagrams sent after it%n",
                moved, reloadMs);
    }

    /** One streaming client of the load test: its head, then fixed-size payloads numbered from 0. */
    private static final class Reader {
        final int group;
        final long expected;
        final SocketChannel channel;
        final ByteBuffer in = ByteBuffer.allocate(256 * 1024);
        String head;
        long next;
        long outOfOrder;

        Reader(int group, long expected, SocketChannel channel) {
            this.group = group;
            this.expected = expected;
            this.channel = channel;
        }

        /** Takes what is in the buffer: the head first, then each whole payload's sequence number. */
        void consume() {
            in.flip();
            if (head == null) {
                String text = new String(in.array(), 0, in.limit(), StandardCharsets.ISO_8859_1);
                int end = text.indexOf("\r\n\r\n");
                if (end < 0) {
                    in.compact();
                    return;
                }
                head = text.substring(0, text.indexOf("\r\n"));
                in.position(end + 4);
            }
            while (in.remaining() >= PAYLOAD) {
                long seq = in.getLong(in.position());
                if (seq != next) {
                    outOfOrder++;
                }
                next = seq + 1;
                in.position(in.position() + PAYLOAD);
            }
            in.compact();
        }
    }

    private static void readAll(List<Reader> readers) {
        try (Selector selector = Selector.open()) {
            for (Reader r : readers) {
                r.channel.configureBlocking(false);
                r.channel.register(selector, SelectionKey.OP_READ, r);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            int done = 0;
            while (done < readers.size() && System.nanoTime() < deadline) {
                selector.select(200);
                for (SelectionKey k : selector.selectedKeys()) {
                    Reader r = (Reader) k.attachment();
                    if (r.channel.read(r.in) < 0) {
                        k.cancel();
                        done++;
                        continue;
                    }
                    r.consume();
                    if (r.next >= r.expected) {
                        k.cancel();
                        done++;
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Datagrams numbered 0.. from the source host behind the upstream, paced: {@code count} to each group but the
     * last at 100/s, and FAST_FACTOR times as many to the last one.
     */
    private static void send(List<Ip4> groups, int count) throws Exception {
        DatagramChannel ch = Netns.call(lab.topology().source(), () -> {
            DatagramChannel c = DatagramChannel.open(StandardProtocolFamily.INET);
            c.setOption(StandardSocketOptions.IP_MULTICAST_IF, NetworkInterface.getByName(LabTopology.HOST_IF));
            c.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 8);
            return c;
        });
        try (ch) {
            List<InetSocketAddress> to = new ArrayList<>();
            for (Ip4 g : groups) {
                to.add(new InetSocketAddress(InetAddress.getByAddress(g.toBytes()), 6000));
            }
            ByteBuffer b = ByteBuffer.allocate(PAYLOAD);
            long start = System.nanoTime();
            long ticks = (long) count * FAST_FACTOR;
            for (long tick = 0; tick < ticks; tick++) {
                long due = start + tick * 1_000_000_000L / (100L * FAST_FACTOR);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    // Parked, not spinning: the relay and the readers share this machine's two cores.
                    java.util.concurrent.locks.LockSupport.parkNanos(wait);
                }
                int last = groups.size() - 1;
                b.clear();
                b.putLong(0, tick);
                ch.send(b, to.get(last));
                if (tick % FAST_FACTOR == 0) {
                    for (int g = 0; g < last; g++) {
                        b.clear();
                        b.putLong(0, tick / FAST_FACTOR);
                        ch.send(b, to.get(g));
                    }
                }
            }
        }
    }

    private static long drainUntilClosed(SocketChannel ch) throws IOException {
        ch.socket().setSoTimeout(5000);
        ByteBuffer b = ByteBuffer.allocate(64 * 1024);
        long total = 0;
        java.io.InputStream in = ch.socket().getInputStream();
        byte[] buf = new byte[64 * 1024];
        try {
            for (int n; (n = in.read(buf)) >= 0; ) {
                total += n;
            }
        } catch (java.net.SocketException e) {
            // reset by the relay: closed all the same
        }
        ch.close();
        return total;
    }

    private static SocketChannel connect(int receiver, String path) throws IOException {
        return connect(receiver, HTTP_PORT, path);
    }

    private static SocketChannel connect(int receiver, int httpPort, String path) throws IOException {
        return Netns.call(lab.topology().receiver(receiver), () -> {
            InetSocketAddress router = new InetSocketAddress(
                    LabTopology.receiverLink(receiver).routerAddress().toString(), httpPort);
            SocketChannel ch = SocketChannel.open(router);
            ch.write(ByteBuffer.wrap(
                    ("GET " + path + " HTTP/1.1\r\nHost: router\r\n\r\n").getBytes(StandardCharsets.US_ASCII)));
            return ch;
        });
    }

    /** One request and the whole answer (the relay closes after a refusal or the status page). */
    private static String exchange(String path) throws IOException {
        try (SocketChannel ch = SocketChannel.open(
                new InetSocketAddress(LabTopology.RX1_LINK.routerAddress().toString(), HTTP_PORT))) {
            ch.write(ByteBuffer.wrap(("GET " + path + " HTTP/1.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII)));
            ch.socket().setSoTimeout(5000);
            return new String(ch.socket().getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** {@code mcgate counters --json}'s families, by name and label values joined with spaces. */
    private static Map<String, Long> counters() throws Exception {
        String body = ControlClient.exchange(
                        socket, new ControlRequest(true, "counters", Optional.empty()), Duration.ofSeconds(5))
                .body();
        Map<String, Long> out = new LinkedHashMap<>();
        for (Object f : array(at(MiniJson.parse(body), "counters"))) {
            String name = (String) object(f).get("name");
            for (Object v : array(object(f).get("values"))) {
                String labels = String.join(
                        " ",
                        object(object(v).get("labels")).values().stream()
                                .map(Object::toString)
                                .toList());
                out.put(name + " " + labels, ((Double) object(v).get("value")).longValue());
            }
        }
        return out;
    }
}
