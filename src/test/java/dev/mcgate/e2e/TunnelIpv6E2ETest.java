package dev.mcgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.net.Ip6;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mcgate tunnel carries IPv6 ({@link McgateTunnelLab} with IPv6 on the exchange and receiver LANs, the transit
 * IPv4 only): kernel MLD receivers behind B get IPv6 streams from behind A, with the hop limit one lower per gateway,
 * a remapped group under its local name with its UDP checksum right, and the leave withdraws the group.
 */
@EndToEnd
class TunnelIpv6E2ETest {

    private static final long START_MS = 20_000;
    private static final int PORT = 5001;
    private static final int HOP_LIMIT = 8;
    /** B's last-listener query time: 2 queries 300 ms apart (the lab's timers, shared by MLD). */
    private static final long LLQT_MS = 600;

    private static final Ip6 GROUP = Ip6.parse("ff1e::20:1");
    /** A group on A's side that B asks for and sends on as {@link #LOCAL_NAME}. */
    private static final Ip6 FAR_NAME = Ip6.parse("ff1e::99:1");

    private static final Ip6 LOCAL_NAME = Ip6.parse("ff1e::20:2");

    @TempDir
    Path dir;

    private Process startGateway(McgateTunnelLab lab, String ns, String config, String log) throws Exception {
        Path file = dir.resolve(log + ".conf");
        Files.writeString(file, config);
        Process p = lab.start(ns, dir.resolve(log), "run", "-c", file.toString());
        TestLab.awaitText(dir.resolve(log), "running; stop with SIGTERM", START_MS);
        return p;
    }

    private void sender(McgateTunnelLab lab, Ip6 group, String log) throws Exception {
        lab.start(
                lab.src,
                dir.resolve(log),
                "lab",
                "send",
                "-g",
                group.toString(),
                "-p",
                Integer.toString(PORT),
                "-r",
                "200",
                "--size",
                "200",
                "--hop-limit",
                Integer.toString(HOP_LIMIT),
                "-d",
                "60s",
                "-q");
    }

    /** tcpdump -v on a receiver's eth0: the IPv6 UDP datagrams on its wire, with hop limit and checksum verdict. */
    private Path capture(McgateTunnelLab lab, String ns, String name) throws Exception {
        Path out = dir.resolve(name);
        lab.startCommand(ns, out, "tcpdump", "-i", "eth0", "-n", "-l", "-v", "--immediate-mode", "ip6 and udp");
        Thread.sleep(1000); // tcpdump attaches its filter
        return out;
    }

    /**
     * Waits until both senders' groups are on the source's wire: each sender is a JVM of its own, and on a loaded
     * machine it may start later than any fixed pause, so a join timed from before it sends would measure its start.
     */
    private static void awaitSending(Path sourceWire) throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (to(seen(sourceWire), GROUP).isEmpty()
                || to(seen(sourceWire), FAR_NAME).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the senders did not start within 20 s");
            }
            Thread.sleep(50);
        }
    }

    /** One IPv6 UDP datagram on a receiver's wire. */
    record Seen(int hopLimit, String destination, boolean checksumOk) {}

    /** tcpdump -v prints the IPv6 header on one line and the addresses with the UDP verdict on the next. */
    static List<Seen> seen(Path capture) throws Exception {
        Pattern header = Pattern.compile("IP6 \\(.*hlim (\\d+), next-header UDP");
        Pattern addresses = Pattern.compile("\\S+ > ([0-9a-f:]+)\\.\\d+: \\[(udp sum ok|bad udp cksum[^]]*)]");
        List<Seen> out = new ArrayList<>();
        Integer hopLimit = null;
        for (String line : Files.readAllLines(capture)) {
            Matcher h = header.matcher(line);
            if (h.find()) {
                hopLimit = Integer.parseInt(h.group(1));
            }
            Matcher a = addresses.matcher(line);
            if (a.find() && hopLimit != null) {
                out.add(new Seen(hopLimit, a.group(1), a.group(2).equals("udp sum ok")));
                hopLimit = null;
            }
        }
        return out;
    }

    private static List<Seen> to(List<Seen> all, Ip6 group) {
        return all.stream()
                .filter(s -> s.destination().equals(group.toString()))
                .toList();
    }

    @Test
    void anIpv6GroupCrossesToAKernelMldReceiverARemappedOneUnderItsLocalNameAndTheLeaveStopsIt() throws Exception {
        try (McgateTunnelLab lab = new McgateTunnelLab(dir, true)) {
            String tunnel = "    keepalive 500ms\n    dead-interval 2s";
            startGateway(lab, lab.gwa, lab.gatewayAConfig(tunnel), "a.log");
            startGateway(
                    lab, lab.gwb, lab.gatewayBConfig(tunnel + "\n    remap " + FAR_NAME + " " + LOCAL_NAME), "b.log");
            TunnelE2ETest.awaitTunnel(TestLab.controlSocketFor(dir.resolve("a.log")), "up", START_MS);
            TunnelE2ETest.awaitTunnel(TestLab.controlSocketFor(dir.resolve("b.log")), "up", START_MS);
            Path rx1Wire = capture(lab, lab.rx1, "rx1.txt");
            Path rx2Wire = capture(lab, lab.rx2, "rx2.txt");
            Path sourceWire = capture(lab, lab.src, "src.txt");
            sender(lab, GROUP, "send1.log");
            sender(lab, FAR_NAME, "send2.log");
            awaitSending(sourceWire);
            Thread.sleep(500);
            assertTrue(to(seen(rx1Wire), GROUP).isEmpty(), "nobody joined: nothing crosses");

            long joinAt = System.nanoTime();
            DatagramChannel m1 = lab.join6(lab.rx1, GROUP, PORT);
            assertTrue(McgateTunnelLab.receive(m1, 3000).isPresent(), "rx1 got nothing within 3 s of its MLD join");
            double joinMs = (System.nanoTime() - joinAt) / 1e6;
            DatagramChannel m2 = lab.join6(lab.rx2, LOCAL_NAME, PORT);
            // The kernel hands a UDP socket only datagrams whose checksum is right: the remap kept it so.
            assertTrue(McgateTunnelLab.receive(m2, 3000).isPresent(), "rx2 got nothing of the remapped group");
            Thread.sleep(1000);

            List<Seen> atRx1 = to(seen(rx1Wire), GROUP);
            List<Seen> atRx2 = seen(rx2Wire);
            assertFalse(atRx1.isEmpty());
            assertTrue(
                    atRx1.stream().allMatch(s -> s.hopLimit() == HOP_LIMIT - 2),
                    "one less at A, one less at B: " + atRx1.get(0));
            assertTrue(atRx1.stream().allMatch(Seen::checksumOk));
            assertFalse(to(atRx2, LOCAL_NAME).isEmpty());
            assertTrue(to(atRx2, LOCAL_NAME).stream().allMatch(s -> s.checksumOk() && s.hopLimit() == HOP_LIMIT - 2));
            assertTrue(to(atRx2, FAR_NAME).isEmpty(), "the far-side name never leaves B");
            assertTrue(to(atRx2, GROUP).isEmpty(), "rx2 did not join " + GROUP);

            // rx1 leaves: after B's last-listener queries the group is withdrawn from A and stops.
            m1.close();
            Thread.sleep(LLQT_MS + 1500);
            int before = to(seen(rx1Wire), GROUP).size();
            Thread.sleep(1500);
            int after = to(seen(rx1Wire), GROUP).size();
            System.out.printf(
                    "figures: IPv6 through the tunnel: MLD join -> first datagram %.1f ms; rx1 saw %d datagrams of %s"
                            + " (hop limit %d sent, %d received), rx2 %d of the remapped %s (sent as %s); after"
                            + " the leave %d more in 1.5 s%n",
                    joinMs,
                    before,
                    GROUP,
                    HOP_LIMIT,
                    atRx1.get(0).hopLimit(),
                    to(atRx2, LOCAL_NAME).size(),
                    LOCAL_NAME,
                    FAR_NAME,
                    after - before);
            assertTrue(joinMs < 1000, "first datagram " + joinMs + " ms after the join");
            assertEquals(before, after, "nothing reaches rx1 after its leave");
            m2.close();
        }
    }
}
