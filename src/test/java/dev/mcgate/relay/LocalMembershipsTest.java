package dev.mcgate.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mcgate.net.IpAddress;
import dev.mcgate.net.SourceSet;
import dev.mcgate.net.Subscription;
import dev.mcgate.time.ManualScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The local-membership book: reference counts, ASM and SSM subscriptions, and the linger before the last leave. */
class LocalMembershipsTest {

    private static final IpAddress G = IpAddress.parse("239.1.1.1");
    private static final IpAddress SSM = IpAddress.parse("232.1.1.1");
    private static final IpAddress S1 = IpAddress.parse("10.0.0.1");
    private static final IpAddress S2 = IpAddress.parse("10.0.0.2");
    private static final Duration LINGER = Duration.ofSeconds(3);

    /** What the proxy heard: "group subscription". */
    private final List<String> told = new ArrayList<>();

    private final ManualScheduler time = new ManualScheduler();
    private final RelayPort port = new RelayPort("relay:test", 65535, () -> 0);
    private final LocalMemberships book = new LocalMemberships(
            "relay:test", time, (name, group, now) -> told.add(name + " " + group + " " + now), port, LINGER);

    private static final DatagramConsumer NOBODY = d -> {};

    @Test
    void theFirstConsumerJoinsAndOthersOnlyCount() {
        book.join(G, null, NOBODY);
        book.join(G, null, NOBODY);
        assertEquals(List.of("relay:test 239.1.1.1 " + Subscription.ANY_SOURCE), told);
        assertEquals(2, book.consumers(G, null));
    }

    @Test
    void theLastLeaveWaitsForTheLingerThenLeaves() {
        LocalMemberships.Membership a = book.join(G, null, NOBODY);
        LocalMemberships.Membership b = book.join(G, null, NOBODY);
        told.clear();
        book.leave(a);
        book.leave(b);
        time.advance(LINGER.minusMillis(1));
        assertEquals(List.of(), told, "still lingering");
        time.advance(Duration.ofMillis(1));
        assertEquals(List.of("relay:test 239.1.1.1 " + Subscription.NONE), told);
        assertEquals(java.util.Map.of(), book.subscriptions());
    }

    @Test
    void aJoinWithinTheLingerCancelsTheLeave() {
        book.join(G, null, NOBODY).getClass();
        LocalMemberships.Membership only = book.join(IpAddress.parse("239.1.1.2"), null, NOBODY);
        told.clear();
        book.leave(only);
        time.advance(Duration.ofSeconds(2));
        book.join(IpAddress.parse("239.1.1.2"), null, NOBODY);
        time.advance(Duration.ofSeconds(10));
        assertEquals(List.of(), told, "the upstream never heard the zap");
    }

    @Test
    void sourceSpecificJoinsAreIncludeAndAnAnySourceJoinWidensToExclude() {
        LocalMemberships.Membership s1 = book.join(SSM, S1, NOBODY);
        book.join(SSM, S2, NOBODY);
        book.join(G, S1, NOBODY);
        LocalMemberships.Membership any = book.join(G, null, NOBODY);
        assertEquals(
                List.of(
                        "relay:test 232.1.1.1 " + Subscription.include(SourceSet.of(S1)),
                        "relay:test 232.1.1.1 " + Subscription.include(SourceSet.of(S1, S2)),
                        "relay:test 239.1.1.1 " + Subscription.include(SourceSet.of(S1)),
                        "relay:test 239.1.1.1 " + Subscription.ANY_SOURCE),
                told);
        told.clear();
        book.leave(s1);
        book.leave(any);
        time.advance(LINGER);
        assertEquals(
                List.of(
                        "relay:test 232.1.1.1 " + Subscription.include(SourceSet.of(S2)),
                        "relay:test 239.1.1.1 " + Subscription.include(SourceSet.of(S1))),
                told);
    }

    @Test
    void aLeftConsumerGetsNothingAtOnceWhileTheGroupLingers() {
        List<RelayDatagram> got = new ArrayList<>();
        LocalMemberships.Membership m = book.join(G, null, got::add);
        byte[] packet = RelayPortTest.ipv4Udp(S1, G, 5000, new byte[] {1, 2, 3});
        port.send(packet, packet.length);
        book.leave(m);
        book.leave(m);
        port.send(packet, packet.length);
        assertEquals(1, got.size());
        assertEquals(1L, port.drops().get(RelayDrop.NO_CONSUMER));
        assertEquals(1, told.size(), "no leave yet");
    }

    @Test
    void withdrawAllLeavesEveryGroupAtOnceWithoutLinger() {
        book.join(G, null, NOBODY);
        LocalMemberships.Membership s = book.join(SSM, S1, NOBODY);
        book.leave(s);
        told.clear();
        book.withdrawAll();
        assertEquals(
                List.of("relay:test 232.1.1.1 " + Subscription.NONE, "relay:test 239.1.1.1 " + Subscription.NONE),
                told);
        assertEquals(0, time.pendingCount());
    }

    @Test
    void noLingerLeavesAtOnce() {
        book.linger(Duration.ZERO);
        book.leave(book.join(G, null, NOBODY));
        assertEquals(2, told.size());
        assertEquals("relay:test 239.1.1.1 " + Subscription.NONE, told.get(1));
    }

    @Test
    void notAGroupOrAMixOfFamiliesIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> book.join(S1, null, NOBODY));
        assertThrows(IllegalArgumentException.class, () -> book.join(G, IpAddress.parse("2001:db8::1"), NOBODY));
    }
}
