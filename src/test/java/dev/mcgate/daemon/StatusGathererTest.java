package dev.mcgate.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mcgate.control.DaemonSnapshot;
import dev.mcgate.forward.DropReason;
import dev.mcgate.host.CompatibilityMode;
import dev.mcgate.host.HostStatus;
import dev.mcgate.igmp.RouterSnapshot;
import dev.mcgate.net.FilterMode;
import dev.mcgate.net.Ip4;
import dev.mcgate.net.SourceSet;
import dev.mcgate.net.Subscription;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** How the protocol packages' own snapshots become the operator's: names, modes, timers in seconds, kinds. */
class StatusGathererTest {

    @Test
    void aRouterSnapshotKeepsItsTimersInSeconds() {
        RouterSnapshot.Group g = new RouterSnapshot.Group(Ip4.parse("239.1.1.1"), FilterMode.EXCLUDE,
                Duration.ofMillis(258_250), Map.of(Ip4.parse("192.0.2.9"), Duration.ZERO), 2, Duration.ZERO,
                Duration.ofSeconds(100), 1, Subscription.exclude(SourceSet.of(Ip4.parse("192.0.2.9"))), false);
        RouterSnapshot r = new RouterSnapshot("down1", Ip4.parse("198.51.100.1"), 3, false,
                Ip4.parse("198.51.100.0"), Duration.ofMillis(254_500), 2, Duration.ofSeconds(125), List.of(g),
                Map.of("fast leave", 1L));
        DaemonSnapshot.Router v = StatusGatherer.router(r);
        assertEquals(new DaemonSnapshot.Router("down1", "198.51.100.1", 3, false, "198.51.100.0", 254.5, 2, 125,
                List.of(new DaemonSnapshot.Group("239.1.1.1", "exclude", 258.25, 2,
                        List.of(new DaemonSnapshot.Source("192.0.2.9", 0)))), Map.of("fast leave", 1L)), v);
    }

    @Test
    void anUpstreamListsWhatItReportsAndNotTheGroupsItLeft() {
        Map<Ip4, Subscription> groups = new TreeMap<>();
        groups.put(Ip4.parse("232.1.1.1"), Subscription.include(SourceSet.of(Ip4.parse("192.0.2.10"))));
        groups.put(Ip4.parse("239.1.1.1"), Subscription.ANY_SOURCE);
        groups.put(Ip4.parse("239.2.2.2"), Subscription.NONE);
        HostStatus h = new HostStatus("up0", CompatibilityMode.IGMPV2, 2, groups, Optional.of(Ip4.parse("192.0.2.254")),
                5, 3, 1, 7, 0);
        assertEquals(new DaemonSnapshot.Upstream("up0", 2, Optional.of("192.0.2.254"), 8, 1, 7,
                List.of(new DaemonSnapshot.UpstreamGroup("232.1.1.1", "include", List.of("192.0.2.10")),
                        new DaemonSnapshot.UpstreamGroup("239.1.1.1", "exclude", List.of()))),
                StatusGatherer.upstream(h));
    }

    @Test
    void igmpCountsAreNamedByKindAndMalformedOnesByReason() {
        Map<String, Long> intake = new TreeMap<>(Map.of("down1 V3MembershipReport", 4L, "down1 LeaveGroup", 1L,
                "down2 malformed:BAD_CHECKSUM", 2L, "up0 V2Query", 3L, "down1 own", 9L));
        assertEquals(List.of(new DaemonSnapshot.IgmpCount("down1", "v2-leave", "", 1),
                new DaemonSnapshot.IgmpCount("down1", "v3-report", "", 4),
                new DaemonSnapshot.IgmpCount("down1", "own", "", 9),
                new DaemonSnapshot.IgmpCount("down2", "malformed", "bad-checksum", 2),
                new DaemonSnapshot.IgmpCount("up0", "v2-query", "", 3)), StatusGatherer.igmpCounts(intake));
        assertEquals("rpf-failed", StatusGatherer.keyword(DropReason.RPF_FAILED));
    }
}
