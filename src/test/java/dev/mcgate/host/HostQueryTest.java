package dev.mcgate.host;

import static dev.mcgate.host.TestValues.ex;
import static dev.mcgate.host.TestValues.in;
import static dev.mcgate.host.TestValues.ip;
import static dev.mcgate.host.TestValues.rec;
import static dev.mcgate.host.TestValues.report;
import static dev.mcgate.packet.RecordType.MODE_IS_EXCLUDE;
import static dev.mcgate.packet.RecordType.MODE_IS_INCLUDE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.config.QuerierAdoption;
import dev.mcgate.net.Ip4;
import dev.mcgate.net.Subscription;
import dev.mcgate.packet.V2Query;
import dev.mcgate.packet.V3Query;
import dev.mcgate.time.ManualScheduler;
import dev.mcgate.time.RandomSource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Answers to IGMPv3 queries (RFC 3376 §5.2): delays, one answer per query, the five scheduling rules. */
class HostQueryTest {

    private static final Ip4 QUERIER = ip("192.0.2.254");
    private static final Ip4 G1 = ip("239.1.1.1");
    private static final Ip4 G2 = ip("239.1.1.2");

    private final ManualScheduler clock = new ManualScheduler();
    private final RecordingSender sender = new RecordingSender(clock);
    private final TestValues.ScriptedRandom scripted = new TestValues.ScriptedRandom();

    private HostInterface quietHost(RandomSource random) {
        HostInterface host = new HostInterface("up0", HostSettings.DEFAULTS, clock, random, sender, LinkFilter.NONE);
        host.setDesired(Map.of(G1, ex("10.0.0.9"), G2, in("10.0.0.1", "10.0.0.2")));
        clock.advance(Duration.ofSeconds(30)); // state-change retransmissions done
        sender.take();
        return host;
    }

    private static V3Query general(int maxRespTenths) {
        return V3Query.general(maxRespTenths, 2, 125);
    }

    private static V3Query groupQuery(Ip4 group, int maxRespTenths, String... sources) {
        return new V3Query(
                group, maxRespTenths, false, 2, 125, TestValues.set(sources).ip4List());
    }

    @Test
    void generalQueriesAreAnsweredOnceWithinMaxRespTimeWithEveryGroup() {
        HostInterface host = quietHost(RandomSource.seeded(7));
        for (int round = 0; round < 200; round++) {
            host.receiveQuery(QUERIER, general(100));
            clock.advance(Duration.ofSeconds(10));
            List<RecordingSender.Sent> sent = sender.takeSent();
            assertEquals(1, sent.size(), "one answer per query, round " + round);
            assertEquals(
                    report(
                            rec(MODE_IS_EXCLUDE, "239.1.1.1", "10.0.0.9"),
                            rec(MODE_IS_INCLUDE, "239.1.1.2", "10.0.0.1", "10.0.0.2")),
                    sent.get(0).message());
            Duration delay = sent.get(0).at().minus(Duration.ofSeconds(30 + 10L * round));
            assertTrue(
                    delay.compareTo(Duration.ZERO) > 0 && delay.compareTo(Duration.ofSeconds(10)) < 0,
                    "delay " + delay + " in (0, 10 s)");
        }
    }

    @Test
    void theAnswerComesAfterTheRandomDelay() {
        HostInterface host = quietHost(scripted); // 1 + 2499 ms
        scripted.then(2499);
        host.receiveQuery(QUERIER, general(100));
        clock.advance(Duration.ofMillis(2499));
        assertEquals(0, sender.count(), "not before the delay");
        clock.advance(Duration.ofMillis(1));
        assertEquals(1, sender.count());
    }

    @Test
    void noStateNoAnswer() {
        HostInterface host =
                new HostInterface("up0", HostSettings.DEFAULTS, clock, RandomSource.seeded(1), sender, LinkFilter.NONE);
        host.receiveQuery(QUERIER, general(100));
        host.receiveQuery(QUERIER, groupQuery(G1, 100));
        clock.advance(Duration.ofSeconds(20));
        assertEquals(List.of(), sender.messages());
    }

    @Test
    void aSecondGeneralQueryReplacesTheFirstsPendingAnswer() {
        // Rule 2: delays 8 s then 3 s: one answer, at 3 s after the second query.
        HostInterface host = quietHost(scripted);
        scripted.then(7999, 2999);
        host.receiveQuery(QUERIER, general(100));
        clock.advance(Duration.ofSeconds(1));
        host.receiveQuery(QUERIER, general(100));
        clock.advance(Duration.ofSeconds(20));
        List<RecordingSender.Sent> sent = sender.sent();
        assertEquals(1, sent.size());
        assertEquals(Duration.ofSeconds(34), sent.get(0).at());
    }

    @Test
    void aGroupQueryIsCoveredByASoonerPendingGeneralAnswer() {
        // Rule 1: general answer due in 2 s; the group query's delay (5 s) is later: no separate answer.
        HostInterface host = quietHost(scripted);
        scripted.then(1999, 4999);
        host.receiveQuery(QUERIER, general(100));
        host.receiveQuery(QUERIER, groupQuery(G1, 100));
        clock.advance(Duration.ofSeconds(20));
        assertEquals(1, sender.count());
        assertEquals(2, sender.takeSent().get(0).records().size());
    }

    @Test
    void groupSpecificQueryIsAnsweredWithThatGroupsState() {
        HostInterface host = quietHost(RandomSource.seeded(3));
        host.receiveQuery(QUERIER, groupQuery(G2, 10));
        host.receiveQuery(QUERIER, groupQuery(ip("239.9.9.9"), 10)); // not ours
        clock.advance(Duration.ofSeconds(1));
        assertEquals(List.of(report(rec(MODE_IS_INCLUDE, "239.1.1.2", "10.0.0.1", "10.0.0.2"))), sender.take());
    }

    @Test
    void aV2GroupQueryInV3ModeIsAnsweredAsGroupSpecific() {
        HostInterface host = quietHost(RandomSource.seeded(3));
        host.receiveQuery(QUERIER, new V2Query(G1, 10));
        clock.advance(Duration.ofSeconds(1));
        assertEquals(CompatibilityMode.IGMPV3, host.mode(), "only general v2 queries switch the mode");
        assertEquals(List.of(report(rec(MODE_IS_EXCLUDE, "239.1.1.1", "10.0.0.9"))), sender.take());
    }

    @Test
    void groupAndSourceSpecificAnswersFollowTheTable() {
        HostInterface host = quietHost(RandomSource.seeded(3));
        // INCLUDE (A), B: IS_IN (A*B)
        host.receiveQuery(QUERIER, groupQuery(G2, 10, "10.0.0.2", "10.0.0.3"));
        // EXCLUDE (A), B: IS_IN (B-A)
        host.receiveQuery(QUERIER, groupQuery(G1, 10, "10.0.0.9", "10.0.0.4"));
        clock.advance(Duration.ofSeconds(1));
        List<RecordingSender.Sent> sent = sender.takeSent();
        assertEquals(2, sent.size());
        assertTrue(sent.stream()
                .anyMatch(s -> s.message().equals(report(rec(MODE_IS_INCLUDE, "239.1.1.2", "10.0.0.2")))));
        assertTrue(sent.stream()
                .anyMatch(s -> s.message().equals(report(rec(MODE_IS_INCLUDE, "239.1.1.1", "10.0.0.4")))));

        // Nothing the state wants among the queried sources: no answer.
        host.receiveQuery(QUERIER, groupQuery(G1, 10, "10.0.0.9"));
        host.receiveQuery(QUERIER, groupQuery(G2, 10, "10.0.0.7"));
        clock.advance(Duration.ofSeconds(1));
        assertEquals(List.of(), sender.take());
    }

    @Test
    void sourceListsOfPendingAnswersAreMergedAndAnsweredAtTheEarliestTime() {
        // Rule 5: delays 6 s, then 2 s: one answer about both lists, at 2 s after the second query.
        HostInterface host = quietHost(scripted);
        host.setDesired(G2, in("10.0.0.1", "10.0.0.2", "10.0.0.3"));
        clock.advance(Duration.ofSeconds(30));
        sender.take();
        scripted.then(5999, 1999);
        host.receiveQuery(QUERIER, groupQuery(G2, 100, "10.0.0.1"));
        clock.advance(Duration.ofSeconds(1));
        host.receiveQuery(QUERIER, groupQuery(G2, 100, "10.0.0.3", "10.0.0.4"));
        clock.advance(Duration.ofSeconds(20));
        List<RecordingSender.Sent> sent = sender.sent();
        assertEquals(1, sent.size());
        assertEquals(
                report(rec(MODE_IS_INCLUDE, "239.1.1.2", "10.0.0.1", "10.0.0.3")),
                sent.get(0).message());
        assertEquals(Duration.ofSeconds(63), sent.get(0).at());
    }

    @Test
    void aGroupQueryAfterASourceQueryWidensTheAnswerToTheWholeGroup() {
        // Rule 4: the source list is cleared; the answer is the whole state, at the earliest time.
        HostInterface host = quietHost(scripted);
        scripted.then(1999, 5999);
        host.receiveQuery(QUERIER, groupQuery(G2, 100, "10.0.0.1"));
        host.receiveQuery(QUERIER, groupQuery(G2, 100));
        clock.advance(Duration.ofSeconds(20));
        List<RecordingSender.Sent> sent = sender.sent();
        assertEquals(1, sent.size());
        assertEquals(
                report(rec(MODE_IS_INCLUDE, "239.1.1.2", "10.0.0.1", "10.0.0.2")),
                sent.get(0).message());
        assertEquals(Duration.ofSeconds(32), sent.get(0).at());
    }

    @Test
    void theAnswerReflectsTheStateWhenItIsSent() {
        HostInterface host = quietHost(scripted);
        scripted.then(4999);
        host.receiveQuery(QUERIER, groupQuery(G1, 100));
        clock.advance(Duration.ofSeconds(1));
        host.setDesired(G1, Subscription.NONE);
        clock.advance(Duration.ofSeconds(20));
        // Only the leave and its retransmission: the group has no state when the answer falls due.
        assertTrue(
                sender.messages().stream().allMatch(m -> m.toString().contains("CHANGE_TO_INCLUDE_MODE")),
                sender.messages().toString());
    }

    @Test
    void theQuerierRobustnessIsAdopted() {
        HostInterface host = quietHost(RandomSource.seeded(3));
        host.receiveQuery(QUERIER, V3Query.general(10, 4, 125));
        clock.advance(Duration.ofSeconds(2));
        sender.take();
        host.setDesired(ip("239.2.2.2"), ex());
        clock.advance(Duration.ofSeconds(30));
        assertEquals(4, sender.count(), "QRV 4: one report and three retransmissions");
        assertEquals(4, host.status().robustness());
    }

    @Test
    void aForgedV3QueryThenAV1QueryHoldsV1ModeOnlyForTheCappedTimeout() {
        HostInterface host = quietHost(RandomSource.seeded(3));
        // The upstream attack: QRV 7 / QQIC 255 (31744 s), then a v1 query (its Max Resp Time counts 10 s).
        host.receiveQuery(QUERIER, V3Query.general(10, 7, 31744));
        host.receiveQuery(QUERIER, dev.mcgate.packet.V1Query.GENERAL);
        assertEquals(CompatibilityMode.IGMPV1, host.mode());

        // Capped at robustness 4 and 250 s: 4 x 250 s + 10 s, not 7 x 31744 s + 10 s (about 62 hours).
        clock.advance(Duration.ofSeconds(1010).minusMillis(1));
        assertEquals(CompatibilityMode.IGMPV1, host.mode());
        clock.advance(Duration.ofMillis(1));
        assertEquals(CompatibilityMode.IGMPV3, host.mode());
        assertEquals(4, host.status().robustness());
    }

    @Test
    void theConfiguredCapsOfTheUpstreamSetTheOlderVersionTimeout() {
        HostSettings capped = new HostSettings(
                3,
                2,
                Duration.ofSeconds(125),
                HostSettings.V3_UNSOLICITED_REPORT_INTERVAL,
                HostSettings.V2_UNSOLICITED_REPORT_INTERVAL,
                new QuerierAdoption(3, Duration.ofSeconds(150)));
        HostInterface host = new HostInterface("up0", capped, clock, RandomSource.seeded(3), sender, LinkFilter.NONE);
        host.receiveQuery(QUERIER, V3Query.general(10, 7, 31744));
        host.receiveQuery(QUERIER, dev.mcgate.packet.V1Query.GENERAL);
        assertEquals(CompatibilityMode.IGMPV1, host.mode());
        // 3 x 150 s + 10 s, where the default caps give 1010 s.
        clock.advance(Duration.ofSeconds(460).minusMillis(1));
        assertEquals(CompatibilityMode.IGMPV1, host.mode());
        clock.advance(Duration.ofMillis(1));
        assertEquals(CompatibilityMode.IGMPV3, host.mode());
        assertEquals(3, host.status().robustness());
    }
}
