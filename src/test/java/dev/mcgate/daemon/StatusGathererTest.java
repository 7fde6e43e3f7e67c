package dev.mcgate.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mcgate.control.DaemonSnapshot;
import dev.mcgate.forward.DropReason;
import dev.mcgate.host.CompatibilityMode;
import dev.mcgate.host.HostStatus;
import dev.mcgate.igmp.RouterCounter;
import dev.mcgate.igmp.RouterSnapshot;
import dev.mcgate.net.FilterMode;
import dev.mcgate.net.Ip4;
import dev.mcgate.net.SourceSet;
import dev.mcgate.net.Subscription;
import dev.mcgate.tunnel.TunnelCounter;
import dev.mcgate.tunnel.TunnelDrop;
import dev.mcgate.tunnel.TunnelStatus;
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
        RouterSnapshot.Group g = new RouterSnapshot.Group(
                Ip4.parse("239.1.1.1"),
                FilterMode.EXCLUDE,
                Duration.ofMillis(258_250),
                Map.of(Ip4.parse("192.0.2.9"), Duration.ZERO),
                2,
                Duration.ZERO,
                Duration.ofSeconds(100),
                1,
                Subscription.exclude(SourceSet.of(Ip4.parse("192.0.2.9"))),
                false);
        RouterSnapshot r = new RouterSnapshot(
                "down1",
                Ip4.parse("198.51.100.1"),
                3,
                false,
                Ip4.parse("198.51.100.0"),
                Duration.ofMillis(254_500),
                2,
                Duration.ofSeconds(125),
                List.of(g),
                Map.of(RouterCounter.FAST_LEAVES, 1L));
        DaemonSnapshot.Router v = StatusGatherer.router(r);
        Map<String, Long> counters = new TreeMap<>();
        for (RouterCounter c : RouterCounter.values()) {
            counters.put(c.metric(), c == RouterCounter.FAST_LEAVES ? 1L : 0L);
        }
        assertEquals(
                new DaemonSnapshot.Router(
                        "down1",
                        DaemonSnapshot.Router.IGMP,
                        "198.51.100.1",
                        3,
                        false,
                        "198.51.100.0",
                        254.5,
                        2,
                        125,
                        List.of(new DaemonSnapshot.Group(
                                "239.1.1.1", "exclude", 258.25, 2, List.of(new DaemonSnapshot.Source("192.0.2.9", 0)))),
                        counters),
                v,
                "every router counter by its name, zeros included");
    }

    @Test
    void anUpstreamListsWhatItReportsAndNotTheGroupsItLeft() {
        Map<Ip4, Subscription> groups = new TreeMap<>();
        groups.put(Ip4.parse("232.1.1.1"), Subscription.include(SourceSet.of(Ip4.parse("192.0.2.10"))));
        groups.put(Ip4.parse("239.1.1.1"), Subscription.ANY_SOURCE);
        groups.put(Ip4.parse("239.2.2.2"), Subscription.NONE);
        HostStatus h = new HostStatus(
                "up0", CompatibilityMode.IGMPV2, 2, groups, Optional.of(Ip4.parse("192.0.2.254")), 5, 3, 1, 7, 0);
        assertEquals(
                new DaemonSnapshot.Upstream(
                        "up0",
                        DaemonSnapshot.Router.IGMP,
                        2,
                        Optional.of("192.0.2.254"),
                        8,
                        1,
                        7,
                        List.of(
                                new DaemonSnapshot.UpstreamGroup("232.1.1.1", "include", List.of("192.0.2.10")),
                                new DaemonSnapshot.UpstreamGroup("239.1.1.1", "exclude", List.of()))),
                StatusGatherer.upstream(h));
    }

    @Test
    void dropReasonsAreShownInLowerCaseWithDashes() {
        assertEquals("rpf-failed", DropReason.RPF_FAILED.keyword());
        assertEquals("auth-failed", TunnelDrop.AUTH_FAILED.keyword());
    }

    @Test
    void aTunnelStatusBecomesPlainValuesAndItsDropsAreRecordedUnderItsName() {
        Map<TunnelDrop, Long> drops = new java.util.EnumMap<>(TunnelDrop.class);
        drops.put(TunnelDrop.REPLAYED, 4L);
        drops.put(TunnelDrop.AUTH_FAILED, 2L);
        drops.put(TunnelDrop.NO_SESSION, 5L);
        drops.put(TunnelDrop.WRONG_PEER, 0L);
        TunnelStatus up = new TunnelStatus(
                "tun0",
                "192.0.2.9:4800",
                "downstream",
                TunnelStatus.PeerState.UP,
                Duration.ofMillis(12_500),
                Optional.of(Duration.ofMillis(250)),
                Optional.of(Duration.ofSeconds(40)),
                2,
                3,
                100,
                1,
                30,
                29,
                1,
                drops,
                1400);
        assertEquals(
                new DaemonSnapshot.Tunnel(
                        "tun0",
                        "192.0.2.9:4800",
                        "downstream",
                        "up",
                        12.5,
                        Optional.of(0.25),
                        Optional.of(40.0),
                        2,
                        3,
                        100,
                        1,
                        30,
                        29,
                        1,
                        1400),
                StatusGatherer.tunnel(up));
        assertEquals(List.of("tun0 in auth-failed 2", "tun0 in replayed 4", "tun0 out no-session 5"), drops(up));

        TunnelStatus connecting = new TunnelStatus(
                "tun1",
                "198.51.100.2:4800",
                "upstream",
                TunnelStatus.PeerState.CONNECTING,
                Duration.ofSeconds(3),
                Optional.empty(),
                Optional.empty(),
                0,
                0,
                0,
                0,
                2,
                0,
                0,
                Map.of(),
                1372);
        DaemonSnapshot.Tunnel t = StatusGatherer.tunnel(connecting);
        assertEquals("connecting", t.state());
        assertEquals(Optional.empty(), t.lastHeardSeconds());
        assertEquals(Optional.empty(), t.sessionAgeSeconds());
        assertEquals(List.of(), drops(connecting));

        TunnelStatus waiting = TunnelStatus.notOpen(
                "tun2",
                "10.9.1.1:7400",
                "upstream",
                Duration.ofSeconds(7),
                1440,
                "cannot bind 10.9.2.1:7400: Cannot assign requested address");
        DaemonSnapshot.Tunnel w = StatusGatherer.tunnel(waiting);
        assertEquals("not-open", w.state());
        assertEquals(7.0, w.stateSeconds());
        assertEquals(Optional.of("cannot bind 10.9.2.1:7400: Cannot assign requested address"), w.reason());
        assertEquals(Optional.empty(), StatusGatherer.tunnel(up).reason());
    }

    /** The tunnel's non-zero drops as it records them: "TUNNEL DIRECTION REASON COUNT". */
    private static List<String> drops(TunnelStatus t) {
        List<String> out = new java.util.ArrayList<>();
        t.recordInto((counter, value, labels) -> {
            if (counter == TunnelCounter.DROPS && value > 0) {
                out.add(String.join(" ", labels) + " " + value);
            }
        });
        return out;
    }
}
