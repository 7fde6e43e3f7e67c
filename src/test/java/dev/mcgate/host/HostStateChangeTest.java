package dev.mcgate.host;

import static dev.mcgate.host.TestValues.ex;
import static dev.mcgate.host.TestValues.in;
import static dev.mcgate.host.TestValues.ip;
import static dev.mcgate.host.TestValues.rec;
import static dev.mcgate.host.TestValues.report;
import static dev.mcgate.packet.RecordType.ALLOW_NEW_SOURCES;
import static dev.mcgate.packet.RecordType.BLOCK_OLD_SOURCES;
import static dev.mcgate.packet.RecordType.CHANGE_TO_EXCLUDE_MODE;
import static dev.mcgate.packet.RecordType.CHANGE_TO_INCLUDE_MODE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.config.QuerierAdoption;
import dev.mcgate.net.Ip4;
import dev.mcgate.net.Subscription;
import dev.mcgate.packet.GroupRecord;
import dev.mcgate.time.ManualScheduler;
import dev.mcgate.time.RandomSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** State-Change Reports of the IGMPv3 host side on a hand-driven clock (RFC 3376 §5.1). */
class HostStateChangeTest {

    private static final Ip4 G = ip("239.1.1.1");
    private static final String GS = "239.1.1.1";

    private final ManualScheduler clock = new ManualScheduler();
    private final RecordingSender sender = new RecordingSender(clock);

    private HostInterface host(int robustness, RandomSource random) {
        HostSettings settings = new HostSettings(
                3,
                robustness,
                Duration.ofSeconds(125),
                HostSettings.V3_UNSOLICITED_REPORT_INTERVAL,
                HostSettings.V2_UNSOLICITED_REPORT_INTERVAL,
                QuerierAdoption.DEFAULTS);
        return new HostInterface("up0", settings, clock, random, sender, LinkFilter.NONE);
    }

    @Test
    void eachKindOfChangeSendsItsRecordsAtOnce() {
        HostInterface host = host(2, TestValues.MAX);
        host.setDesired(G, in("10.0.0.1", "10.0.0.2"));
        host.setDesired(G, in("10.0.0.2", "10.0.0.3"));
        host.setDesired(G, ex("10.0.0.7"));
        host.setDesired(G, ex("10.0.0.8"));
        host.setDesired(G, in("10.0.0.5"));
        host.setDesired(G, Subscription.NONE);

        assertEquals(
                List.of(
                        report(rec(ALLOW_NEW_SOURCES, GS, "10.0.0.1", "10.0.0.2")),
                        // merged with the pending retransmission of 10.0.0.1 and 10.0.0.2, against the new state
                        report(
                                rec(ALLOW_NEW_SOURCES, GS, "10.0.0.2", "10.0.0.3"),
                                rec(BLOCK_OLD_SOURCES, GS, "10.0.0.1")),
                        report(rec(CHANGE_TO_EXCLUDE_MODE, GS, "10.0.0.7")),
                        report(rec(CHANGE_TO_EXCLUDE_MODE, GS, "10.0.0.8")),
                        report(rec(CHANGE_TO_INCLUDE_MODE, GS, "10.0.0.5")),
                        report(rec(CHANGE_TO_INCLUDE_MODE, GS))),
                sender.messages().subList(0, 6),
                "first reports");
        assertTrue(sender.sent().stream().allMatch(s -> s.at().isZero()), "all sent at once");
    }

    @Test
    void inToInWithAddsAndRemovesFromAQuietState() {
        HostInterface host = host(2, TestValues.MAX);
        host.setDesired(G, in("10.0.0.1", "10.0.0.2"));
        clock.advance(Duration.ofSeconds(5));
        sender.take();

        host.setDesired(G, in("10.0.0.2", "10.0.0.3"));
        assertEquals(
                List.of(report(rec(ALLOW_NEW_SOURCES, GS, "10.0.0.3"), rec(BLOCK_OLD_SOURCES, GS, "10.0.0.1"))),
                sender.take());
    }

    @Test
    void exToExFromAQuietState() {
        HostInterface host = host(2, TestValues.MAX);
        host.setDesired(G, ex("10.0.0.1", "10.0.0.2"));
        clock.advance(Duration.ofSeconds(5));
        sender.take();

        host.setDesired(G, ex("10.0.0.2", "10.0.0.3"));
        // EXCLUDE (A) -> EXCLUDE (B): ALLOW (A-B), BLOCK (B-A)
        assertEquals(
                List.of(report(rec(ALLOW_NEW_SOURCES, GS, "10.0.0.1"), rec(BLOCK_OLD_SOURCES, GS, "10.0.0.3"))),
                sender.take());
    }

    @ParameterizedTest(name = "robustness {0}")
    @ValueSource(ints = {1, 2, 3, 5})
    void retransmittedRobustnessMinusOneMoreTimesWithinTheUnsolicitedReportInterval(int robustness) {
        HostInterface host = host(robustness, RandomSource.seeded(robustness));
        host.setDesired(G, ex());
        clock.advance(Duration.ofSeconds(60));

        List<RecordingSender.Sent> sent = sender.sent();
        assertEquals(robustness, sent.size(), "one report and robustness - 1 retransmissions");
        Duration previous = null;
        for (RecordingSender.Sent s : sent) {
            assertEquals(report(rec(CHANGE_TO_EXCLUDE_MODE, GS)), s.message());
            if (previous != null) {
                Duration gap = s.at().minus(previous);
                assertTrue(
                        gap.compareTo(Duration.ZERO) > 0 && gap.compareTo(Duration.ofSeconds(1)) <= 0,
                        "gap " + gap + " in (0, 1 s]");
            }
            previous = s.at();
        }
        assertEquals(Duration.ZERO, sent.get(0).at());
        assertEquals(0, clock.pendingCount(), "no timer left");
    }

    @Test
    void retransmissionsComeAtTheChosenRandomDelay() {
        // The random source answers 499 then 999 (of bound 1000 ms): delays 500 ms and 1000 ms.
        HostInterface host = host(3, TestValues.sequence(499, 999));
        host.setDesired(G, ex());
        clock.advance(Duration.ofSeconds(10));
        List<Duration> times =
                sender.sent().stream().map(RecordingSender.Sent::at).toList();
        assertEquals(List.of(Duration.ZERO, Duration.ofMillis(500), Duration.ofMillis(1500)), times);
    }

    @Test
    void aSecondChangeDuringRetransmissionIsSentAtOnceAndMerged() {
        HostInterface host = host(2, TestValues.MAX); // retransmissions after 1 s
        host.setDesired(G, in("10.0.0.1"));
        clock.advance(Duration.ofMillis(300));
        host.setDesired(G, in("10.0.0.1", "10.0.0.2"));
        clock.advance(Duration.ofSeconds(10));

        List<RecordingSender.Sent> sent = sender.sent();
        List<List<GroupRecord>> records = new ArrayList<>();
        sent.forEach(s -> records.add(s.records()));
        assertEquals(
                List.of(
                        List.of(rec(ALLOW_NEW_SOURCES, GS, "10.0.0.1")),
                        // immediate, and carrying the pending retransmission of 10.0.0.1 with the new source
                        List.of(rec(ALLOW_NEW_SOURCES, GS, "10.0.0.1", "10.0.0.2")),
                        // the interface timer (armed at the first change) retransmits what is still owed
                        List.of(rec(ALLOW_NEW_SOURCES, GS, "10.0.0.2"))),
                records);
        assertEquals(
                List.of(Duration.ZERO, Duration.ofMillis(300), Duration.ofMillis(1000)),
                sent.stream().map(RecordingSender.Sent::at).toList());
    }

    @Test
    void aLeaveDuringAJoinsRetransmissionsReplacesIt() {
        HostInterface host = host(2, TestValues.MAX);
        host.setDesired(G, ex());
        clock.advance(Duration.ofMillis(200));
        host.setDesired(G, Subscription.NONE);
        clock.advance(Duration.ofSeconds(10));
        assertEquals(
                List.of(
                        report(rec(CHANGE_TO_EXCLUDE_MODE, GS)),
                        report(rec(CHANGE_TO_INCLUDE_MODE, GS)),
                        report(rec(CHANGE_TO_INCLUDE_MODE, GS))),
                sender.messages());
    }

    @Test
    void severalGroupsChangedTogetherShareReports() {
        HostInterface host = host(2, TestValues.MAX);
        host.setDesired(Map.of(ip("239.1.1.2"), ex(), G, in("10.0.0.1")));
        clock.advance(Duration.ofSeconds(10));
        GroupRecord a = rec(ALLOW_NEW_SOURCES, GS, "10.0.0.1");
        GroupRecord b = rec(CHANGE_TO_EXCLUDE_MODE, "239.1.1.2");
        assertEquals(List.of(report(a, b), report(a, b)), sender.messages());
    }

    @Test
    void linkLocalAndSsmExcludeAreNeverReported() {
        HostInterface host = host(2, TestValues.MAX);
        host.setDesired(ip("224.0.0.251"), ex());
        host.setDesired(ip("232.1.1.1"), ex());
        clock.advance(Duration.ofSeconds(10));
        assertEquals(List.of(), sender.messages());
        assertEquals(Map.of(), host.states());
        assertEquals(2, host.status().notReported());

        host.setDesired(ip("232.1.1.1"), in("10.0.0.1"));
        assertEquals(List.of(report(rec(ALLOW_NEW_SOURCES, "232.1.1.1", "10.0.0.1"))), sender.take());
        // Back to EXCLUDE: treated as no state, so the INCLUDE join is withdrawn.
        host.setDesired(ip("232.1.1.1"), ex("10.0.0.2"));
        assertEquals(List.of(report(rec(BLOCK_OLD_SOURCES, "232.1.1.1", "10.0.0.1"))), sender.take());
    }

    @Test
    void theMacIsInTheLinkFilterBeforeTheJoinAndOutAfterTheLeave() {
        List<String> events = new ArrayList<>();
        RecordingSender s = new RecordingSender(clock, events::add);
        LinkFilter link = new LinkFilter() {
            @Override
            public void join(dev.mcgate.net.MacAddress mac) {
                events.add("join " + mac);
            }

            @Override
            public void leave(dev.mcgate.net.MacAddress mac) {
                events.add("leave " + mac);
            }
        };
        HostInterface host = new HostInterface("up0", HostSettings.DEFAULTS, clock, TestValues.MAX, s, link);
        host.setDesired(G, ex());
        host.setDesired(G, ex("10.0.0.1"));
        host.setDesired(G, Subscription.NONE);
        assertEquals(
                List.of(
                        "join 01:00:5e:01:01:01",
                        "send V3MembershipReport",
                        "send V3MembershipReport",
                        "send V3MembershipReport",
                        "leave 01:00:5e:01:01:01"),
                events);
    }
}
