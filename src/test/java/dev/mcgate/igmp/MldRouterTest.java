package dev.mcgate.igmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.config.IgmpSettings;
import dev.mcgate.config.MembershipLimits;
import dev.mcgate.net.FilterMode;
import dev.mcgate.net.Ip6;
import dev.mcgate.net.SourceSet;
import dev.mcgate.packet.MldDone;
import dev.mcgate.packet.MldMessage;
import dev.mcgate.packet.MldMessageDecoder;
import dev.mcgate.packet.MldMessageEncoder;
import dev.mcgate.packet.MldV1Query;
import dev.mcgate.packet.MldV1Report;
import dev.mcgate.packet.MldV2Query;
import dev.mcgate.packet.MldV2Report;
import dev.mcgate.packet.MulticastAddressRecord;
import dev.mcgate.packet.RecordType;
import dev.mcgate.time.ManualScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The router side's state machines driven by MLD (RFC 9777, RFC 2710): the same machines as IGMP's, read through the
 * MLD translation (MLDv1 = generation 2, MLDv2 = generation 3), with MLD queries on the wire.
 */
class MldRouterTest {

    private static final Ip6 OWN = Ip6.parse("fe80::5");
    private static final Ip6 HOST1 = Ip6.parse("fe80::21");
    private static final Ip6 HOST2 = Ip6.parse("fe80::22");
    private static final Ip6 G = Ip6.parse("ff15::1:1");
    private static final Ip6 SSM = Ip6.parse("ff3e::8000:1");
    private static final Ip6 S1 = Ip6.parse("2001:db8::10");
    private static final Ip6 S2 = Ip6.parse("2001:db8::11");

    private final ManualScheduler clock = new ManualScheduler();
    private final List<MldMessage> sent = new ArrayList<>();
    private final List<String> published = new ArrayList<>();

    private RouterInterface router(Ip6 own, int generation) {
        RouterInterface r = new RouterInterface(
                "down1",
                own,
                settings(generation),
                false,
                MembershipLimits.DEFAULTS,
                clock,
                QueryOutput.mld(sent::add),
                (ifName, group, now) -> published.add(group + " " + now),
                QuerierListener.NONE);
        r.start();
        return r;
    }

    private static IgmpSettings settings(int generation) {
        IgmpSettings d = IgmpSettings.RFC_DEFAULTS;
        return new IgmpSettings(
                generation,
                d.robustness(),
                d.queryInterval(),
                d.queryResponseInterval(),
                d.lastMemberQueryInterval(),
                d.lastMemberQueryCount(),
                d.startupQueryInterval(),
                d.startupQueryCount(),
                d.adoption());
    }

    private static MldV2Report report(RecordType type, Ip6 group, Ip6... sources) {
        return new MldV2Report(List.of(new MulticastAddressRecord(type, group, List.of(sources))));
    }

    /** What the router sent, through the wire encoding and back: it must be a valid MLD message. */
    private static MldMessage onTheWire(MldMessage m) throws Exception {
        byte[] b = MldMessageEncoder.encode(m, OWN, m.destination());
        return MldMessageDecoder.decode(b, 0, b.length, OWN, m.destination());
    }

    @Test
    void anMldv2RouterSendsMldv2GeneralQueriesThatDecode() throws Exception {
        router(OWN, 3);
        assertEquals(1, sent.size(), "a startup query at once");
        MldV2Query q = assertInstanceOf(MldV2Query.class, onTheWire(sent.get(0)));
        assertTrue(q.isGeneral());
        assertEquals(Ip6.ALL_NODES, q.destination());
        // Query Response Interval 10 s, in milliseconds; QRV and QQI of the defaults.
        assertEquals(10_000, q.maxResponseDelay());
        assertEquals(2, q.querierRobustnessVariable());
        assertEquals(125, q.querierQueryInterval());
    }

    @Test
    void anMldv1RouterSendsMldv1Queries() throws Exception {
        router(OWN, 2);
        MldV1Query q = assertInstanceOf(MldV1Query.class, onTheWire(sent.get(0)));
        assertTrue(q.isGeneral());
        assertEquals(10_000, q.maxResponseDelay());
    }

    @Test
    void mldHasNoFirstGeneration() {
        assertThrows(IllegalArgumentException.class, () -> router(OWN, 1));
    }

    @Test
    void anMldv2JoinAndLeaveMoveTheSubscriptionAndAskTheLastListener() throws Exception {
        RouterInterface r = router(OWN, 3);
        r.receive(HOST1, report(RecordType.CHANGE_TO_EXCLUDE_MODE, G));
        assertEquals(List.of(G + " EX{}"), published);
        sent.clear();
        r.receive(HOST1, report(RecordType.CHANGE_TO_INCLUDE_MODE, G));
        // RFC 9777 §7.6.3.1: a Multicast Address Specific Query, retransmitted LLQC - 1 more times.
        MldV2Query q = assertInstanceOf(MldV2Query.class, onTheWire(sent.get(0)));
        assertEquals(G, q.multicastAddress());
        assertEquals(G, q.destination());
        assertEquals(1000, q.maxResponseDelay());
        clock.advance(Duration.ofSeconds(1));
        assertEquals(2, sent.size());
        clock.advance(Duration.ofSeconds(1));
        assertEquals(G + " IN{}", published.get(published.size() - 1));
        assertTrue(r.snapshot().groups().isEmpty());
    }

    @Test
    void anSsmJoinForwardsOnlyItsSourcesAndExcludeModeIsRefused() {
        RouterInterface r = router(OWN, 3);
        r.receive(HOST1, report(RecordType.CHANGE_TO_EXCLUDE_MODE, SSM));
        assertTrue(published.isEmpty(), "EXCLUDE in ff3x::/32 is ignored: " + published);
        assertEquals(1L, r.snapshot().counters().get(RouterCounter.SSM_EXCLUDE_RECORDS));
        r.receive(HOST1, report(RecordType.ALLOW_NEW_SOURCES, SSM, S1));
        assertEquals(List.of(SSM + " IN{" + S1 + "}"), published);
        assertTrue(r.subscription(SSM).wants(S1));
        assertFalse(r.subscription(SSM).wants(S2));
    }

    @Test
    void linkScopeGroupsGetNoRecord() {
        RouterInterface r = router(OWN, 3);
        r.receive(HOST1, report(RecordType.MODE_IS_EXCLUDE, Ip6.parse("ff02::fb")));
        r.receive(HOST1, report(RecordType.MODE_IS_EXCLUDE, Ip6.parse("ff01::1")));
        r.receive(HOST1, new MldV1Report(Ip6.parse("ff02::1:ff00:1")));
        assertTrue(published.isEmpty(), published.toString());
        assertEquals(3L, r.snapshot().counters().get(RouterCounter.NON_ROUTABLE_REPORTS));
    }

    @Test
    void anMldv1ListenerPutsTheGroupInMldv1ModeAndItsDoneIsALeave() throws Exception {
        RouterInterface r = router(OWN, 3);
        r.receive(HOST1, new MldV1Report(G));
        assertEquals(2, r.snapshot().group(G).orElseThrow().compatibilityMode());
        // RFC 9777 §8.3.2: in MLDv1 mode source lists are ignored: a BLOCK from an MLDv2 host changes nothing.
        r.receive(HOST2, report(RecordType.BLOCK_OLD_SOURCES, G, S1));
        assertEquals(FilterMode.EXCLUDE, r.snapshot().group(G).orElseThrow().filterMode());
        assertEquals(SourceSet.EMPTY, r.subscription(G).sources());
        sent.clear();
        r.receive(HOST1, new MldDone(G));
        assertInstanceOf(MldV2Query.class, onTheWire(sent.get(0)), "queries stay of the configured version");
        clock.advance(Duration.ofSeconds(2));
        assertTrue(r.snapshot().groups().isEmpty());
    }

    @Test
    void theLowestLinkLocalAddressIsQuerierAndTheUnspecifiedOneNever() {
        RouterInterface r = router(OWN, 3);
        r.receive(Ip6.UNSPECIFIED, MldV2Query.general(10_000, 2, 125));
        assertTrue(r.snapshot().querier(), "a query from :: (a snooping switch) never wins");
        r.receive(Ip6.parse("fe80::9"), MldV2Query.general(10_000, 2, 125));
        assertTrue(r.snapshot().querier(), "a higher address does not win");
        r.receive(Ip6.parse("fe80::1"), MldV2Query.general(10_000, 3, 60));
        assertFalse(r.snapshot().querier());
        assertEquals(Ip6.parse("fe80::1"), r.snapshot().querierAddress());
        assertEquals(3, r.snapshot().robustness(), "QRV adopted");
        assertEquals(Duration.ofSeconds(60), r.snapshot().queryInterval(), "QQI adopted");
        sent.clear();
        clock.advance(Duration.ofSeconds(125));
        assertTrue(sent.isEmpty(), "a non-querier sends no general queries: " + sent);
    }

    @Test
    void aHeardAddressSpecificQueryLowersTheGroupTimer() {
        RouterInterface r = router(Ip6.parse("fe80::9"), 3);
        r.receive(HOST1, report(RecordType.MODE_IS_EXCLUDE, G));
        r.receive(Ip6.parse("fe80::1"), new MldV2Query(G, 1000, false, 2, 125, List.of()));
        Duration left = r.snapshot().group(G).orElseThrow().groupTimer();
        // LLQT = LLQC (2) x the query's Maximum Response Delay (1 s).
        assertEquals(Duration.ofSeconds(2), left);
    }
}
