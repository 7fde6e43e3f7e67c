package dev.mcgate.forward;

import static dev.mcgate.forward.Lab.DOWN1_MAC;
import static dev.mcgate.forward.Lab.DOWN2_MAC;
import static dev.mcgate.forward.Lab.FAR_SOURCE;
import static dev.mcgate.forward.Lab.GROUP;
import static dev.mcgate.forward.Lab.REMOTE_SOURCE;
import static dev.mcgate.forward.Lab.RX1_SOURCE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.config.Role;
import dev.mcgate.net.Ip4;
import dev.mcgate.net.Ip4Prefix;
import dev.mcgate.net.Ip6;
import dev.mcgate.net.IpAddress;
import dev.mcgate.net.SourceSet;
import dev.mcgate.net.Subscription;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the kernel may forward by itself, and that the user-space forwarder then leaves it alone. */
class OffloadPlannerTest {

    private static final OffloadPlanner.Capability ALL = name -> Optional.empty();
    private static final OffloadPlanner.Capability NO_TUN =
            name -> name.startsWith("tun") ? Optional.of("not Ethernet") : Optional.empty();
    private static final Ip4 S1 = Ip4.parse("192.0.2.77");

    private static Map<Ip4, Subscription> any(Ip4 group) {
        return Map.of(group, Subscription.ANY_SOURCE);
    }

    private static KernelRoute.Egress down1() {
        return new KernelRoute.Egress("down1", DOWN1_MAC, 1);
    }

    private static KernelRoute.Egress down2() {
        return new KernelRoute.Egress("down2", DOWN2_MAC, 1);
    }

    @Test
    void anySourceMembersOnTwoDownstreamsMakeOneStarGRouteWithTwoEgresses() {
        ForwardingTable t = Lab.standard()
                .membership("down1", any(GROUP))
                .membership("down2", any(GROUP))
                .build();
        OffloadPlan plan = t.offloadPlan(ALL);
        assertEquals(
                List.of(new KernelRoute("up0", GROUP, Optional.empty(), List.of(down1(), down2()))), plan.routes());
        // RPF: sources on the downstreams' networks are left to user space on up0.
        assertEquals(
                List.of(Ip4Prefix.parse("198.51.100.0/24"), Ip4Prefix.parse("203.0.113.0/24")),
                plan.userSpaceSources().get("up0"));
        assertTrue(plan.covers("up0", FAR_SOURCE, GROUP));
        assertTrue(plan.covers("up0", REMOTE_SOURCE, GROUP));
        assertFalse(plan.covers("up0", RX1_SOURCE, GROUP), "a downstream's source fails RPF on up0: user space");
        assertFalse(plan.covers("down1", RX1_SOURCE, GROUP), "local sources stay in user space");
    }

    @Test
    void theEmptyTableOffloadsNothing() {
        assertEquals(List.of(), Lab.standard().build().offloadPlan(ALL).routes());
        assertEquals(List.of(), ForwardingTable.EMPTY.offloadPlan(ALL).routes());
    }

    @Test
    void theTtlThresholdGoesWithTheEgress() {
        ForwardingTable t = new ForwardingTableBuilder()
                .add(Lab.upstream())
                .add(Lab.down1())
                .add(InterfaceSpec.of(Lab.DOWN2, Lab.withTtlThreshold(Lab.config("down2", Role.DOWNSTREAM), 64)))
                .membership("down1", any(GROUP))
                .membership("down2", any(GROUP))
                .build();
        assertEquals(
                List.of(down1(), new KernelRoute.Egress("down2", DOWN2_MAC, 64)),
                t.offloadPlan(ALL).routes().get(0).egress());
    }

    @Test
    void aScopeBoundaryOnAnEgressTakesItOutAndOnTheArrivalTakesTheGroupOut() {
        ForwardingTable egressBoundary = new ForwardingTableBuilder()
                .add(Lab.upstream())
                .add(Lab.down1())
                .add(InterfaceSpec.of(
                        Lab.DOWN2, Lab.withBoundaries(Lab.config("down2", Role.DOWNSTREAM), "239.0.0.0/8")))
                .membership("down1", any(GROUP))
                .membership("down2", any(GROUP))
                .build();
        assertEquals(
                List.of(down1()),
                egressBoundary.offloadPlan(ALL).routes().get(0).egress());

        ForwardingTable arrivalBoundary = new ForwardingTableBuilder()
                .add(InterfaceSpec.of(Lab.UP0, Lab.withBoundaries(Lab.config("up0", Role.UPSTREAM), "239.0.0.0/8")))
                .add(Lab.down1())
                .membership("down1", any(GROUP))
                .build();
        assertEquals(List.of(), arrivalBoundary.offloadPlan(ALL).routes());
    }

    @Test
    void sourceListsBecomeSgRoutesAndExceptions() {
        // down1 wants only S1 (INCLUDE); down2 wants everything but S1 (EXCLUDE).
        ForwardingTable t = Lab.standard()
                .membership("down1", Map.of(GROUP, Subscription.include(SourceSet.of(S1))))
                .membership("down2", Map.of(GROUP, Subscription.exclude(SourceSet.of(S1))))
                .build();
        assertEquals(
                List.of(
                        new KernelRoute("up0", GROUP, Optional.of(S1), List.of(down1())),
                        new KernelRoute("up0", GROUP, Optional.empty(), List.of(down2()))),
                t.offloadPlan(ALL).routes());

        // Only an EXCLUDE{S1}: S1 is an exception the kernel hands back.
        ForwardingTable only = Lab.standard()
                .membership("down2", Map.of(GROUP, Subscription.exclude(SourceSet.of(S1))))
                .build();
        OffloadPlan plan = only.offloadPlan(ALL);
        assertEquals(
                List.of(
                        new KernelRoute("up0", GROUP, Optional.of(S1), List.of()),
                        new KernelRoute("up0", GROUP, Optional.empty(), List.of(down2()))),
                plan.routes());
        assertFalse(plan.covers("up0", S1, GROUP));
        assertTrue(plan.covers("up0", FAR_SOURCE, GROUP));
    }

    @Test
    void ipv6GroupsAreNeverOffloadedAndSaySo() {
        Ip6 group6 = Ip6.parse("ff0e::db8:1");
        Map<IpAddress, Subscription> both = Map.of(GROUP, Subscription.ANY_SOURCE, group6, Subscription.ANY_SOURCE);
        ForwardingTable t = Lab.standard()
                .membership("down1", both)
                .membership("down2", both)
                .build();
        OffloadPlan plan = t.offloadPlan(ALL);
        assertEquals(
                List.of(new KernelRoute("up0", GROUP, Optional.empty(), List.of(down1(), down2()))),
                plan.routes(),
                "the IPv4 group only");
        assertEquals(Map.of(group6, OffloadPlanner.IPV6_REFUSAL), plan.notOffloaded());
        // With the IPv4 flow offloaded, the IPv6 flow of the same table is still forwarded in user space.
        ForwardingTable offloaded = t.withOffload(OffloadCover.of(plan));
        assertEquals(
                Optional.of(DropReason.OFFLOADED),
                offloaded.decide("up0", FAR_SOURCE, GROUP).drop());
        assertEquals(
                List.of("down1", "down2"),
                offloaded.decide("up0", Ip6.parse("2001:db8:ff::1"), group6).egress());
    }

    @Test
    void aGroupWithAnEgressTheKernelCannotServeStaysInUserSpace() {
        ForwardingTable t = new ForwardingTableBuilder()
                .add(Lab.upstream())
                .add(Lab.down1())
                .add(Lab.tun0(Role.DOWNSTREAM))
                .membership("down1", any(GROUP))
                .membership("tun0", any(GROUP))
                .build();
        OffloadPlan plan = t.offloadPlan(NO_TUN);
        assertEquals(List.of(), plan.routes());
        assertEquals(Map.of(GROUP, "tun0: not Ethernet"), plan.notOffloaded());
    }

    @Test
    void linkLocalGroupsAreNeverOffloaded() {
        Ip4 allRouters = Ip4.parse("224.0.0.2");
        ForwardingTable t = Lab.standard().membership("down1", any(allRouters)).build();
        assertEquals(List.of(), t.offloadPlan(ALL).routes());
    }

    @Test
    void theForwarderLeavesCoveredFlowsToTheKernel() {
        ForwardingTable t = Lab.standard().membership("down1", any(GROUP)).build();
        ForwardingTable offloaded = t.withOffload(OffloadCover.of(t.offloadPlan(ALL)));
        assertEquals(
                Optional.of(DropReason.OFFLOADED),
                offloaded.decide("up0", FAR_SOURCE, GROUP).drop());
        assertEquals(
                List.of("up0", "down1"),
                offloaded.decide("down2", Ip4.parse("203.0.113.10"), GROUP).egress(),
                "a local source is still forwarded by user space");
        // A handover: covered while either the desired or the installed plan covers it.
        ForwardingTable during = t.withOffload(OffloadCover.of(OffloadPlan.EMPTY, t.offloadPlan(ALL)));
        assertEquals(
                Optional.of(DropReason.OFFLOADED),
                during.decide("up0", FAR_SOURCE, GROUP).drop());
        assertEquals(List.of("down1"), t.decide("up0", FAR_SOURCE, GROUP).egress());
    }
}
