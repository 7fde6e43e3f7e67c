package dev.mcgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.lab.LabTopology;
import dev.mcgate.net.Ip6;
import dev.mcgate.packet.MldDone;
import dev.mcgate.packet.MldPacket;
import dev.mcgate.packet.MldV1Report;
import dev.mcgate.packet.MldV2Query;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mcgate run} as an MLD router and IPv6 forwarder in the lab's namespaces, end to end: the receivers' kernels
 * join and leave with their own MLD host stacks (MLDv2, and MLDv1 where forced), {@code mcgate lab send} streams IPv6
 * multicast from the source, and tcpdump on the receivers' links shows what crossed. Every test prints the figures it
 * measured (lines starting with "figures:").
 */
@EndToEnd
class MldE2ETest {

    private static final long START_MS = 20_000;
    private static final int PORT = 5002;
    /** The router's timers: Last Listener Query Time = 300 ms x 2 = 600 ms. */
    private static final long LAST_LISTENER_QUERY_TIME_MS = 600;

    @TempDir
    Path dir;

    private Path config(String down1Extra, String down2Extra) throws Exception {
        Path file = dir.resolve("mcgate.conf");
        Files.writeString(file, """
                defaults {
                    query-interval 20s
                    query-response-interval 2s
                    last-member-query-interval 300ms
                    last-member-query-count 2
                }
                interface up0 {
                    role upstream
                }
                interface down1 {
                    role downstream
                %s
                }
                interface down2 {
                    role downstream
                %s
                }
                """.formatted(down1Extra, down2Extra));
        return file;
    }

    private void startRouter(TestLab lab, Path config) throws Exception {
        Path log = dir.resolve("mcgate.log");
        lab.startMcgate(lab.topology().router(), log, "run", "-c", config.toString());
        TestLab.awaitText(log, "running; stop with SIGTERM", START_MS);
    }

    /**
     * Waits until the source's own wire carries {@code group}: a sender is a JVM of its own, and on a loaded machine it
     * may take longer to start than any fixed pause, so a join timed from before it sends would measure its start.
     */
    private void awaitSending(TestLab lab, Ip6 group) throws Exception {
        Ipv6Capture wire = Ipv6Capture.start(lab, lab.topology().source(), LabTopology.HOST_IF, dir, "source-wire");
        try {
            wire.awaitUdp(
                    "the source sending " + group,
                    20_000,
                    l -> l.stream().anyMatch(d -> d.header().destination().equals(group)));
        } finally {
            wire.stop();
        }
    }

    /** {@code mcgate lab send} from the source host, quietly, for a minute at most. */
    private void send(TestLab lab, String name, Ip6 group, String... extra) throws Exception {
        List<String> command = new ArrayList<>(
                List.of("lab", "send", "-g", group.toString(), "-p", Integer.toString(PORT), "--hop-limit", "5", "-q"));
        command.addAll(List.of(extra));
        lab.startMcgate(lab.topology().source(), dir.resolve(name + ".log"), command.toArray(String[]::new));
    }

    private static List<Ipv6Capture.Datagram> to(List<Ipv6Capture.Datagram> all, Ip6 group) {
        return all.stream().filter(d -> d.header().destination().equals(group)).toList();
    }

    @Test
    void anMldv2JoinGetsTheStreamAtOnceWithTheHopLimitOneLowerAndTheLeaveStopsIt() throws Exception {
        Ip6 group = Ip6.parse("ff15::10:1");
        try (TestLab lab = TestLab.up()) {
            startRouter(lab, config("", ""));
            Ipv6Capture rx1 = Ipv6Capture.start(lab, lab.topology().receiver(1), LabTopology.HOST_IF, dir, "rx1");
            Ipv6Capture rx2 = Ipv6Capture.start(lab, lab.topology().receiver(2), LabTopology.HOST_IF, dir, "rx2");
            // mcgate's MLDv2 querier speaks on down1 from its link-local address.
            List<MldPacket> queries = rx1.awaitMld(
                    "an MLDv2 general query from mcgate",
                    5000,
                    l -> l.stream().anyMatch(p -> p.message() instanceof MldV2Query q && q.isGeneral()));
            MldPacket query = queries.stream()
                    .filter(p -> p.message() instanceof MldV2Query)
                    .findFirst()
                    .orElseThrow();
            assertTrue(query.source().isLinkLocalUnicast(), query.toString());
            assertEquals(1, query.header().hopLimit());
            assertTrue(query.hasRouterAlert());

            send(lab, "send", group, "-r", "1000", "--size", "64", "-d", "60s");
            awaitSending(lab, group);
            Thread.sleep(300);
            assertTrue(to(rx1.udp(), group).isEmpty(), "nobody joined: nothing forwarded");

            long joinAt = System.nanoTime();
            TestLab.Membership m1 = lab.join6(1, group, PORT, Optional.empty());
            assertTrue(m1.receive(1000).isPresent(), "rx1 got nothing within 1 s of its MLDv2 join");
            double joinMs = (System.nanoTime() - joinAt) / 1e6;
            Thread.sleep(500);
            // tcpdump writes a moment after the receiver has its datagram (longer on a loaded machine): wait for it.
            List<Ipv6Capture.Datagram> atRx1 = to(
                    rx1.awaitUdp(
                            "the group on rx1's wire", 5000, l -> !to(l, group).isEmpty()),
                    group);
            assertTrue(atRx1.stream().allMatch(d -> d.header().hopLimit() == 4), "hop limit one lower than 5");
            assertTrue(
                    atRx1.stream().allMatch(d -> d.header().source().equals(LabTopology.SOURCE_LINK.hostAddress6())));
            assertTrue(to(rx2.udp(), group).isEmpty(), "rx2 did not join: nothing on down2's wire");

            long leaveMicros = System.currentTimeMillis() * 1000;
            m1.close();
            Thread.sleep(LAST_LISTENER_QUERY_TIME_MS + 1500);
            List<Ipv6Capture.Datagram> after = to(rx1.udp(), group);
            long lastMicros = after.get(after.size() - 1).epochMicros();
            double stopMs = Math.max(0, lastMicros - leaveMicros) / 1000.0;
            assertTrue(
                    stopMs <= LAST_LISTENER_QUERY_TIME_MS + 200,
                    "the stream stopped " + stopMs + " ms after the leave (LLQT " + LAST_LISTENER_QUERY_TIME_MS
                            + " ms + 200 ms)");
            System.out.printf(
                    "figures: MLDv2 join to first datagram %.1f ms; leave to last datagram %.1f ms (LLQT %d ms)%n",
                    joinMs, stopMs, LAST_LISTENER_QUERY_TIME_MS);
        }
    }

    @Test
    void aDownstreamThatGetsItsLinkLocalAddressLateStartsMldThen() throws Exception {
        Ip6 group = Ip6.parse("ff15::10:5");
        Ip6 late = Ip6.parse("fe80::1:1");
        try (TestLab lab = TestLab.up()) {
            String rtr = lab.topology().router();
            TestLab.run("ip", "-n", rtr, "-6", "addr", "flush", "dev", "down1", "scope", "link");
            startRouter(lab, config("", ""));
            Ipv6Capture rx1 = Ipv6Capture.start(lab, lab.topology().receiver(1), LabTopology.HOST_IF, dir, "rx1");
            send(lab, "send", group, "-r", "500", "--size", "64", "-d", "30s");
            awaitSending(lab, group);
            Thread.sleep(1000);
            assertTrue(
                    rx1.mld().stream().noneMatch(p -> p.message() instanceof MldV2Query),
                    "no MLD querier without a link-local address");

            long addedAt = System.nanoTime();
            TestLab.run("ip", "-n", rtr, "-6", "addr", "add", late + "/64", "dev", "down1", "nodad");
            rx1.awaitMld(
                    "an MLDv2 query from the new link-local address",
                    5000,
                    l -> l.stream()
                            .anyMatch(p -> p.message() instanceof MldV2Query
                                    && p.source().equals(late)));
            double queryMs = (System.nanoTime() - addedAt) / 1e6;
            TestLab.Membership m = lab.join6(1, group, PORT, Optional.empty());
            assertTrue(m.receive(1000).isPresent(), "the join got nothing within 1 s");
            m.close();
            System.out.printf("figures: link-local address added -> first MLD query %.1f ms%n", queryMs);
        }
    }

    @Test
    void anSsmJoinGetsOnlyItsSourceAndLinkScopeTrafficIsNeverForwarded() throws Exception {
        Ip6 group = Ip6.parse("ff3e::10:2");
        Ip6 wanted = LabTopology.SOURCE_LINK.hostAddress6();
        Ip6 other = new Ip6(wanted.high(), 0x20);
        Ip6 linkScope = Ip6.parse("ff02::10:3");
        try (TestLab lab = TestLab.up()) {
            TestLab.run(
                    "ip",
                    "netns",
                    "exec",
                    lab.topology().source(),
                    "ip",
                    "-6",
                    "addr",
                    "add",
                    other + "/64",
                    "dev",
                    LabTopology.HOST_IF,
                    "nodad");
            startRouter(lab, config("", ""));
            Ipv6Capture rx1 = Ipv6Capture.start(lab, lab.topology().receiver(1), LabTopology.HOST_IF, dir, "rx1");
            Ipv6Capture upstream = Ipv6Capture.start(lab, lab.topology().source(), LabTopology.HOST_IF, dir, "src");
            TestLab.Membership m = lab.join6(1, group, PORT, Optional.of(wanted));
            TestLab.Membership local = lab.join6(1, linkScope, PORT + 1, Optional.empty());
            Thread.sleep(300);
            send(lab, "s1", group, "-r", "500", "-c", "500", "--source", wanted.toString());
            send(lab, "s2", group, "-r", "500", "-c", "500", "--source", other.toString());
            send(lab, "s3", linkScope, "-r", "500", "-c", "500", "-i", LabTopology.HOST_IF);
            // Not a latency bound (the first test has that): three sender JVMs start at once here.
            assertTrue(m.receive(10_000).isPresent(), "the (S,G) join got nothing");
            List<Ipv6Capture.Datagram> seen = rx1.awaitUdp(
                    "500 datagrams of (S,G)", 5000, l -> to(l, group).size() >= 500);
            Thread.sleep(500);
            seen = rx1.udp();
            long fromWanted = to(seen, group).stream()
                    .filter(d -> d.header().source().equals(wanted))
                    .count();
            long fromOther = to(seen, group).stream()
                    .filter(d -> d.header().source().equals(other))
                    .count();
            List<Ipv6Capture.Datagram> sent = upstream.awaitUdp(
                    "S2's and the link-scope datagrams",
                    5000,
                    l -> l.stream()
                                            .filter(d -> d.header().source().equals(other))
                                            .count()
                                    >= 500
                            && to(l, linkScope).size() >= 500);
            assertEquals(
                    500,
                    to(sent, group).stream()
                            .filter(d -> d.header().source().equals(other))
                            .count(),
                    "S2 did send, on the router's upstream link");
            assertEquals(500, fromWanted, "every datagram of S");
            assertEquals(0, fromOther, "G from S2 never appears on the receiver's wire");
            assertEquals(0, to(seen, linkScope).size(), "ff02:: is never forwarded");
            m.close();
            local.close();
            System.out.printf(
                    "figures: SSM (S,G) %d of 500 from S, %d from S2, %d link-scope%n", fromWanted, fromOther, 0);
        }
    }

    @Test
    void anMldv1HostJoinsAndLeavesWithDoneAndFastLeaveStopsTheStreamAtOnce() throws Exception {
        Ip6 group = Ip6.parse("ff15::10:4");
        try (TestLab lab = TestLab.up(Map.of(), Map.of(1, 1, 2, 1))) {
            startRouter(lab, config("", "    fast-leave yes"));
            Ipv6Capture rx1 = Ipv6Capture.start(lab, lab.topology().receiver(1), LabTopology.HOST_IF, dir, "rx1");
            Ipv6Capture rx2 = Ipv6Capture.start(lab, lab.topology().receiver(2), LabTopology.HOST_IF, dir, "rx2");
            send(lab, "send", group, "-r", "1000", "--size", "64", "-d", "60s");
            awaitSending(lab, group);

            TestLab.Membership m1 = lab.join6(1, group, PORT, Optional.empty());
            assertTrue(m1.receive(1000).isPresent(), "the MLDv1 host got nothing within 1 s of its join");
            rx1.awaitMld(
                    "the MLDv1 report",
                    2000,
                    l -> l.stream()
                            .anyMatch(p -> p.message() instanceof MldV1Report r
                                    && r.multicastAddress().equals(group)));
            long leaveMicros = System.currentTimeMillis() * 1000;
            m1.close();
            rx1.awaitMld("the MLDv1 Done", 2000, l -> l.stream().anyMatch(p -> p.message() instanceof MldDone));
            Thread.sleep(LAST_LISTENER_QUERY_TIME_MS + 1500);
            List<Ipv6Capture.Datagram> after = to(rx1.udp(), group);
            double stopMs = Math.max(0, after.get(after.size() - 1).epochMicros() - leaveMicros) / 1000.0;
            assertTrue(stopMs <= LAST_LISTENER_QUERY_TIME_MS + 200, "stopped " + stopMs + " ms after the Done");

            // down2 has fast leave: its only listener's Done prunes the group at once.
            TestLab.Membership m2 = lab.join6(2, group, PORT, Optional.empty());
            assertTrue(m2.receive(1000).isPresent(), "rx2 got nothing within 1 s of its join");
            long fastLeaveMicros = System.currentTimeMillis() * 1000;
            m2.close();
            Thread.sleep(1000);
            List<Ipv6Capture.Datagram> at2 = to(rx2.udp(), group);
            double fastMs = Math.max(0, at2.get(at2.size() - 1).epochMicros() - fastLeaveMicros) / 1000.0;
            assertTrue(fastMs <= 50, "fast leave stopped the stream " + fastMs + " ms after the Done");
            System.out.printf("figures: MLDv1 leave to last datagram %.1f ms; fast leave %.1f ms%n", stopMs, fastMs);
        }
    }
}
