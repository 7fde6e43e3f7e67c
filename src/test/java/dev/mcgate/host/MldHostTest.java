package dev.mcgate.host;

import static dev.mcgate.packet.RecordType.ALLOW_NEW_SOURCES;
import static dev.mcgate.packet.RecordType.BLOCK_OLD_SOURCES;
import static dev.mcgate.packet.RecordType.CHANGE_TO_EXCLUDE_MODE;
import static dev.mcgate.packet.RecordType.CHANGE_TO_INCLUDE_MODE;
import static dev.mcgate.packet.RecordType.MODE_IS_EXCLUDE;
import static dev.mcgate.packet.RecordType.MODE_IS_INCLUDE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.config.QuerierAdoption;
import dev.mcgate.net.Ip6;
import dev.mcgate.net.IpFamily;
import dev.mcgate.net.SourceSet;
import dev.mcgate.net.Subscription;
import dev.mcgate.packet.MldDone;
import dev.mcgate.packet.MldMessage;
import dev.mcgate.packet.MldMessageDecoder;
import dev.mcgate.packet.MldMessageEncoder;
import dev.mcgate.packet.MldPacket;
import dev.mcgate.packet.MldV1Query;
import dev.mcgate.packet.MldV1Report;
import dev.mcgate.packet.MldV2Query;
import dev.mcgate.packet.MldV2Report;
import dev.mcgate.packet.MulticastAddressRecord;
import dev.mcgate.packet.RecordType;
import dev.mcgate.time.ManualScheduler;
import dev.mcgate.time.RandomSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The MLD host side (RFC 9777 §6, §8.2; RFC 2710 §4) on a hand-driven clock: the IGMP state machine, MLD messages. */
class MldHostTest {

    private static final Ip6 G = Ip6.parse("ff0e::1:1");
    private static final Ip6 G2 = Ip6.parse("ff38::2");
    private static final Ip6 S1 = Ip6.parse("2001:db8::1");
    private static final Ip6 S2 = Ip6.parse("2001:db8::2");
    private static final Ip6 S3 = Ip6.parse("2001:db8::3");
    private static final Ip6 QUERIER = Ip6.parse("fe80::1");
    private static final Ip6 OWN = Ip6.parse("fe80::2");

    private final ManualScheduler clock = new ManualScheduler();
    private final List<Sent> sent = new ArrayList<>();

    private record Sent(Duration at, MldMessage message) {}

    private HostInterface host(int robustness, RandomSource random) {
        HostSettings settings = new HostSettings(
                3,
                robustness,
                Duration.ofSeconds(125),
                HostSettings.V3_UNSOLICITED_REPORT_INTERVAL,
                HostSettings.V2_UNSOLICITED_REPORT_INTERVAL,
                QuerierAdoption.DEFAULTS);
        return HostInterface.mld(
                "up0",
                settings,
                clock,
                random,
                m -> sent.add(new Sent(Duration.ofNanos(clock.nanoTime()), m)),
                1280,
                LinkFilter.NONE);
    }

    private static Subscription in(Ip6... sources) {
        return Subscription.include(SourceSet.of(sources));
    }

    private static Subscription ex(Ip6... sources) {
        return Subscription.exclude(SourceSet.of(sources));
    }

    private static MulticastAddressRecord rec(RecordType type, Ip6 group, Ip6... sources) {
        return new MulticastAddressRecord(type, group, Arrays.asList(sources));
    }

    private static MldV2Report report(MulticastAddressRecord... records) {
        return new MldV2Report(List.of(records));
    }

    private List<MldMessage> take() {
        List<MldMessage> out = sent.stream().map(Sent::message).toList();
        sent.clear();
        return out;
    }

    @Test
    void stateChangesAreReportedAtOnceThenRetransmittedRobustnessTimesInAll() {
        HostInterface host = host(3, TestValues.MAX);
        host.setDesired(G, ex());
        host.setDesired(G2, in(S1));
        assertEquals(List.of(report(rec(CHANGE_TO_EXCLUDE_MODE, G)), report(rec(ALLOW_NEW_SOURCES, G2, S1))), take());
        clock.advance(Duration.ofSeconds(10));
        // Robustness 3: each change is sent twice more; both groups' retransmissions share one report.
        assertEquals(
                List.of(
                        report(rec(CHANGE_TO_EXCLUDE_MODE, G), rec(ALLOW_NEW_SOURCES, G2, S1)),
                        report(rec(CHANGE_TO_EXCLUDE_MODE, G), rec(ALLOW_NEW_SOURCES, G2, S1))),
                take());

        host.setDesired(G2, in(S2));
        host.setDesired(G, Subscription.NONE);
        clock.advance(Duration.ofSeconds(10));
        List<MldMessage> all = take();
        assertEquals(
                List.of(
                        report(rec(ALLOW_NEW_SOURCES, G2, S2), rec(BLOCK_OLD_SOURCES, G2, S1)),
                        report(rec(CHANGE_TO_INCLUDE_MODE, G))),
                all.subList(0, 2));
        assertEquals(
                List.of(
                        report(
                                rec(CHANGE_TO_INCLUDE_MODE, G),
                                rec(ALLOW_NEW_SOURCES, G2, S2),
                                rec(BLOCK_OLD_SOURCES, G2, S1)),
                        report(
                                rec(CHANGE_TO_INCLUDE_MODE, G),
                                rec(ALLOW_NEW_SOURCES, G2, S2),
                                rec(BLOCK_OLD_SOURCES, G2, S1))),
                all.subList(2, all.size()));
        assertEquals(Map.of(G2, in(S2)), host.states());
        assertEquals("MLDv2", host.status().versionName());
        assertEquals(IpFamily.IPV6, host.status().family());
    }

    @Test
    void aGeneralQueryIsAnsweredWithCurrentStateRecordsWithinMaximumResponseDelay() {
        for (long seed = 0; seed < 20; seed++) {
            sent.clear();
            HostInterface host = host(2, RandomSource.seeded(seed));
            host.setDesired(G, ex(S3));
            host.setDesired(G2, in(S1, S2));
            clock.advance(Duration.ofSeconds(10));
            sent.clear();
            Duration queriedAt = Duration.ofNanos(clock.nanoTime());
            host.receiveQuery(QUERIER, MldV2Query.general(3000, 2, 125));
            assertEquals(List.of(), sent, "never at once");
            clock.advance(Duration.ofSeconds(3));
            assertEquals(1, sent.size(), "seed " + seed);
            Duration delay = sent.get(0).at().minus(queriedAt);
            assertTrue(delay.compareTo(Duration.ZERO) > 0 && delay.compareTo(Duration.ofMillis(3000)) <= 0, "" + delay);
            assertEquals(
                    report(rec(MODE_IS_EXCLUDE, G, S3), rec(MODE_IS_INCLUDE, G2, S1, S2)),
                    sent.get(0).message());
            host.discard();
        }
    }

    @Test
    void aGroupAndSourceSpecificQueryIsAnsweredWithTheIntersection() {
        HostInterface host = host(2, TestValues.MAX);
        host.setDesired(G2, in(S1, S2));
        clock.advance(Duration.ofSeconds(10));
        take();
        host.receiveQuery(QUERIER, new MldV2Query(G2, 1000, false, 2, 125, List.of(S2, S3)));
        clock.advance(Duration.ofSeconds(1));
        assertEquals(List.of(report(rec(MODE_IS_INCLUDE, G2, S2))), take());
        // A source the state does not want: nothing to say.
        host.receiveQuery(QUERIER, new MldV2Query(G2, 1000, false, 2, 125, List.of(S3)));
        clock.advance(Duration.ofSeconds(1));
        assertEquals(List.of(), take());
    }

    @Test
    void anMldv1QuerierBringsMldv1ReportsAndDoneUntilTheOlderVersionQuerierPresentTimeout() {
        HostInterface host = host(2, TestValues.MAX);
        host.setDesired(G, ex());
        clock.advance(Duration.ofSeconds(10));
        take();

        host.receiveQuery(QUERIER, new MldV1Query(Ip6.UNSPECIFIED, 10_000));
        assertEquals(CompatibilityMode.IGMPV2, host.mode());
        assertEquals("MLDv1", host.status().versionName());
        clock.advance(Duration.ofSeconds(10));
        assertEquals(List.of(new MldV1Report(G)), take(), "the query answered in MLDv1");

        Ip6 joined = Ip6.parse("ff0e::7");
        host.setDesired(joined, ex());
        host.setDesired(G, Subscription.NONE);
        assertEquals(List.of(new MldV1Report(joined), new MldDone(G)), take());

        // Older Version Querier Present Timeout = RV x QI + QRI = 2 x 125 s + 10 s (RFC 9777 §9.12).
        clock.advance(Duration.ofSeconds(260).minus(Duration.ofSeconds(10 + 1)));
        assertEquals(CompatibilityMode.IGMPV2, host.mode());
        take();
        clock.advance(Duration.ofSeconds(1));
        assertEquals(CompatibilityMode.IGMPV3, host.mode());
        host.setDesired(joined, in(S1));
        assertEquals(List.of(report(rec(CHANGE_TO_INCLUDE_MODE, joined, S1))), take());
    }

    @Test
    void anAddressSpecificMldv1QuerySwitchesTooUnlikeAnIgmpv2One() {
        HostInterface host = host(2, TestValues.MAX);
        host.setDesired(G, ex());
        take();
        host.receiveQuery(QUERIER, new MldV1Query(G, 1000));
        assertEquals(CompatibilityMode.IGMPV2, host.mode());
        clock.advance(Duration.ofSeconds(1));
        assertEquals(List.of(new MldV1Report(G)), take());
    }

    @Test
    void theLinkFilterGetsThe3333MacOfTheLow32BitsOncePerMac() {
        List<String> calls = new ArrayList<>();
        LinkFilter link = new LinkFilter() {
            @Override
            public void join(dev.mcgate.net.MacAddress mac) {
                calls.add("join " + mac);
            }

            @Override
            public void leave(dev.mcgate.net.MacAddress mac) {
                calls.add("leave " + mac);
            }
        };
        HostInterface host =
                HostInterface.mld("up0", HostSettings.DEFAULTS, clock, TestValues.MAX, m -> {}, 1280, link);
        Ip6 sameLow32 = Ip6.parse("ff05::1:1");
        host.setDesired(G, ex());
        host.setDesired(sameLow32, ex());
        host.setDesired(G, Subscription.NONE);
        assertEquals(List.of("join " + dev.mcgate.net.MacAddress.parse("33:33:00:01:00:01")), calls);
        host.setDesired(sameLow32, Subscription.NONE);
        assertEquals(
                List.of(
                        "join " + dev.mcgate.net.MacAddress.parse("33:33:00:01:00:01"),
                        "leave " + dev.mcgate.net.MacAddress.parse("33:33:00:01:00:01")),
                calls);
    }

    @Test
    void stopLeavesEveryGroupInOneMldv2Report() {
        HostInterface host = host(2, TestValues.MAX);
        Ip6 other = Ip6.parse("ff0e::9");
        host.setDesired(G, ex());
        host.setDesired(other, ex(S1));
        host.setDesired(G2, in(S2));
        clock.advance(Duration.ofSeconds(10));
        take();
        host.stop();
        assertEquals(
                List.of(report(
                        // in address order: ff0e::9 before ff0e::1:1
                        rec(CHANGE_TO_INCLUDE_MODE, other),
                        rec(CHANGE_TO_INCLUDE_MODE, G),
                        rec(BLOCK_OLD_SOURCES, G2, S2))),
                take());
        host.setDesired(G, ex());
        clock.advance(Duration.ofSeconds(10));
        assertEquals(List.of(), take(), "nothing after stop");
    }

    @Test
    void linkScopeGroupsAndTheAllNodesGroupAreNeverReported() {
        HostInterface host = host(2, TestValues.MAX);
        List<Ip6> never =
                List.of(Ip6.parse("ff02::1"), Ip6.parse("ff02::1:ff00:1"), Ip6.parse("ff01::5"), Ip6.parse("ff00::5"));
        for (Ip6 g : never) {
            host.setDesired(g, ex());
        }
        assertEquals(List.of(), take());
        assertEquals(never.size(), host.status().notReported());
        host.setDesired(Ip6.parse("ff05::5"), ex());
        assertEquals(List.of(report(rec(CHANGE_TO_EXCLUDE_MODE, Ip6.parse("ff05::5")))), take());
    }

    @Test
    void ssmGroupsTakeNoExcludeModeAndNoMldv1Report() {
        HostInterface host = host(2, TestValues.MAX);
        host.setDesired(G2, ex());
        assertEquals(List.of(), take());
        host.receiveQuery(QUERIER, new MldV1Query(Ip6.UNSPECIFIED, 1000));
        host.setDesired(G2, in(S1));
        assertEquals(List.of(), take());
        assertEquals(2, host.status().notReported());
    }

    @Test
    void groupsOfTheOtherFamilyAreRefused() {
        HostInterface host = host(2, TestValues.MAX);
        assertThrows(IllegalArgumentException.class, () -> host.setDesired(TestValues.ip("239.1.1.1"), in()));
    }

    @Test
    void everythingSentEncodesAndDecodesBackAsTheSameMessage() throws Exception {
        HostInterface host = host(2, TestValues.MAX);
        host.setDesired(G, ex(S1));
        host.setDesired(G2, in(S1, S2));
        host.receiveQuery(QUERIER, MldV2Query.general(1000, 2, 125));
        clock.advance(Duration.ofSeconds(2));
        host.receiveQuery(QUERIER, new MldV1Query(Ip6.UNSPECIFIED, 1000));
        host.setDesired(Ip6.parse("ff0e::77"), ex());
        host.setDesired(G, Subscription.NONE);
        List<MldMessage> all = take();
        assertTrue(all.stream().anyMatch(m -> m instanceof MldV2Report));
        assertTrue(all.stream().anyMatch(m -> m instanceof MldV1Report));
        assertTrue(all.stream().anyMatch(m -> m instanceof MldDone));
        for (MldMessage m : all) {
            byte[] wire = MldMessageEncoder.encode(m, OWN, m.destination());
            assertEquals(m, MldMessageDecoder.decode(wire, 0, wire.length, OWN, m.destination()));
        }
    }

    @Test
    void largeReportsAreSplitSoThatEachPacketFitsTheMinimumMtu() throws Exception {
        HostInterface host = host(1, TestValues.MAX);
        List<Ip6> sources = new ArrayList<>();
        for (int i = 1; i <= 200; i++) {
            sources.add(Ip6.parse("2001:db8::" + Integer.toHexString(i)));
        }
        host.setDesired(G, in(sources.toArray(Ip6[]::new)));
        // TO_EX with more sources than fit: only the lowest that fit, in one report (RFC 9777 §5.2.15).
        host.setDesired(G, ex(sources.toArray(Ip6[]::new)));
        List<MldMessage> all = take();
        assertTrue(all.size() > 2, "split: " + all.size());
        List<Ip6> allowed = new ArrayList<>();
        for (MldMessage m : all) {
            byte[] wire = MldMessageEncoder.encode(m, OWN, m.destination());
            // IPv6 header 40 + Hop-by-Hop 8 + the message.
            assertTrue(40 + 8 + wire.length <= 1280, "packet of " + (48 + wire.length));
            MldV2Report r = (MldV2Report) MldMessageDecoder.decode(wire, 0, wire.length, OWN, m.destination());
            for (MulticastAddressRecord record : r.records()) {
                if (record.type() == ALLOW_NEW_SOURCES) {
                    allowed.addAll(record.sources());
                }
            }
        }
        assertEquals(sources, allowed, "ALLOW is cut into pieces, none lost");
        MldV2Report last = (MldV2Report) all.get(all.size() - 1);
        assertEquals(1, last.records().size());
        MulticastAddressRecord toEx = last.records().get(0);
        assertEquals(CHANGE_TO_EXCLUDE_MODE, toEx.type());
        assertEquals(sources.subList(0, toEx.sources().size()), toEx.sources());
        assertTrue(toEx.sources().size() < sources.size());
        int packet = MldPacket.of(Ip6.parse("fe80::1"), last).header().totalLength();
        assertTrue(packet <= 1280 && packet + 16 > 1280, "the TO_EX takes as many sources as fit: " + packet);
        assertFalse(host.isStopped());
    }
}
