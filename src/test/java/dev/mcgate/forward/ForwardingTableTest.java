package dev.mcgate.forward;

import static dev.mcgate.forward.Lab.FAR_SOURCE;
import static dev.mcgate.forward.Lab.GROUP;
import static dev.mcgate.forward.Lab.REMOTE_SOURCE;
import static dev.mcgate.forward.Lab.RX1_SOURCE;
import static dev.mcgate.forward.Lab.RX2_SOURCE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mcgate.config.GlobalConfig;
import dev.mcgate.config.InterfaceConfig;
import dev.mcgate.config.InterfaceDefaults;
import dev.mcgate.config.McgateConfig;
import dev.mcgate.config.Role;
import dev.mcgate.forward.ForwardingTable.Decision;
import dev.mcgate.io.NetInterface;
import dev.mcgate.io.NetInterface.InterfaceAddress;
import dev.mcgate.net.Ip4;
import dev.mcgate.net.SourceSet;
import dev.mcgate.net.Subscription;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The table's decisions: RPF on the arrival interface, RFC 3376 §6.3 per interface, scope, filters, querier rule. */
class ForwardingTableTest {

    private static final Ip4 S1 = Ip4.parse("192.0.2.77");
    private static final Ip4 S2 = Ip4.parse("192.0.2.88");

    private static Map<Ip4, Subscription> any(Ip4 group) {
        return Map.of(group, Subscription.ANY_SOURCE);
    }

    private static void assertForwards(Decision d, String... egress) {
        assertEquals(Optional.empty(), d.drop(), "drop reason");
        assertEquals(List.of(egress), d.egress(), "egress interfaces");
    }

    private static void assertDrops(Decision d, DropReason reason) {
        assertEquals(Optional.of(reason), d.drop());
        assertEquals(List.of(), d.egress());
    }

    @Test
    void aRemoteSourceOnTheUpstreamGoesToTheDownstreamsWithMembers() {
        ForwardingTable t = Lab.standard().membership("down1", any(GROUP)).build();
        assertForwards(t.decide("up0", REMOTE_SOURCE, GROUP), "down1");
        assertForwards(t.decide("up0", FAR_SOURCE, GROUP), "down1");
    }

    @Test
    void aRemoteSourceArrivingOnADownstreamFailsRpf() {
        ForwardingTable t = Lab.standard()
                .membership("down1", any(GROUP))
                .membership("down2", any(GROUP))
                .build();
        assertDrops(t.decide("down2", FAR_SOURCE, GROUP), DropReason.RPF_FAILED);
        assertDrops(t.decide("down1", REMOTE_SOURCE, GROUP), DropReason.RPF_FAILED);
    }

    @Test
    void aLocalSourceGoesUpstreamAndToOtherDownstreamsButNeverBackOut() {
        ForwardingTable t = Lab.standard()
                .membership("down1", any(GROUP))
                .membership("down2", any(GROUP))
                .build();
        assertForwards(t.decide("down1", RX1_SOURCE, GROUP), "up0", "down2");
        assertForwards(t.decide("down2", RX2_SOURCE, GROUP), "up0", "down1");
    }

    @Test
    void aLocalSourceGoesUpstreamEvenWithoutDownstreamMembers() {
        ForwardingTable t = Lab.standard().build();
        assertForwards(t.decide("down1", RX1_SOURCE, GROUP), "up0");
    }

    @Test
    void aLocalSourceDoesNotGoUpAnUpstreamThatCarriesNone() {
        // An mcgate tunnel as upstream: the far side asks for what it wants, never for this side's sources.
        ForwardingTable t = new ForwardingTableBuilder()
                .add(Lab.tun0(Role.UPSTREAM).withCarriesLocalSources(false))
                .add(Lab.down1())
                .add(Lab.down2())
                .membership("down2", any(GROUP))
                .build();
        assertForwards(t.decide("down1", RX1_SOURCE, GROUP), "down2");
        assertDrops(t.decide("down2", RX2_SOURCE, GROUP), DropReason.NOT_WANTED);
        // What comes from the far side still goes down.
        assertForwards(t.decide("tun0", FAR_SOURCE, GROUP), "down2");
    }

    @Test
    void aLocalSourceIsAcceptedOnlyOnItsOwnDownstream() {
        ForwardingTable t = Lab.standard()
                .membership("down1", any(GROUP))
                .membership("down2", any(GROUP))
                .build();
        assertDrops(t.decide("down2", RX1_SOURCE, GROUP), DropReason.RPF_FAILED);
        assertDrops(t.decide("up0", RX1_SOURCE, GROUP), DropReason.RPF_FAILED);
    }

    @Test
    void aSourceAtThePeerOfAPointToPointDownstreamIsLocalToIt() {
        // ip addr add 10.9.0.1 peer 10.9.0.2/32 dev wg0: the kernel's prefix is the peer's (IFA_ADDRESS), not ours.
        Ip4 local = Ip4.parse("10.9.0.1");
        Ip4 peer = Ip4.parse("10.9.0.2");
        ForwardingTable withPeer = Lab.standard()
                .add(pointToPoint(InterfaceAddress.of(local, peer, 32)))
                .membership("down1", any(GROUP))
                .build();
        assertForwards(withPeer.decide("wg0", peer, GROUP), "up0", "down1");
        assertDrops(withPeer.decide("up0", peer, GROUP), DropReason.RPF_FAILED);
        // Taking the prefix around our own address instead would make the peer a remote source, refused there.
        ForwardingTable localOnly = Lab.standard()
                .add(pointToPoint(InterfaceAddress.of(local, local, 32)))
                .membership("down1", any(GROUP))
                .build();
        assertDrops(localOnly.decide("wg0", peer, GROUP), DropReason.RPF_FAILED);
    }

    /** A WireGuard-like downstream: raw IP, no MAC, point to point, no MULTICAST flag. */
    private static InterfaceSpec pointToPoint(InterfaceAddress address) {
        NetInterface wg0 = new NetInterface(
                "wg0",
                6,
                Optional.empty(),
                List.of(address),
                1420,
                new NetInterface.Flags(true, true, false, false, true));
        return InterfaceSpec.of(wg0, Lab.config("wg0", Role.DOWNSTREAM));
    }

    @Test
    void aSourceInADownstreamAltnetCountsAsLocalToIt() {
        Ip4 behindRx1 = Ip4.parse("10.20.30.40");
        ForwardingTable t = new ForwardingTableBuilder()
                .add(Lab.upstream())
                .add(InterfaceSpec.of(Lab.DOWN1, Lab.withAltnets(Lab.config("down1", Role.DOWNSTREAM), "10.20.0.0/16")))
                .add(Lab.down2())
                .membership("down2", any(GROUP))
                .build();
        assertForwards(t.decide("down1", behindRx1, GROUP), "up0", "down2");
        assertDrops(t.decide("up0", behindRx1, GROUP), DropReason.RPF_FAILED);
    }

    @Test
    void theMostSpecificLocalNetworkWins() {
        // down1's altnet covers all of 10/8, down2's altnet a /24 inside it: that /24 is down2's.
        ForwardingTable t = new ForwardingTableBuilder()
                .add(Lab.upstream())
                .add(InterfaceSpec.of(Lab.DOWN1, Lab.withAltnets(Lab.config("down1", Role.DOWNSTREAM), "10.0.0.0/8")))
                .add(InterfaceSpec.of(Lab.DOWN2, Lab.withAltnets(Lab.config("down2", Role.DOWNSTREAM), "10.1.2.0/24")))
                .build();
        assertForwards(t.decide("down2", Ip4.parse("10.1.2.3"), GROUP), "up0");
        assertDrops(t.decide("down1", Ip4.parse("10.1.2.3"), GROUP), DropReason.RPF_FAILED);
        assertForwards(t.decide("down1", Ip4.parse("10.1.3.3"), GROUP), "up0");
    }

    @Test
    void include6_3ForwardsOnlyTheListedSourcesPerInterface() {
        ForwardingTable t = Lab.standard()
                .membership("down1", Map.of(GROUP, Subscription.include(SourceSet.of(S1))))
                .membership("down2", Map.of(GROUP, Subscription.exclude(SourceSet.of(S1))))
                .build();
        assertForwards(t.decide("up0", S1, GROUP), "down1");
        assertForwards(t.decide("up0", S2, GROUP), "down2");
    }

    @Test
    void exclude6_3ForwardsEveryOtherSource() {
        ForwardingTable t = Lab.standard()
                .membership("down1", Map.of(GROUP, Subscription.exclude(SourceSet.of(S1, S2))))
                .membership("down2", Map.of(GROUP, Subscription.include(SourceSet.of(S1, S2))))
                .build();
        assertForwards(t.decide("up0", S1, GROUP), "down2");
        assertForwards(t.decide("up0", FAR_SOURCE, GROUP), "down1");
    }

    @Test
    void includeNothingAndOtherGroupsAreNotWanted() {
        ForwardingTable t = Lab.standard()
                .membership("down1", Map.of(GROUP, Subscription.NONE))
                .membership("down2", any(Ip4.parse("239.9.9.9")))
                .build();
        assertDrops(t.decide("up0", REMOTE_SOURCE, GROUP), DropReason.NOT_WANTED);
        assertEquals(1, t.groupCount(), "INCLUDE{} is not a membership");
    }

    @Test
    void membershipsOfUpstreamsAndLinkLocalGroupsAreIgnored() {
        Ip4 linkLocal = Ip4.parse("224.0.0.251");
        ForwardingTable t = Lab.standard()
                .membership("up0", any(GROUP))
                .membership("down1", any(linkLocal))
                .membership("nosuch", any(GROUP))
                .build();
        assertEquals(0, t.groupCount());
        assertDrops(t.decide("up0", REMOTE_SOURCE, GROUP), DropReason.NOT_WANTED);
    }

    @Test
    void aDownstreamWhereAnotherRouterIsQuerierGetsNoCopies() {
        ForwardingTable t = new ForwardingTableBuilder()
                .add(Lab.upstream())
                .add(Lab.down1().withQuerier(false))
                .add(Lab.down2())
                .membership("down1", any(GROUP))
                .membership("down2", any(GROUP))
                .build();
        Decision d = t.decide("up0", REMOTE_SOURCE, GROUP);
        assertForwards(d, "down2");
        assertEquals(Map.of("down1", DropReason.NOT_QUERIER), d.skipped());
    }

    @Test
    void aLocalSourceOnANonQuerierDownstreamIsLeftToTheQuerier() {
        ForwardingTable t = new ForwardingTableBuilder()
                .add(Lab.upstream())
                .add(Lab.down1().withQuerier(false))
                .add(Lab.down2())
                .membership("down2", any(GROUP))
                .build();
        assertDrops(t.decide("down1", RX1_SOURCE, GROUP), DropReason.NOT_QUERIER);
    }

    @Test
    void forwardWhenNotQuerierOverridesTheQuerierRule() {
        ForwardingTable t = new ForwardingTableBuilder()
                .add(Lab.upstream())
                .add(Lab.down1().withQuerier(false).withForwardWhenNotQuerier(true))
                .add(Lab.down2())
                .membership("down1", any(GROUP))
                .membership("down2", any(GROUP))
                .build();
        assertForwards(t.decide("up0", REMOTE_SOURCE, GROUP), "down1", "down2");
        assertForwards(t.decide("down1", RX1_SOURCE, GROUP), "up0", "down2");
    }

    @Test
    void aScopeBoundaryStopsGroupsComingIn() {
        ForwardingTable t = new ForwardingTableBuilder()
                .add(InterfaceSpec.of(Lab.UP0, Lab.withBoundaries(Lab.config("up0", Role.UPSTREAM), "239.0.0.0/8")))
                .add(Lab.down1())
                .add(Lab.down2())
                .membership("down1", any(GROUP))
                .membership("down2", any(Ip4.parse("238.1.1.1")))
                .build();
        assertDrops(t.decide("up0", REMOTE_SOURCE, GROUP), DropReason.SCOPE_BOUNDARY);
        assertForwards(t.decide("up0", REMOTE_SOURCE, Ip4.parse("238.1.1.1")), "down2");
    }

    @Test
    void aScopeBoundaryStopsGroupsGoingOut() {
        ForwardingTable t = new ForwardingTableBuilder()
                .add(Lab.upstream())
                .add(InterfaceSpec.of(
                        Lab.DOWN1, Lab.withBoundaries(Lab.config("down1", Role.DOWNSTREAM), "239.1.0.0/16")))
                .add(Lab.down2())
                .membership("down1", any(GROUP))
                .membership("down2", any(GROUP))
                .build();
        Decision d = t.decide("up0", REMOTE_SOURCE, GROUP);
        assertForwards(d, "down2");
        assertEquals(Map.of("down1", DropReason.SCOPE_BOUNDARY), d.skipped());
        // Nor may a local source on the other side take the group out through the upstream's boundary.
        ForwardingTable t2 = new ForwardingTableBuilder()
                .add(InterfaceSpec.of(Lab.UP0, Lab.withBoundaries(Lab.config("up0", Role.UPSTREAM), "239.0.0.0/8")))
                .add(Lab.down1())
                .add(Lab.down2())
                .membership("down2", any(GROUP))
                .build();
        Decision up = t2.decide("down1", RX1_SOURCE, GROUP);
        assertForwards(up, "down2");
        assertEquals(Map.of("up0", DropReason.SCOPE_BOUNDARY), up.skipped());
    }

    @Test
    void groupAndSourceFiltersApplyInAndOut() {
        InterfaceConfig up = Lab.withSourceFilter(
                Lab.config("up0", Role.UPSTREAM), Lab.filter(List.of("0.0.0.0/0"), List.of("192.0.2.88/32")));
        InterfaceConfig d1 = Lab.withGroupFilter(
                Lab.config("down1", Role.DOWNSTREAM), Lab.filter(List.of("224.0.0.0/4"), List.of("239.1.0.0/16")));
        InterfaceConfig d2 = Lab.withSourceFilter(
                Lab.config("down2", Role.DOWNSTREAM), Lab.filter(List.of("192.0.2.0/25"), List.of()));
        ForwardingTable t = new ForwardingTableBuilder()
                .add(InterfaceSpec.of(Lab.UP0, up))
                .add(InterfaceSpec.of(Lab.DOWN1, d1))
                .add(InterfaceSpec.of(Lab.DOWN2, d2))
                .membership("down1", any(GROUP))
                .membership("down2", any(GROUP))
                .build();
        assertDrops(t.decide("up0", S2, GROUP), DropReason.SOURCE_FILTERED);
        Decision in = t.decide("up0", S1, GROUP);
        assertForwards(in, "down2");
        assertEquals(Map.of("down1", DropReason.GROUP_FILTERED), in.skipped());
        Decision outside = t.decide("up0", Ip4.parse("192.0.2.200"), GROUP);
        assertEquals(
                Map.of("down1", DropReason.GROUP_FILTERED, "down2", DropReason.SOURCE_FILTERED), outside.skipped());
        assertDrops(outside, DropReason.NOT_WANTED);
        assertDrops(t.decide("down1", RX1_SOURCE, GROUP), DropReason.GROUP_FILTERED);
    }

    @Test
    void disabledAndUnknownInterfacesDoNotForward() {
        ForwardingTable t = Lab.standard()
                .add(Lab.tun0(Role.DISABLED))
                .membership("down1", any(GROUP))
                .build();
        assertDrops(t.decide("tun0", REMOTE_SOURCE, GROUP), DropReason.NOT_FORWARDING_INTERFACE);
        assertDrops(t.decide("eth9", REMOTE_SOURCE, GROUP), DropReason.NOT_FORWARDING_INTERFACE);
        // A disabled interface's subnet is nobody's: its sources are remote.
        ForwardingTable t2 = Lab.standard()
                .add(Lab.tun0(Role.DISABLED))
                .membership("down1", any(GROUP))
                .build();
        assertForwards(t2.decide("up0", Ip4.parse("10.9.0.2"), GROUP), "down1");
    }

    @Test
    void withoutAnUpstreamRemoteTrafficHasNowhereToComeFrom() {
        ForwardingTable t = new ForwardingTableBuilder()
                .add(Lab.down1())
                .add(Lab.down2())
                .membership("down1", any(GROUP))
                .build();
        assertDrops(t.decide("down2", FAR_SOURCE, GROUP), DropReason.RPF_FAILED);
        assertForwards(t.decide("down2", RX2_SOURCE, GROUP), "down1");
    }

    @Test
    void eachGroupIsAcceptedOnlyOnTheUpstreamThatOwnsIt() {
        InterfaceConfig up0 = Lab.config("up0", Role.UPSTREAM);
        InterfaceConfig up1 = Lab.withUpstreamGroups(Lab.config("up1", Role.UPSTREAM), "232.0.0.0/8");
        McgateConfig config = new McgateConfig(
                GlobalConfig.BUILT_IN,
                InterfaceDefaults.BUILT_IN,
                List.of(up0, up1, Lab.config("down1", Role.DOWNSTREAM)));
        Ip4 ssm = Ip4.parse("232.1.1.1");
        ForwardingTable t = ForwardingTableBuilder.forConfig(config)
                .add(InterfaceSpec.of(Lab.UP0, up0))
                .add(InterfaceSpec.of(Lab.nif("up1", 9, null, "100.64.0.1", 24, 1500), up1))
                .add(Lab.down1())
                .membership(
                        "down1",
                        Map.of(GROUP, Subscription.ANY_SOURCE, ssm, Subscription.include(SourceSet.of(FAR_SOURCE))))
                .build();
        assertForwards(t.decide("up0", FAR_SOURCE, GROUP), "down1");
        assertDrops(t.decide("up1", FAR_SOURCE, GROUP), DropReason.RPF_FAILED);
        assertForwards(t.decide("up1", FAR_SOURCE, ssm), "down1");
        assertDrops(t.decide("up0", FAR_SOURCE, ssm), DropReason.RPF_FAILED);
        // The same owner as the configuration's own rule, for a spread of groups.
        for (String g : List.of("224.1.1.1", "232.0.0.1", "232.255.255.255", "233.0.0.1", "239.1.1.1")) {
            Ip4 group = Ip4.parse(g);
            assertEquals(config.upstreamFor(group).map(InterfaceConfig::name), t.upstreamFor(group), g);
        }
    }

    @Test
    void aSourceOnAnUpstreamsOwnNetworkIsAcceptedThere() {
        // up1 serves only 232/8, but a source on up1's own subnet is behind up1 whatever the group.
        InterfaceConfig up0 = Lab.config("up0", Role.UPSTREAM);
        InterfaceConfig up1 = Lab.withUpstreamGroups(Lab.config("up1", Role.UPSTREAM), "232.0.0.0/8");
        ForwardingTable t = new ForwardingTableBuilder()
                .add(InterfaceSpec.of(Lab.UP0, up0))
                .add(InterfaceSpec.of(Lab.nif("up1", 9, null, "100.64.0.1", 24, 1500), up1))
                .add(Lab.down1())
                .membership("down1", any(GROUP))
                .build();
        assertForwards(t.decide("up1", Ip4.parse("100.64.0.7"), GROUP), "down1");
        assertDrops(t.decide("up0", Ip4.parse("100.64.0.7"), GROUP), DropReason.RPF_FAILED);
    }

    @Test
    void anOwnerThatIsNotPresentOwnsItsGroupsAnyway() {
        // McgateConfig.upstreamFor names up0 (first upstream) even while up0 does not exist: nobody else may take over.
        InterfaceConfig up0 = Lab.config("up0", Role.UPSTREAM);
        InterfaceConfig up1 = Lab.withUpstreamGroups(Lab.config("up1", Role.UPSTREAM), "232.0.0.0/8");
        ForwardingTable t = new ForwardingTableBuilder()
                .upstreamOrder(List.of(up0, up1))
                .add(InterfaceSpec.of(Lab.nif("up1", 9, null, "100.64.0.1", 24, 1500), up1))
                .add(Lab.down1())
                .membership("down1", any(GROUP))
                .build();
        assertDrops(t.decide("up1", FAR_SOURCE, GROUP), DropReason.RPF_FAILED);
        assertEquals(Optional.empty(), t.upstreamFor(GROUP));
        assertDrops(t.decide("down1", RX1_SOURCE, GROUP), DropReason.NOT_WANTED);
    }

    @Test
    void membershipsAreReportedByName() {
        ForwardingTable t = Lab.standard()
                .membership("down1", any(GROUP))
                .membership("down2", Map.of(GROUP, Subscription.include(SourceSet.of(S1))))
                .generation(7)
                .build();
        assertEquals(
                Map.of(
                        GROUP,
                        Map.of("down1", Subscription.ANY_SOURCE, "down2", Subscription.include(SourceSet.of(S1)))),
                t.memberships());
        assertEquals(7, t.generation());
    }

    @Test
    void anInterfaceCannotBeAddedTwiceOrWithAnotherOnesConfiguration() {
        assertThrows(IllegalArgumentException.class, () -> Lab.standard().add(Lab.down1()));
        assertThrows(
                IllegalArgumentException.class,
                () -> InterfaceSpec.of(Lab.DOWN1, Lab.config("down2", Role.DOWNSTREAM)));
    }
}
