package dev.mcgate.e2e;

import static dev.mcgate.e2e.DaemonForwardingE2ETest.number;
import static dev.mcgate.e2e.SharedLanE2ETest.addNamespaces;
import static dev.mcgate.e2e.SharedLanE2ETest.bridgedLan;
import static dev.mcgate.e2e.SharedLanE2ETest.deleteNamespaces;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.net.Ip4;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two mcgate routers wired in a cycle (a misconfiguration RFC 4605 forbids, but one an operator can make): each
 * one's downstream is the other's upstream. A stream into the ring must not circle: the copies on each LAN stay a
 * small multiple of what was sent, and nothing is left going round once the source stops.
 *
 * <pre>
 *   LAN A 10.56.1.0/24 (bridge in hA, the source)      LAN B 10.56.2.0/24 (bridge in hB, the receiver)
 *     ra up0 .1, rb down0 .2                             ra down0 .1, rb up0 .2
 * </pre>
 */
@EndToEnd
class RouterRingE2ETest {

    private static final Ip4 GROUP = Ip4.parse("239.56.0.1");
    private static final int COUNT = 500;
    private static final int TTL = 32;

    @TempDir
    Path dir;

    /** A source on A's subnet is local to rb's downstream: rb's RPF check keeps ra's copies from coming back. */
    @Test
    void aRingOfRoutersDoesNotLoopWithASourceLocalToOneOfThem() throws Exception {
        ring(false);
    }

    /**
     * A source outside every subnet of the ring passes RPF on both upstreams: ra forwards it to B, rb forwards that
     * to A, and only the duplicate guard keeps ra from sending it round again.
     */
    @Test
    void aRingOfRoutersDoesNotLoopWithARemoteSource() throws Exception {
        ring(true);
    }

    private void ring(boolean remoteSource) throws Exception {
        TestLab lab = TestLab.up();
        String ha = lab.topology().namespace("ha");
        String hb = lab.topology().namespace("hb");
        String ra = lab.topology().namespace("ra");
        String rb = lab.topology().namespace("rb");
        List<String> created = new ArrayList<>();
        try (lab) {
            addNamespaces(List.of(ha, hb, ra, rb), created);
            bridgedLan(ha, "10.56.1", new String[] {ra, "up0", "pa", "1"}, new String[] {rb, "down0", "pb", "2"});
            bridgedLan(hb, "10.56.2", new String[] {ra, "down0", "pa", "1"}, new String[] {rb, "up0", "pb", "2"});
            String source = remoteSource ? "10.99.0.10" : "10.56.1.10";
            if (remoteSource) {
                TestLab.run("ip", "-n", ha, "addr", "add", source + "/32", "dev", "br0");
            }
            Path conf = dir.resolve("r.conf");
            Files.writeString(conf, """
                    defaults {
                        query-interval 10s
                        query-response-interval 2s
                    }
                    interface up0 {
                        role upstream
                    }
                    interface down0 {
                        role downstream
                    }
                    """);
            Path logA = dir.resolve("ra.log");
            Path logB = dir.resolve("rb.log");
            lab.startMcgate(ra, logA, "run", "-c", conf.toString());
            lab.startMcgate(rb, logB, "run", "-c", conf.toString());
            TestLab.awaitText(logA, "running; stop with SIGTERM", 20_000);
            TestLab.awaitText(logB, "running; stop with SIGTERM", 20_000);

            Wire lanA = Wire.capture(lab, ha, "br0");
            Wire lanB = Wire.capture(lab, hb, "br0");
            Path json = dir.resolve("rx.json");
            Process receiver = lab.startMcgate(
                    hb,
                    dir.resolve("receive.log"),
                    "lab",
                    "receive",
                    "-g",
                    GROUP.toString(),
                    "-i",
                    "br0",
                    "-d",
                    "8s",
                    "--json",
                    json.toString(),
                    "-q");
            // hB's join reaches ra (querier on B); ra joins on A, where rb is querier: rb joins on B in turn.
            TestLab.awaitGroup(TestLab.controlSocketFor(logA), "down0", GROUP, 5000);
            TestLab.awaitGroup(TestLab.controlSocketFor(logB), "down0", GROUP, 5000);
            Thread.sleep(300);
            Process sender = lab.startMcgate(
                    ha,
                    dir.resolve("send.log"),
                    "lab",
                    "send",
                    "-g",
                    GROUP.toString(),
                    "-i",
                    "br0",
                    "-s",
                    source,
                    "-r",
                    "500",
                    "-c",
                    Integer.toString(COUNT),
                    "--ttl",
                    Integer.toString(TTL),
                    "-q");
            assertTrue(sender.waitFor(20, TimeUnit.SECONDS));
            long stoppedAt = System.nanoTime();
            Thread.sleep(2000);
            long onA = lanA.count(GROUP);
            long onB = lanB.count(GROUP);
            long afterA = lanA.matching(d -> d.group().equals(GROUP) && d.nanos() > stoppedAt + 500_000_000L)
                    .size();
            long afterB = lanB.matching(d -> d.group().equals(GROUP) && d.nanos() > stoppedAt + 500_000_000L)
                    .size();
            int minTtl =
                    lanB.to(GROUP).stream().mapToInt(Wire.Datagram::ttl).min().orElse(-1);
            List<Wire.Datagram> looped = lanB.matching(d -> d.group().equals(GROUP) && d.ttl() < TTL - 1);
            long firstNanos =
                    lanB.to(GROUP).isEmpty() ? 0 : lanB.to(GROUP).get(0).nanos();
            String loopTimes = looped.stream()
                    .map(d -> Long.toString((d.nanos() - firstNanos) / 1_000_000))
                    .distinct()
                    .limit(20)
                    .toList()
                    .toString();
            assertTrue(receiver.waitFor(20, TimeUnit.SECONDS));
            String result = Files.readString(json);
            System.out.printf(
                    "figures: ring of two routers, source %s, %d sent with TTL %d: LAN A carried %d copies from "
                            + "routers, LAN B %d (lowest TTL seen %d); 0.5-2 s after the source stopped: %d on A, %d on B; "
                            + "receiver got %d (%d distinct, duplicated %d); %d copies on B had gone round the ring, at ms %s of the "
                            + "stream%n",
                    source,
                    COUNT,
                    TTL,
                    onA,
                    onB,
                    minTtl,
                    afterA,
                    afterB,
                    number(result, "received"),
                    number(result, "distinct"),
                    number(result, "duplicated"),
                    looped.size(),
                    loopTimes);
            assertEquals(COUNT, number(result, "distinct"), "every datagram reached the receiver: " + result);
            assertEquals(0, afterA + afterB, "nothing circles after the source stopped");
            if (remoteSource) {
                // ra forwards to B; rb forwards that to A (it joined for its downstream A); ra must drop it there, even
                // when it takes longer than the 2 ms duplicate window to come round: it comes back with a lower TTL.
                assertEquals(COUNT, onB, "one copy of each datagram on LAN B");
                assertTrue(onA <= COUNT, "at most one copy on LAN A: " + onA);
                assertEquals(0, number(result, "duplicated"), result);
            } else {
                // B gets two copies of each datagram, both one hop from the source: ra's, and rb's upstream copy of a
                // source that is local to its downstream A (RFC 4605 §4.2). Neither goes further round the ring.
                assertTrue(onA <= COUNT, "copies on LAN A bounded: " + onA);
                assertTrue(onB <= 2L * COUNT, "copies on LAN B bounded: " + onB);
            }
            assertEquals(TTL - 1, minTtl, "no datagram went round the ring");
        } finally {
            deleteNamespaces(created);
        }
    }
}
