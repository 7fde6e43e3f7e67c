package dev.mcgate.control;

import dev.mcgate.counters.CounterReadings;
import dev.mcgate.counters.CounterRegistry;
import dev.mcgate.daemon.CounterCatalog;
import dev.mcgate.daemon.IgmpIntakeCounter;
import dev.mcgate.daemon.IgmpKind;
import dev.mcgate.daemon.LoopCounter;
import dev.mcgate.forward.DropReason;
import dev.mcgate.forward.ForwardingCounters;
import dev.mcgate.forward.InterfaceCounters;
import dev.mcgate.igmp.RouterCounter;
import dev.mcgate.io.PortCounters;
import dev.mcgate.tunnel.TunnelDrop;
import dev.mcgate.tunnel.TunnelStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Snapshots for renderer, dispatcher and metrics tests: a small router with every kind of figure set. */
public final class Snapshots {

    private Snapshots() {}

    /**
     * up0 upstream (querier 192.0.2.254 heard, v2), down1 querier, down2 not querier, eth9 pending; one flow; tunnel
     * tun-a up (7 messages refused on authentication), tun-b never connected.
     */
    public static DaemonSnapshot sample() {
        return new DaemonSnapshot(
                "1.2.3",
                93784.5,
                List.of(
                        new DaemonSnapshot.Interface(
                                "up0",
                                "upstream",
                                "open",
                                Optional.of("192.0.2.1"),
                                Optional.of("ethernet"),
                                1000,
                                20,
                                0,
                                0,
                                3_955_200),
                        new DaemonSnapshot.Interface(
                                "down1",
                                "downstream",
                                "open",
                                Optional.of("198.51.100.1"),
                                Optional.of("ethernet"),
                                30,
                                950,
                                1,
                                0,
                                988_800),
                        new DaemonSnapshot.Interface(
                                "down2",
                                "downstream",
                                "open",
                                Optional.of("203.0.113.1"),
                                Optional.of("raw-ip"),
                                5,
                                6,
                                0,
                                -1,
                                4 << 20),
                        new DaemonSnapshot.Interface(
                                "eth9", "downstream", "pending", Optional.empty(), Optional.empty(), 0, 0, 0, -1, -1)),
                List.of(
                        new DaemonSnapshot.Router(
                                "down1",
                                DaemonSnapshot.Router.IGMP,
                                "198.51.100.1",
                                3,
                                true,
                                "198.51.100.1",
                                0,
                                2,
                                125,
                                List.of(
                                        new DaemonSnapshot.Group("239.1.1.1", "exclude", 258.25, 3, List.of()),
                                        new DaemonSnapshot.Group(
                                                "232.1.1.1",
                                                "include",
                                                0,
                                                3,
                                                List.of(new DaemonSnapshot.Source("192.0.2.10", 201.5)))),
                                Map.of("router_fast_leaves", 2L)),
                        new DaemonSnapshot.Router(
                                "down2",
                                DaemonSnapshot.Router.IGMP,
                                "203.0.113.1",
                                2,
                                false,
                                "203.0.113.2",
                                250.125,
                                2,
                                125,
                                List.of(),
                                Map.of())),
                List.of(new DaemonSnapshot.Upstream(
                        "up0",
                        DaemonSnapshot.Router.IGMP,
                        2,
                        Optional.of("192.0.2.254"),
                        7,
                        1,
                        4,
                        List.of(
                                new DaemonSnapshot.UpstreamGroup("239.1.1.1", "exclude", List.of()),
                                new DaemonSnapshot.UpstreamGroup("232.1.1.1", "include", List.of("192.0.2.10"))))),
                List.of(new DaemonSnapshot.Flow(
                        "192.0.2.10", "239.1.1.1", "up0", List.of("down1"), 950, 1_316_000, 500.0, 5_264_000.0, 0.002)),
                1.0,
                new DaemonSnapshot.Loop(4, 0, 0),
                List.of(
                        new DaemonSnapshot.Tunnel(
                                "tun-a",
                                "192.0.2.50:4789",
                                "downstream",
                                "up",
                                75.25,
                                Optional.of(1.5),
                                Optional.of(300.0),
                                3,
                                2,
                                9000,
                                4,
                                120,
                                118,
                                1,
                                1400),
                        new DaemonSnapshot.Tunnel(
                                "tun-b",
                                "198.51.100.77:4790",
                                "upstream",
                                "connecting",
                                12.0,
                                Optional.empty(),
                                Optional.empty(),
                                0,
                                0,
                                0,
                                0,
                                6,
                                0,
                                0,
                                1372)),
                DaemonSnapshot.Engine.USER_SPACE,
                counters(),
                DaemonSnapshot.Relays.NONE);
    }

    /**
     * The sample's counters, recorded through the classes the daemon records them with where that is short: frames
     * per port, the forwarder's figures (up0: 50 in not-wanted; down1: 3 out mtu-exceeded), IGMP heard on down1
     * (12 v3 reports, 2 with a bad checksum), 4 loop events dropped, the tunnels' messages (tun-a: 7 refused on
     * authentication), 2 fast leaves on down1.
     */
    public static CounterReadings counters() {
        CounterRegistry registry = CounterCatalog.newRegistry();
        return registry.read(out -> {
            new PortCounters(1000, 20, 0, 0).recordInto(out, "up0");
            new PortCounters(30, 950, 1, 0).recordInto(out, "down1");
            new PortCounters(5, 6, 0, -1).recordInto(out, "down2");
            new ForwardingCounters(
                            1,
                            List.of(
                                    new InterfaceCounters(
                                            "up0",
                                            1000,
                                            1_400_000,
                                            950,
                                            0,
                                            0,
                                            Map.of(DropReason.NOT_WANTED, 50L),
                                            0,
                                            0,
                                            Map.of()),
                                    new InterfaceCounters(
                                            "down1",
                                            0,
                                            0,
                                            0,
                                            0,
                                            0,
                                            Map.of(),
                                            950,
                                            1_316_000,
                                            Map.of(DropReason.MTU_EXCEEDED, 3L))),
                            List.of(),
                            0,
                            0)
                    .recordInto(out);
            for (IgmpKind kind : IgmpKind.values()) {
                if (kind != IgmpKind.MALFORMED) {
                    out.record(
                            IgmpIntakeCounter.MESSAGES,
                            kind == IgmpKind.V3_REPORT ? 12 : 0,
                            "down1",
                            kind.keyword(),
                            "");
                }
            }
            out.record(IgmpIntakeCounter.MESSAGES, 2, "down1", "malformed", "bad-checksum");
            out.record(RouterCounter.FAST_LEAVES, 2, "down1", "igmp");
            out.record(LoopCounter.INBOX_DROPS, 4);
            out.record(LoopCounter.FAILED_TASKS, 0);
            tunnel("tun-a", 3, 9000, 4, 120, 118, 1, Map.of(TunnelDrop.AUTH_FAILED, 7L))
                    .recordInto(out);
            tunnel("tun-b", 0, 0, 0, 6, 0, 0, Map.of()).recordInto(out);
        });
    }

    private static TunnelStatus tunnel(
            String name,
            long handshakes,
            long dataSent,
            long dataReceived,
            long controlSent,
            long controlReceived,
            long sendErrors,
            Map<TunnelDrop, Long> drops) {
        return new TunnelStatus(
                name,
                "192.0.2.50:4789",
                "downstream",
                TunnelStatus.PeerState.UP,
                Duration.ZERO,
                Optional.empty(),
                Optional.empty(),
                handshakes,
                0,
                dataSent,
                dataReceived,
                controlSent,
                controlReceived,
                sendErrors,
                drops,
                1400);
    }
}
