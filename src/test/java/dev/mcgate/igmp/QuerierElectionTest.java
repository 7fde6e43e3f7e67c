package dev.mcgate.igmp;

import static dev.mcgate.igmp.Harness.G;
import static dev.mcgate.igmp.Harness.HOST1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.config.MembershipLimits;
import dev.mcgate.net.Ip4;
import dev.mcgate.packet.LeaveGroup;
import dev.mcgate.packet.V2MembershipReport;
import dev.mcgate.packet.V2Query;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 3376 §6.6.2 querier election, and adopting QRV / QQIC (§4.1.6, §4.1.7). */
class QuerierElectionTest {

    private static final Ip4 LOWER = Ip4.parse("10.0.0.1");
    private static final Ip4 HIGHER = Ip4.parse("10.0.0.9");
    /** Unsigned order: 200.x is above 10.x even though its int is negative. */
    private static final Ip4 HIGH_BIT = Ip4.parse("200.0.0.1");

    @Test
    void aQueryFromALowerAddressTakesTheRoleUntilOtherQuerierPresentIntervalPasses() {
        Harness h = new Harness().started();
        assertTrue(h.router.snapshot().querier());
        h.receive(LOWER, Harness.generalQuery());
        RouterSnapshot s = h.router.snapshot();
        assertFalse(s.querier());
        assertEquals(LOWER, s.querierAddress());
        assertEquals(Harness.V3.otherQuerierPresentInterval(), s.otherQuerierPresent());
        // No queries of ours while another router is querier (the startup query included).
        h.advance(Duration.ofSeconds(255).minusMillis(1));
        assertEquals(List.of(), h.takeQueries());
        assertFalse(h.router.snapshot().querier());
        h.advance(Duration.ofMillis(1));
        // The role comes back after OQPI (255 s) with a general query at once, then every Query Interval.
        assertTrue(h.router.snapshot().querier());
        assertEquals(Harness.OWN, h.router.snapshot().querierAddress());
        assertEquals(List.of("GQ"), h.takeQueries());
        h.advanceSeconds(125);
        assertEquals(List.of("GQ"), h.takeQueries());
    }

    @Test
    void eachQueryFromTheQuerierRestartsTheOtherQuerierPresentTimer() {
        Harness h = new Harness().started();
        for (int i = 0; i < 5; i++) {
            h.receive(LOWER, Harness.generalQuery());
            h.advanceSeconds(125);
        }
        assertFalse(h.router.snapshot().querier());
        assertEquals(List.of(), h.takeQueries());
    }

    @Test
    void queriesFromHigherAddressesAndFromZeroNeverWin() {
        Harness h = new Harness().started();
        h.receive(HIGHER, Harness.generalQuery());
        h.receive(HIGH_BIT, Harness.generalQuery());
        h.receive(Ip4.ANY, Harness.generalQuery());
        h.receive(Ip4.ANY, new V2Query(Ip4.ANY, 100));
        assertTrue(h.router.snapshot().querier());
        h.advance(Duration.ofMillis(31_250));
        assertEquals(List.of("GQ"), h.takeQueries());
    }

    @Test
    void aRouterWithoutAnAddressYieldsToAnyRealQuerierButNotToZero() {
        Harness h = new Harness(Ip4.ANY, Harness.V3, false).started();
        h.receive(Ip4.ANY, Harness.generalQuery());
        assertTrue(h.router.snapshot().querier());
        h.receive(HIGH_BIT, Harness.generalQuery());
        assertFalse(h.router.snapshot().querier());
    }

    @Test
    void aNonQuerierAdoptsTheQueriersRobustnessAndQueryInterval() {
        Harness h = new Harness().started();
        h.receive(LOWER, Harness.query(Ip4.ANY, false, 3, 60, List.of()));
        RouterSnapshot s = h.router.snapshot();
        assertEquals(3, s.robustness());
        assertEquals(Duration.ofSeconds(60), s.queryInterval());
        // OQPI = 3 x 60 + 10 / 2 = 185 s; GMI = 3 x 60 + 10 = 190 s.
        assertEquals(Duration.ofSeconds(185), s.otherQuerierPresent());
        h.receive(HOST1, new V2MembershipReport(G));
        assertEquals(Duration.ofSeconds(190), h.group().groupTimer());
        // QRV 0 and QQIC 0 mean "use your own".
        h.receive(LOWER, Harness.query(Ip4.ANY, false, 0, 0, List.of()));
        assertEquals(2, h.router.snapshot().robustness());
        assertEquals(Duration.ofSeconds(125), h.router.snapshot().queryInterval());
        // Back as querier, the configured values are in force again.
        h.receive(LOWER, Harness.query(Ip4.ANY, false, 4, 30, List.of()));
        h.advanceSeconds(4 * 30 + 5);
        assertTrue(h.router.snapshot().querier());
        assertEquals(2, h.router.snapshot().robustness());
        assertEquals(Duration.ofSeconds(125), h.router.snapshot().queryInterval());
    }

    @Test
    void theRoleIsNotHandedOverInTheMiddleOfLastMemberQueries() {
        Harness h = new Harness().started();
        h.receive(HOST1, new V2MembershipReport(G));
        h.receive(HOST1, new LeaveGroup(G));
        assertEquals(List.of("Q(G)"), h.takeQueries());
        h.advanceSeconds(0.5);
        h.receive(LOWER, Harness.generalQuery());
        assertTrue(h.router.snapshot().querier(), "still querier while last-member queries run");
        h.advanceSeconds(0.5);
        assertEquals(List.of("Q(G)"), h.takeQueries());
        h.advanceSeconds(1);
        // The group expired at LMQT: the queries are over, so the handover happened, timed from when it was heard.
        assertFalse(h.hasGroup());
        RouterSnapshot s = h.router.snapshot();
        assertFalse(s.querier());
        assertEquals(LOWER, s.querierAddress());
        assertEquals(Harness.V3.otherQuerierPresentInterval().minusMillis(1500), s.otherQuerierPresent());
    }

    @Test
    void aGeneralQueryIsHeldBackWhileAHandoverWaits() {
        Harness h = new Harness().started();
        h.advanceSeconds(31.25 - 0.5);
        h.receive(HOST1, new V2MembershipReport(G));
        h.receive(HOST1, new LeaveGroup(G));
        h.receive(LOWER, Harness.generalQuery());
        assertEquals(List.of("Q(G)"), h.takeQueries());
        h.advanceSeconds(0.5); // the second startup query was due now
        assertEquals(List.of(), h.takeQueries());
        h.advanceSeconds(0.5);
        assertEquals(List.of("Q(G)"), h.takeQueries());
        h.advanceSeconds(1);
        assertFalse(h.router.snapshot().querier());
        // Nothing more until the Other Querier Present timer (from when the query was heard) runs out.
        h.advance(Harness.V3.otherQuerierPresentInterval().minusMillis(2000).minusMillis(1));
        assertEquals(List.of(), h.takeQueries());
        h.advance(Duration.ofMillis(1));
        assertEquals(List.of("GQ"), h.takeQueries());
    }

    @Test
    void aForgedQueryWithQrv7AndQqic255HoldsTheRoleOnlyForTheCappedInterval() {
        Harness h = new Harness().started();
        h.receive(LOWER, Harness.query(Ip4.ANY, false, 7, 31744, List.of()));
        RouterSnapshot s = h.router.snapshot();
        assertFalse(s.querier());
        assertEquals(4, s.robustness());
        assertEquals(Duration.ofSeconds(250), s.queryInterval());
        // Other Querier Present Interval = 4 x 250 s + 10 s / 2, not 7 x 31744 s + 5 s (about 62 hours).
        h.advance(Duration.ofSeconds(1005).minusMillis(1));
        assertFalse(h.router.snapshot().querier());
        h.advance(Duration.ofMillis(1));
        assertTrue(h.router.snapshot().querier());
    }

    @Test
    void configuredCapsSetHowLongAForgedQueryHolds() {
        Harness h = new Harness(Harness.adoptingAtMost(3, Duration.ofSeconds(200)), false).started();
        h.receive(LOWER, Harness.query(Ip4.ANY, false, 7, 31744, List.of()));
        RouterSnapshot s = h.router.snapshot();
        assertEquals(3, s.robustness());
        assertEquals(Duration.ofSeconds(200), s.queryInterval());
        // 3 x 200 s + 10 s / 2, where the default caps give 1005 s.
        h.advance(Duration.ofSeconds(605).minusMillis(1));
        assertFalse(h.router.snapshot().querier());
        h.advance(Duration.ofMillis(1));
        assertTrue(h.router.snapshot().querier());
    }

    @Test
    void aReloadThatLowersTheCapsCapsWhatIsAlreadyAdopted() {
        Harness h = new Harness().started();
        h.receive(LOWER, Harness.query(Ip4.ANY, false, 7, 31744, List.of()));
        assertEquals(4, h.router.snapshot().robustness(), "the default cap");
        h.router.reconfigure(Harness.adoptingAtMost(2, Duration.ofSeconds(150)), false, MembershipLimits.DEFAULTS);
        RouterSnapshot s = h.router.snapshot();
        assertFalse(s.querier());
        assertEquals(2, s.robustness());
        assertEquals(Duration.ofSeconds(150), s.queryInterval());
    }

    @Test
    void valuesBelowTheCapsAndConfiguredValuesAboveThemAreAdoptedAsHeard() {
        assertEquals(3, dev.mcgate.config.QuerierAdoption.DEFAULTS.robustness(3, 2));
        assertEquals(6, dev.mcgate.config.QuerierAdoption.DEFAULTS.robustness(7, 6), "the configured 6 is the cap");
        assertEquals(
                Duration.ofSeconds(600),
                dev.mcgate.config.QuerierAdoption.DEFAULTS.queryInterval(31744, Duration.ofSeconds(600)),
                "a configured interval above 250 s is the cap");
        assertEquals(
                Duration.ofSeconds(60),
                dev.mcgate.config.QuerierAdoption.DEFAULTS.queryInterval(60, Duration.ofSeconds(125)));
    }
}
