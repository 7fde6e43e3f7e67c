package dev.mcgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.cli.CommandLineTest;
import dev.mcgate.net.Ip4;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * mcgate tunnels follow reload and wait for their address, between two gateways across a unicast-only transit
 * ({@link McgateTunnelLab}): a change beside the session takes effect without losing a datagram, removing the tunnel
 * stops the flow and adding it back restores it without a restart, and a gateway started before its local address
 * exists opens the tunnel once the address is added.
 */
@EndToEnd
class TunnelReloadE2ETest {

    private static final long START_MS = 20_000;
    private static final int PORT = 5001;
    /** A keepalive on the transit: the tunnel's 32 octets and nothing inside. */
    private static final int KEEPALIVE_MESSAGE = 32;

    @TempDir
    Path dir;

    private Path write(String name, String text) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    private Process startGateway(McgateTunnelLab lab, String ns, Path config, String log) throws Exception {
        Process p = lab.start(ns, dir.resolve(log), "run", "-c", config.toString());
        TestLab.awaitText(dir.resolve(log), "running; stop with SIGTERM", START_MS);
        return p;
    }

    private Path socket(String log) {
        return TestLab.controlSocketFor(dir.resolve(log));
    }

    /** Writes the gateway's file anew and reloads it through its control socket; returns the change lines. */
    private List<String> reload(Path config, String text, String log) throws Exception {
        Files.writeString(config, text);
        CommandLineTest.Run r = CommandLineTest.mcgate(
                "reload", "--json", "--socket", socket(log).toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        List<Object> changes = dev.mcgate.control.MiniJson.array(
                dev.mcgate.control.MiniJson.at(dev.mcgate.control.MiniJson.parse(r.out()), "changes"));
        return changes.stream().map(String.class::cast).toList();
    }

    private void sender(McgateTunnelLab lab, Ip4 group, int rate) throws Exception {
        lab.start(
                lab.src,
                dir.resolve("send.log"),
                "lab",
                "send",
                "-g",
                group.toString(),
                "-r",
                Integer.toString(rate),
                "--size",
                "1316",
                "--ttl",
                "8",
                "-d",
                "120s",
                "-q");
    }

    private Path transitCapture(McgateTunnelLab lab) throws Exception {
        Path out = dir.resolve("transit.txt");
        lab.startCommand(
                lab.transit,
                out,
                "tcpdump",
                "-i",
                "b0",
                "-n",
                "-l",
                "-q",
                "--immediate-mode",
                "-tt",
                "udp and src host 10.9.1.1 and dst port 7400");
        Thread.sleep(1000); // tcpdump attaches its filter
        return out;
    }

    private static double now() {
        return System.currentTimeMillis() / 1000.0;
    }

    private static long handshakes(Path socket) {
        return ((Double) TunnelE2ETest.tunnelStatus(socket).get("handshakes")).longValue();
    }

    @Test
    void settingsChangedBesideTheSessionTakeEffectWithoutLosingADatagram() throws Exception {
        Ip4 group = Ip4.parse("239.21.0.1");
        try (McgateTunnelLab lab = new McgateTunnelLab(dir)) {
            String aTunnel = "    keepalive 500ms\n    dead-interval 2s\n    mtu 1500";
            String bTunnel = "    keepalive 500ms\n    dead-interval 2s\n    ttl 5";
            Path a = write("a.conf", lab.gatewayAConfig(aTunnel));
            Path b = write("b.conf", lab.gatewayBConfig(bTunnel));
            Process gwa = startGateway(lab, lab.gwa, a, "a.log");
            Process gwb = startGateway(lab, lab.gwb, b, "b.log");
            TunnelE2ETest.awaitTunnel(TestLab.controlSocketFor(dir.resolve("b.log")), "up", START_MS);
            TunnelE2ETest.awaitTunnel(TestLab.controlSocketFor(dir.resolve("a.log")), "up", START_MS);
            int rate = 1000;
            int count = 6 * rate;
            sender(lab, group, rate);
            // The wire at rx1: when each datagram arrived, for the largest gap across the reloads.
            Path wire = dir.resolve("rx1-wire.txt");
            lab.startCommand(
                    lab.rx1,
                    wire,
                    "tcpdump",
                    "-i",
                    "eth0",
                    "-n",
                    "-l",
                    "-q",
                    "--immediate-mode",
                    "-tt",
                    "udp and dst port " + PORT);
            Path json = dir.resolve("rx1.json");
            Process receiver = lab.start(
                    lab.rx1,
                    dir.resolve("rx1.log"),
                    "lab",
                    "receive",
                    "-g",
                    group.toString(),
                    "-i",
                    "eth0",
                    "-c",
                    Integer.toString(count),
                    "-d",
                    "40s",
                    "--idle-timeout",
                    "3s",
                    "--json",
                    json.toString(),
                    "-q");
            // Its join went through B to A (a JVM's start and the first native call take a while here): the stream
            // reaches it from now on.
            TestLab.awaitText(dir.resolve("a.log"), "upstream lan0: joining " + group, START_MS);
            awaitFlow(socket("b.log"), group);
            long aSessions = handshakes(socket("a.log"));
            long bSessions = handshakes(socket("b.log"));
            Thread.sleep(1000);
            // Mid-stream: B (the receiving side) rewrites the TTL from now on; A sends with a new MTU and keepalive.
            double bFrom = now();
            long bAt = System.nanoTime();
            List<String> bChanges = reload(b, lab.gatewayBConfig(bTunnel.replace("ttl 5", "ttl 20")), "b.log");
            double bReloadMs = (System.nanoTime() - bAt) / 1e6;
            double bTo = now();
            Thread.sleep(1000);
            double aFrom = now();
            long aAt = System.nanoTime();
            List<String> aChanges = reload(
                    a, lab.gatewayAConfig(aTunnel.replace("500ms", "400ms").replace("1500", "1450")), "a.log");
            double aReloadMs = (System.nanoTime() - aAt) / 1e6;
            double aTo = now();
            assertTrue(receiver.waitFor(40, TimeUnit.SECONDS));
            String result = Files.readString(json);
            List<Double> arrivals = arrivals(wire);

            System.out.printf(
                    "figures: reload of B (ttl 5 -> 20) took %.0f ms, of A (keepalive, mtu) %.0f ms, during "
                            + "a %d-datagram stream at %d/s; largest gap between two datagrams on rx1's wire: %.1f ms during "
                            + "B's reload, %.1f ms during A's, %.1f ms in the whole capture (%d datagrams); rx1: %s%n",
                    bReloadMs,
                    aReloadMs,
                    count,
                    rate,
                    largestGapMs(arrivals, bFrom, bTo),
                    largestGapMs(arrivals, aFrom, aTo),
                    largestGapMs(arrivals, 0, Double.MAX_VALUE),
                    arrivals.size(),
                    result.replace('\n', ' '));
            assertEquals(List.of("tunnel tun0: changed ttl 5 -> 20; in place, session kept"), bChanges);
            assertEquals(
                    List.of("tunnel tun0: changed keepalive 500ms -> 400ms, mtu 1500 -> 1450; in place, session "
                            + "kept"),
                    aChanges);
            assertEquals(count, DaemonForwardingE2ETest.number(result, "received"), result);
            assertEquals(0, DaemonForwardingE2ETest.number(result, "lost"), result);
            assertEquals(0, DaemonForwardingE2ETest.number(result, "duplicated"), result);
            assertEquals(0, DaemonForwardingE2ETest.number(result, "reordered"), result);
            // The TTL B sets: 5 before its reload, 20 after (the sender's 8 less two hops would be 6).
            assertEquals(5, DaemonForwardingE2ETest.number(result, "ttlMin"), result);
            assertEquals(20, DaemonForwardingE2ETest.number(result, "ttlMax"), result);
            assertEquals(aSessions, handshakes(socket("a.log")), "A kept its session");
            assertEquals(bSessions, handshakes(socket("b.log")), "B kept its session");
            assertTrue(gwa.isAlive() && gwb.isAlive());
        }
    }

    @Test
    void removingTheTunnelStopsTheFlowAndAddingItBackRestoresItWithoutARestart() throws Exception {
        Ip4 group = Ip4.parse("239.21.0.2");
        try (McgateTunnelLab lab = new McgateTunnelLab(dir)) {
            String tunnel = "    keepalive 500ms\n    dead-interval 2s";
            Path a = write("a.conf", lab.gatewayAConfig(tunnel));
            Path b = write("b.conf", lab.gatewayBConfig(tunnel));
            Process gwa = startGateway(lab, lab.gwa, a, "a.log");
            Process gwb = startGateway(lab, lab.gwb, b, "b.log");
            TunnelE2ETest.awaitTunnel(TestLab.controlSocketFor(dir.resolve("b.log")), "up", START_MS);
            Path transit = transitCapture(lab);
            sender(lab, group, 500);
            DatagramChannel m1 = lab.join(lab.rx1, group, PORT);
            assertTrue(McgateTunnelLab.receive(m1, 5000).isPresent(), "rx1 got nothing within 5 s of its join");
            TestLab.awaitText(dir.resolve("a.log"), "upstream lan0: joining " + group, 5000);

            // A's file loses the tunnel: its membership is withdrawn (A leaves the group upstream), the port closes.
            List<String> removed = reload(a, lab.gatewayAConfig(null), "a.log");
            double removedAt = now();
            assertEquals(List.of("tunnel tun0: removed (was downstream); closed, its memberships withdrawn"), removed);
            TestLab.awaitText(dir.resolve("a.log"), "upstream lan0: leaving " + group, 2000);
            TunnelE2ETest.awaitTunnel(TestLab.controlSocketFor(dir.resolve("b.log")), "down", 6000);
            TunnelE2ETest.drain(m1);
            assertTrue(McgateTunnelLab.receive(m1, 1000).isEmpty(), "nothing reaches rx1 without the tunnel");
            double quietTo = now();

            // Back in the file: it opens, the handshake runs, B sends its membership again and the stream returns.
            long addAt = System.nanoTime();
            List<String> added = reload(a, lab.gatewayAConfig(tunnel), "a.log");
            assertEquals(List.of("tunnel tun0: added (downstream); open"), added);
            // Not drained here: the socket was empty a moment ago, and a flowing stream would keep a drain busy.
            assertTrue(McgateTunnelLab.receive(m1, 10_000).isPresent(), "rx1 gets the stream again");
            double backMs = (System.nanoTime() - addAt) / 1e6;
            double backAt = now();
            Thread.sleep(1000);
            List<TunnelE2ETest.Seen> all = TunnelE2ETest.seen(transit);

            long dataWhileRemoved = all.stream()
                    .filter(s -> s.time() > removedAt + 0.2 && s.time() < quietTo && s.length() > KEEPALIVE_MESSAGE)
                    .count();
            long anyWhileRemoved = all.stream()
                    .filter(s -> s.time() > removedAt + 0.2 && s.time() < quietTo)
                    .count();
            long dataAfter = all.stream()
                    .filter(s -> s.time() >= backAt - 0.1 && s.length() > KEEPALIVE_MESSAGE)
                    .count();
            System.out.printf(
                    "figures: tunnel removed on A: %d messages from A on the transit in the %.1f s after it "
                            + "(%d data); re-added: the stream back at rx1 %.0f ms after the reload began, %d data messages on "
                            + "the transit in the second after%n",
                    anyWhileRemoved, quietTo - removedAt - 0.2, dataWhileRemoved, backMs, dataAfter);
            assertEquals(0, anyWhileRemoved, "A's tunnel socket is closed: nothing leaves it");
            assertTrue(dataAfter > 100, "the stream crosses the transit again: " + dataAfter);
            assertTrue(gwa.isAlive() && gwb.isAlive(), "neither gateway was restarted");
            assertEquals(1, occurrences(dir.resolve("a.log"), "running; stop with SIGTERM"));
            assertEquals(1, occurrences(dir.resolve("b.log"), "running; stop with SIGTERM"));
        }
    }

    @Test
    void aGatewayStartedBeforeItsLocalAddressExistsOpensTheTunnelWhenTheAddressAppears() throws Exception {
        Ip4 group = Ip4.parse("239.21.0.3");
        try (McgateTunnelLab lab = new McgateTunnelLab(dir)) {
            // B's wan0 without the tunnel's address, but with another one and the route to A (so only the bind fails).
            TestLab.run("ip", "-n", lab.gwb, "addr", "del", "10.9.2.1/24", "dev", "wan0");
            TestLab.run("ip", "-n", lab.gwb, "addr", "add", "10.9.2.3/24", "dev", "wan0");
            TestLab.run("ip", "-n", lab.gwb, "route", "add", "10.9.1.0/24", "via", "10.9.2.254");
            String tunnel = "    keepalive 500ms\n    dead-interval 2s";
            startGateway(lab, lab.gwa, write("a.conf", lab.gatewayAConfig(tunnel)), "a.log");
            Process gwb = startGateway(lab, lab.gwb, write("b.conf", lab.gatewayBConfig(tunnel)), "b.log");
            TestLab.awaitText(dir.resolve("b.log"), "tunnel tun0: not open: cannot bind 10.9.2.1:7400", 5000);

            Map<String, Object> waiting = TunnelE2ETest.tunnelStatus(socket("b.log"));
            assertEquals("not-open", waiting.get("state"), waiting.toString());
            assertTrue(
                    ((String) waiting.get("reason")).contains("Cannot assign requested address"), waiting.toString());
            CommandLineTest.Run text =
                    CommandLineTest.mcgate("status", "--socket", socket("b.log").toString());
            assertTrue(text.out().contains("not open: cannot bind 10.9.2.1:7400"), text.out());

            sender(lab, group, 200);
            DatagramChannel m1 = lab.join(lab.rx1, group, PORT);
            // Past two retry intervals: still one line in the log about it, not one per retry.
            Thread.sleep(11_000);
            assertTrue(McgateTunnelLab.receive(m1, 100).isEmpty(), "no tunnel, no stream");
            assertEquals(1, occurrences(dir.resolve("b.log"), "tunnel tun0: not open"));

            long addedAt = System.nanoTime();
            TestLab.run("ip", "-n", lab.gwb, "addr", "add", "10.9.2.1/24", "dev", "wan0");
            TestLab.awaitText(dir.resolve("b.log"), "tunnel tun0 (upstream): 10.9.2.1:7400 to peer", 10_000);
            double openMs = (System.nanoTime() - addedAt) / 1e6;
            TunnelE2ETest.awaitTunnel(TestLab.controlSocketFor(dir.resolve("b.log")), "up", 10_000);
            double upMs = (System.nanoTime() - addedAt) / 1e6;
            assertTrue(McgateTunnelLab.receive(m1, 10_000).isPresent(), "the stream flows once the tunnel is up");
            double flowMs = (System.nanoTime() - addedAt) / 1e6;
            System.out.printf(
                    "figures: address added on B's wan0 -> tunnel open %.0f ms, peer up %.0f ms, first "
                            + "datagram at rx1 %.0f ms (retry timer %d s)%n",
                    openMs, upMs, flowMs, dev.mcgate.daemon.Tunnels.RETRY_INTERVAL.toSeconds());
            assertTrue(
                    openMs < dev.mcgate.daemon.Tunnels.RETRY_INTERVAL.toMillis() + 3000,
                    "opened after " + openMs + " ms");
            assertEquals("up", TunnelE2ETest.tunnelStatus(socket("b.log")).get("state"));
            assertEquals(1, occurrences(dir.resolve("b.log"), "tunnel tun0: not open"));
            assertTrue(gwb.isAlive());
        }
    }

    /** Arrival times (epoch seconds) of the datagrams in a {@code tcpdump -tt} listing. */
    private static List<Double> arrivals(Path listing) throws Exception {
        return Files.readAllLines(listing).stream()
                .filter(l -> l.matches("^\\d+\\.\\d+ IP .*"))
                .map(l -> Double.parseDouble(l.substring(0, l.indexOf(' '))))
                .toList();
    }

    /** The largest gap between two arrivals that ends within [from, to] (plus 100 ms), in ms. */
    private static double largestGapMs(List<Double> arrivals, double from, double to) {
        double largest = 0;
        for (int i = 1; i < arrivals.size(); i++) {
            double t = arrivals.get(i);
            if (t >= from && t <= to + 0.1) {
                largest = Math.max(largest, (t - arrivals.get(i - 1)) * 1000);
            }
        }
        return largest;
    }

    /** Waits until the gateway forwards the group: a flow with packets in {@code mcgate routes}. */
    private static void awaitFlow(Path socket, Ip4 group) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_MS);
        while (System.nanoTime() < deadline) {
            CommandLineTest.Run r = CommandLineTest.mcgate("routes", "--json", "--socket", socket.toString());
            for (Object f : dev.mcgate.control.MiniJson.array(
                    dev.mcgate.control.MiniJson.at(dev.mcgate.control.MiniJson.parse(r.out()), "flows"))) {
                if (group.toString().equals(dev.mcgate.control.MiniJson.at(f, "group"))
                        && (Double) dev.mcgate.control.MiniJson.at(f, "packets") > 0) {
                    return;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no flow of " + group + " through " + socket);
    }

    private static int occurrences(Path file, String text) throws Exception {
        String content = Files.readString(file);
        int n = 0;
        for (int i = content.indexOf(text); i >= 0; i = content.indexOf(text, i + 1)) {
            n++;
        }
        return n;
    }
}
