package dev.mcgate.e2e;

import static dev.mcgate.e2e.DaemonForwardingE2ETest.number;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.lab.ControlSocketProbe;
import dev.mcgate.net.Ip4;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two mcgate routers on one receiver LAN (and one source LAN), each a full proxy: only the IGMP querier of the
 * receiver LAN forwards onto it (RFC 4605 §4.2, one forwarder per LAN), so the receiver gets every datagram once.
 *
 * <pre>
 *   [s5] br0 10.55.1.10 ──┬── up0 [ua] down0 ──┬── br0 10.55.2.10 [h5]
 *        (bridge)         │   .1.1       .2.1   │   (bridge, the receiver)
 *                         └── up0 [ub] down0 ──┘
 *                             .1.2       .2.2
 * </pre>
 * The namespaces carry the test lab's prefix, so the leftovers check finds them if teardown fails.
 */
@EndToEnd
class SharedLanE2ETest {

    private static final Ip4 GROUP = Ip4.parse("239.55.0.1");
    private static final int COUNT = 2000;

    @TempDir
    Path dir;

    @Test
    void onlyTheQuerierForwardsOntoASharedLanSoEachDatagramArrivesOnce() throws Exception {
        TestLab lab = TestLab.up();
        String src = lab.topology().namespace("s5");
        String ua = lab.topology().namespace("ua");
        String ub = lab.topology().namespace("ub");
        String rx = lab.topology().namespace("h5");
        List<String> mine = List.of(src, ua, ub, rx);
        List<String> created = new ArrayList<>();
        try (lab) {
            addNamespaces(mine, created);
            bridgedLan(src, "10.55.1", new String[] {ua, "up0", "pa", "1"}, new String[] {ub, "up0", "pb", "2"});
            bridgedLan(rx, "10.55.2", new String[] {ua, "down0", "pa", "1"}, new String[] {ub, "down0", "pb", "2"});
            Path conf = dir.resolve("r.conf");
            Files.writeString(conf, """
                    defaults {
                        query-interval 10s
                        query-response-interval 2s
                        last-member-query-interval 300ms
                    }
                    interface up0 {
                        role upstream
                    }
                    interface down0 {
                        role downstream
                    }
                    """);
            // ub (the higher address) first, then ua: ua's first query makes ub give up the querier role at once.
            Path logB = dir.resolve("ub.log");
            lab.startMcgate(ub, logB, "run", "-c", conf.toString());
            TestLab.awaitText(logB, "running; stop with SIGTERM", 20_000);
            Path logA = dir.resolve("ua.log");
            lab.startMcgate(ua, logA, "run", "-c", conf.toString());
            TestLab.awaitText(logA, "running; stop with SIGTERM", 20_000);
            TestLab.awaitQuerier(
                    TestLab.controlSocketFor(logB),
                    "down0",
                    new ControlSocketProbe.Querier(false, "10.55.2.1"),
                    10_000);

            Wire wire = Wire.capture(lab, rx, "br0");
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
            // Both routers hear the report: both proxies join upstream, both get the stream.
            TestLab.awaitGroup(TestLab.controlSocketFor(logA), "down0", GROUP, 5000);
            TestLab.awaitGroup(TestLab.controlSocketFor(logB), "down0", GROUP, 5000);
            Thread.sleep(300);
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
                    "--ttl",
                    "5",
                    "-q");
            assertTrue(sender.waitFor(30, TimeUnit.SECONDS));
            assertTrue(receiver.waitFor(30, TimeUnit.SECONDS));
            Thread.sleep(300);
            String result = Files.readString(json);
            long onWire = wire.count(GROUP);
            long macs = wire.to(GROUP).stream()
                    .map(Wire.Datagram::sourceMac)
                    .distinct()
                    .count();
            System.out.printf(
                    "figures: two routers on one LAN, %d sent: received %d, duplicated %d, lost %d; "
                            + "%d datagrams on the receiver's wire from %d router MAC(s)%n",
                    COUNT,
                    number(result, "received"),
                    number(result, "duplicated"),
                    number(result, "lost"),
                    onWire,
                    macs);
            assertEquals(0, receiver.exitValue(), result);
            assertEquals(COUNT, number(result, "received"), result);
            assertEquals(0, number(result, "duplicated"), result);
            assertEquals(COUNT, onWire, "one copy of each datagram on the shared LAN");
            assertEquals(1, macs, "one router forwards");
        } finally {
            deleteNamespaces(created);
        }
    }

    /**
     * A bridge br0 in {@code hostNs} with the host's address (.10 of the /24 {@code net}), and a veth from each router
     * plugged into it; each router is {namespace, interface name, bridge port name, host part of its address}.
     */
    static void bridgedLan(String hostNs, String net, String[]... routers) throws Exception {
        TestLab.run("ip", "-n", hostNs, "link", "add", "br0", "type", "bridge", "mcast_snooping", "0");
        TestLab.run("ip", "-n", hostNs, "addr", "add", net + ".10/24", "dev", "br0");
        TestLab.run("ip", "netns", "exec", hostNs, "ethtool", "-K", "br0", "tx", "off");
        TestLab.run("ip", "-n", hostNs, "link", "set", "br0", "up");
        TestLab.run("ip", "-n", hostNs, "route", "add", "224.0.0.0/4", "dev", "br0");
        for (String[] r : routers) {
            TestLab.run("ip", "-n", r[0], "link", "add", r[1], "type", "veth", "peer", "name", r[2], "netns", hostNs);
            TestLab.run("ip", "netns", "exec", hostNs, "ethtool", "-K", r[2], "tx", "off");
            TestLab.run("ip", "-n", hostNs, "link", "set", r[2], "master", "br0", "up");
            TestLab.run("ip", "-n", r[0], "addr", "add", net + "." + r[3] + "/24", "dev", r[1]);
            TestLab.run("ip", "-n", r[0], "link", "set", r[1], "up");
        }
    }

    /** Adds namespaces (lo up, rp_filter off, no IPv6), recording each in {@code created} for the teardown. */
    static void addNamespaces(List<String> names, List<String> created) throws Exception {
        for (String ns : names) {
            TestLab.run("ip", "netns", "add", ns);
            created.add(ns);
            TestLab.run("ip", "-n", ns, "link", "set", "lo", "up");
            for (String key : List.of(
                    "net.ipv4.conf.all.rp_filter=0",
                    "net.ipv4.conf.default.rp_filter=0",
                    "net.ipv6.conf.all.disable_ipv6=1",
                    "net.ipv6.conf.default.disable_ipv6=1")) {
                TestLab.run("ip", "netns", "exec", ns, "sysctl", "-q", "-w", key);
            }
        }
    }

    static void deleteNamespaces(List<String> created) throws Exception {
        for (String ns : created) {
            new ProcessBuilder("ip", "netns", "del", ns).start().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
