package dev.mcgate.e2e;

import static dev.mcgate.e2e.DaemonForwardingE2ETest.number;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.lab.ControlSocketProbe;
import dev.mcgate.net.Ip6;
import dev.mcgate.packet.MldPacket;
import dev.mcgate.packet.MldV2Query;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two mcgate routers with their downstreams on one IPv6 LAN: the one with the lower link-local address becomes the
 * MLD querier (RFC 3810 §7.6.2), the other stops sending general queries, and only the querier forwards an IPv6 group
 * onto the LAN, so the receiver gets each datagram once.
 *
 * <pre>
 *   [s6] br0 fd00:56:1::10 ──┬── up0 [va] down0 fe80::9  ──┬── br0 fd00:56:2::10 [h6]
 *        (bridge, source)    │                               │   (bridge, the receiver)
 *                            └── up0 [vb] down0 fe80::10 ──┘
 * </pre>
 *
 * The link-local addresses are set, not derived from random MACs: fe80::9 is the lower as a number, the higher as a
 * string, so a textual comparison would elect the wrong router.
 */
@EndToEnd
class MldSharedLanE2ETest {

    private static final Ip6 GROUP = Ip6.parse("ff15::56:1");
    private static final Ip6 LOWER = Ip6.parse("fe80::9");
    private static final Ip6 HIGHER = Ip6.parse("fe80::10");
    private static final int COUNT = 2000;
    private static final long QUERY_INTERVAL_MS = 2000;

    @TempDir
    Path dir;

    @Test
    void theLowerLinkLocalAddressIsTheMldQuerierAndOnlyItForwardsOntoTheLan() throws Exception {
        TestLab lab = TestLab.up();
        String src = lab.topology().namespace("s6");
        String va = lab.topology().namespace("va");
        String vb = lab.topology().namespace("vb");
        String rx = lab.topology().namespace("h6");
        List<String> created = new ArrayList<>();
        try (lab) {
            for (String ns : List.of(src, va, vb, rx)) {
                addNamespace(ns, created);
            }
            bridgedLan(
                    src, "fd00:56:1::", new String[] {va, "up0", "pa", "1", ""}, new String[] {vb, "up0", "pb", "2", ""
                    });
            bridgedLan(rx, "fd00:56:2::", new String[] {va, "down0", "pa", "1", LOWER.toString()}, new String[] {
                vb, "down0", "pb", "2", HIGHER.toString()
            });
            Path conf = dir.resolve("r.conf");
            Files.writeString(conf, """
                    defaults {
                        ipv4 off
                        mld-query-interval 2s
                        mld-query-response-interval 1s
                        mld-last-member-query-interval 300ms
                    }
                    interface up0 {
                        role upstream
                    }
                    interface down0 {
                        role downstream
                    }
                    """);
            Ipv6Capture wire = Ipv6Capture.start(lab, rx, "br0", dir, "lan");
            // The higher address first: it is querier alone, then gives the role up when the lower one's query comes.
            Path logB = dir.resolve("vb.log");
            lab.startMcgate(vb, logB, "run", "-c", conf.toString());
            TestLab.awaitText(logB, "running; stop with SIGTERM", 20_000);
            Path socketB = TestLab.controlSocketFor(logB);
            MldControlProbe.awaitQuerier(
                    socketB, "down0", new ControlSocketProbe.Querier(true, HIGHER.toString()), 10_000);
            Path logA = dir.resolve("va.log");
            lab.startMcgate(va, logA, "run", "-c", conf.toString());
            TestLab.awaitText(logA, "running; stop with SIGTERM", 20_000);
            Path socketA = TestLab.controlSocketFor(logA);
            long electedAt = System.nanoTime();
            MldControlProbe.awaitQuerier(
                    socketB, "down0", new ControlSocketProbe.Querier(false, LOWER.toString()), 10_000);
            MldControlProbe.awaitQuerier(
                    socketA, "down0", new ControlSocketProbe.Querier(true, LOWER.toString()), 10_000);
            double electionMs = (System.nanoTime() - electedAt) / 1e6;
            // Queries after the election are told by the capture's timestamps: tcpdump may write a query sent just
            // before it later than this moment, and a count of the file now would take it for one sent after.
            long electedMicros = System.currentTimeMillis() * 1000;
            long higherBefore = generalQueries(wire.mld(), HIGHER);

            Path json = dir.resolve("rx.json");
            Process receiver = lab.startMcgate(
                    rx,
                    dir.resolve("receive.log"),
                    "lab",
                    "receive",
                    "-g",
                    GROUP.toString(),
                    "-i",
                    "br0",
                    "-c",
                    Integer.toString(COUNT),
                    "-d",
                    "20s",
                    "--idle-timeout",
                    "2s",
                    "--json",
                    json.toString(),
                    "-q");
            // Both routers hear the MLD report: both join upstream and both get the stream.
            MldControlProbe.awaitGroup(socketA, "down0", GROUP, 5000);
            MldControlProbe.awaitGroup(socketB, "down0", GROUP, 5000);
            Thread.sleep(300);
            long sendFrom = System.nanoTime();
            Process sender = lab.startMcgate(
                    src,
                    dir.resolve("send.log"),
                    "lab",
                    "send",
                    "-g",
                    GROUP.toString(),
                    "-i",
                    "br0",
                    "-r",
                    "1000",
                    "-c",
                    Integer.toString(COUNT),
                    "--hop-limit",
                    "5",
                    "-q");
            assertTrue(sender.waitFor(30, TimeUnit.SECONDS));
            assertTrue(receiver.waitFor(30, TimeUnit.SECONDS));
            // At least two query intervals since the election, so a second querier would have shown itself.
            long left = TimeUnit.MILLISECONDS.toNanos(2 * QUERY_INTERVAL_MS + 500) - (System.nanoTime() - sendFrom);
            if (left > 0) {
                TimeUnit.NANOSECONDS.sleep(left);
            }
            String result = Files.readString(json);
            List<MldPacket> mld = wire.mld(electedMicros);
            long higherAfter = generalQueries(mld, HIGHER);
            long lowerAfter = generalQueries(mld, LOWER);
            long onWire = wire.awaitUdp(COUNT + " datagrams on the LAN", 3000, l -> to(l) >= COUNT).stream()
                    .filter(d -> d.header().destination().equals(GROUP))
                    .count();
            System.out.printf(
                    "figures: two mcgate MLD routers on one LAN: %s querier %.0f ms after the second started; general "
                            + "queries since: %d from %s, %d from %s; %d sent: received %d, duplicated %d, lost %d, "
                            + "%d on the LAN%n",
                    LOWER,
                    electionMs,
                    lowerAfter,
                    LOWER,
                    higherAfter,
                    HIGHER,
                    COUNT,
                    number(result, "received"),
                    number(result, "duplicated"),
                    number(result, "lost"),
                    onWire);
            assertTrue(higherBefore >= 1, "the higher router queried while alone");
            assertEquals(0, higherAfter, "the non-querier sent general queries after the election");
            assertTrue(lowerAfter >= 2, "the querier sent " + lowerAfter + " general queries in two intervals");
            assertEquals(0, receiver.exitValue(), result);
            assertEquals(COUNT, number(result, "received"), result);
            assertEquals(0, number(result, "duplicated"), result);
            assertEquals(COUNT, onWire, "one copy of each datagram on the shared LAN");
        } finally {
            SharedLanE2ETest.deleteNamespaces(created);
        }
    }

    private static long to(List<Ipv6Capture.Datagram> datagrams) {
        return datagrams.stream()
                .filter(d -> d.header().destination().equals(GROUP))
                .count();
    }

    private static long generalQueries(List<MldPacket> mld, Ip6 from) {
        return mld.stream()
                .filter(p -> p.source().equals(from) && p.message() instanceof MldV2Query q && q.isGeneral())
                .count();
    }

    /** A namespace as the lab's: loopback up, IPv6 on, addresses usable at once, no IPv6 routing, no RAs. */
    private static void addNamespace(String ns, List<String> created) throws Exception {
        TestLab.run("ip", "netns", "add", ns);
        created.add(ns);
        TestLab.run("ip", "-n", ns, "link", "set", "lo", "up");
        for (String scope : List.of("all", "default")) {
            for (String setting : List.of(
                    "disable_ipv6=0", "accept_dad=0", "forwarding=0", "accept_ra=0", "router_solicitations=0")) {
                TestLab.run("ip", "netns", "exec", ns, "sysctl", "-q", "-w", "net.ipv6.conf." + scope + "." + setting);
            }
        }
    }

    /**
     * A bridge br0 in {@code hostNs} (no snooping) with the host's address ::10 of the /64 {@code net}, and a veth
     * from each router plugged into it; each router is {namespace, interface name, bridge port name, host part of its
     * address, its link-local address or "" for the kernel's own}.
     */
    private static void bridgedLan(String hostNs, String net, String[]... routers) throws Exception {
        TestLab.run("ip", "-n", hostNs, "link", "add", "br0", "type", "bridge", "mcast_snooping", "0");
        TestLab.run("ip", "-n", hostNs, "-6", "addr", "add", net + "10/64", "dev", "br0", "nodad");
        TestLab.run("ip", "netns", "exec", hostNs, "ethtool", "-K", "br0", "tx", "off");
        TestLab.run("ip", "-n", hostNs, "link", "set", "br0", "up");
        for (String[] r : routers) {
            TestLab.run("ip", "-n", r[0], "link", "add", r[1], "type", "veth", "peer", "name", r[2], "netns", hostNs);
            TestLab.run("ip", "netns", "exec", hostNs, "ethtool", "-K", r[2], "tx", "off");
            TestLab.run("ip", "-n", hostNs, "link", "set", r[2], "master", "br0", "up");
            if (!r[4].isEmpty()) {
                TestLab.run("ip", "-n", r[0], "link", "set", r[1], "addrgenmode", "none");
                TestLab.run("ip", "-n", r[0], "-6", "addr", "add", r[4] + "/64", "dev", r[1], "nodad");
            }
            TestLab.run("ip", "-n", r[0], "-6", "addr", "add", net + r[3] + "/64", "dev", r[1], "nodad");
            TestLab.run("ip", "-n", r[0], "link", "set", r[1], "up");
        }
    }
}
