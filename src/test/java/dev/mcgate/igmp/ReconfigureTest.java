package dev.mcgate.igmp;

import static dev.mcgate.igmp.Harness.G;
import static dev.mcgate.igmp.Harness.HOST1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.config.IgmpSettings;
import dev.mcgate.config.MembershipLimits;
import dev.mcgate.net.Ip4;
import dev.mcgate.packet.LeaveGroup;
import dev.mcgate.packet.V2MembershipReport;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A reload hands a running router new parameters: each applies when its timer is next armed. */
class ReconfigureTest {

    private static IgmpSettings withLastMember(Duration interval, Duration queryInterval) {
        IgmpSettings d = IgmpSettings.RFC_DEFAULTS;
        return new IgmpSettings(
                3,
                d.robustness(),
                queryInterval,
                d.queryResponseInterval(),
                interval,
                d.lastMemberQueryCount(),
                d.startupQueryInterval(),
                d.startupQueryCount(),
                d.adoption());
    }

    @Test
    void fastLeaveTurnedOnPrunesTheNextLastLeaveAtOnce() {
        Harness h = new Harness(Harness.V3, false).started();
        h.receive(HOST1, new V2MembershipReport(G));

        h.router.reconfigure(Harness.V3, true, MembershipLimits.DEFAULTS);

        h.receive(HOST1, new LeaveGroup(G));
        assertFalse(h.hasGroup(), "fast leave now applies");
        assertEquals(List.of(), h.takeQueries());
    }

    @Test
    void aNewLastMemberQueryIntervalIsUsedByTheNextLeave() {
        Harness h = new Harness(Harness.V3, false).started();
        h.receive(HOST1, new V2MembershipReport(G));

        h.router.reconfigure(
                withLastMember(Duration.ofSeconds(5), IgmpSettings.DEFAULT_QUERY_INTERVAL),
                false,
                MembershipLimits.DEFAULTS);

        h.receive(HOST1, new LeaveGroup(G));
        h.advanceSeconds(4);
        assertTrue(h.hasGroup(), "LMQT is now 2 x 5 s, not 2 x 1 s");
        h.advanceSeconds(7);
        assertFalse(h.hasGroup());
    }

    @Test
    void whileAnotherRouterIsQuerierItsQueryIntervalStaysInForce() {
        Harness h = new Harness(Harness.V3, false).started();
        // A lower address wins the election; its v3 query carries QRV 3 and QQIC 60 s (RFC 3376 §4.1.6, §4.1.7).
        h.receive(Ip4.parse("10.0.0.1"), Harness.query(Ip4.ANY, false, 3, 60, List.of()));
        assertFalse(h.router.snapshot().querier());

        h.router.reconfigure(
                withLastMember(Duration.ofSeconds(1), Duration.ofSeconds(30)), false, MembershipLimits.DEFAULTS);

        assertEquals(Duration.ofSeconds(60), h.router.snapshot().queryInterval(), "the querier's QQI stays");
        assertEquals(3, h.router.snapshot().robustness());
    }

    @Test
    void aNewVersionNeedsANewRouter() {
        Harness h = new Harness(Harness.V3, false).started();
        assertThrows(
                IllegalArgumentException.class,
                () -> h.router.reconfigure(Harness.version(2), false, MembershipLimits.DEFAULTS));
    }
}
