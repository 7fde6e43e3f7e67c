package dev.mcgate.tunnel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.net.Ip4;
import dev.mcgate.net.SourceSet;
import dev.mcgate.net.Subscription;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Handshake, data, membership, replay and liveness of two tunnel ends on a hand-driven clock and wire. */
class TunnelEndpointTest {

    private static final Ip4 G1 = Ip4.parse("239.1.1.1");
    private static final Ip4 G2 = Ip4.parse("232.1.1.1");
    private static final Map<Ip4, Subscription> WANT =
            Map.of(G1, Subscription.ANY_SOURCE, G2, Subscription.include(SourceSet.of(Ip4.parse("192.0.2.10"))));

    private final TunnelPair p = new TunnelPair();

    private static byte[] packet(int seq) {
        byte[] b = new byte[200];
        b[0] = 0x45;
        b[100] = (byte) seq;
        b[101] = (byte) (seq >> 8);
        return b;
    }

    private void sendData(int seq) {
        assertTrue(p.a.endpoint.sendData(packet(seq), 0, 200));
    }

    @Test
    void handshakeBringsBothUpAndDataCrossesSealed() {
        p.start();
        assertEquals(TunnelStatus.PeerState.UP, p.a.endpoint.state());
        assertEquals(TunnelStatus.PeerState.UP, p.b.endpoint.state());
        sendData(1);
        byte[] onWire = p.a.outbox.peek();
        p.deliver();
        assertEquals(1, p.b.delivered.size());
        assertArrayEquals(packet(1), p.b.delivered.get(0));
        assertEquals(200 + TunnelWire.OVERHEAD, onWire.length);
        // The inner packet is not on the wire in clear.
        assertFalse(java.util.Arrays.equals(packet(1), 0, 200, onWire, TunnelWire.HEADER, TunnelWire.HEADER + 200));
    }

    @Test
    void membershipCrossesAndChangesAreSentAtOnce() {
        p.start();
        p.b.endpoint.setMembership(WANT);
        p.deliver();
        assertEquals(WANT, p.a.lastMembership());
        p.b.endpoint.setMembership(Map.of(G1, Subscription.ANY_SOURCE));
        p.deliver();
        assertEquals(Map.of(G1, Subscription.ANY_SOURCE), p.a.lastMembership());
    }

    @Test
    void aLostMembershipMessageHealsWithTheNextRefresh() {
        p.start();
        p.b.endpoint.setMembership(WANT);
        p.lose();
        assertTrue(p.a.memberships.isEmpty());
        p.run(TunnelPair.KEEPALIVE.plusMillis(100));
        assertEquals(WANT, p.a.lastMembership());
    }

    @Test
    void membershipLargerThanOneMessageIsSentInPartsAndAppliedWhole() {
        p.start();
        Map<Ip4, Subscription> many = new java.util.TreeMap<>();
        for (int i = 0; i < 600; i++) {
            many.put(new Ip4(0xEF020000 + i), Subscription.ANY_SOURCE);
        }
        int before = p.b.sentLog.size();
        p.b.endpoint.setMembership(many);
        assertTrue(p.b.sentLog.size() - before > 1, "several parts");
        p.deliver();
        assertEquals(many, p.a.lastMembership());
        assertEquals(1, p.a.memberships.size(), "applied once, whole");
    }

    @Test
    void replayedDataIsDroppedAndCounted() {
        p.start();
        sendData(1);
        byte[] copy = p.a.outbox.peek().clone();
        p.deliver();
        assertEquals(-1, p.inject(p.b, copy, TunnelPair.A_ADDRESS, TunnelPair.PORT));
        assertEquals(1, p.b.delivered.size());
        assertEquals(1, p.b.endpoint.drops(TunnelDrop.REPLAYED));
    }

    @Test
    void outOfOrderDataWithinTheWindowIsDelivered() {
        p.start();
        sendData(1);
        byte[] first = p.a.outbox.poll();
        sendData(2);
        p.deliver();
        p.inject(p.b, first, TunnelPair.A_ADDRESS, TunnelPair.PORT);
        assertEquals(2, p.b.delivered.size());
        assertArrayEquals(packet(1), p.b.delivered.get(1));
    }

    @Test
    void modifiedWrongKeyWrongPeerTruncatedAndOversizedAreDroppedByReason() {
        p.start();
        sendData(1);
        byte[] good = p.a.outbox.poll();
        byte[] modified = good.clone();
        modified[TunnelWire.HEADER + 5] ^= 1;
        assertEquals(-1, p.inject(p.b, modified, TunnelPair.A_ADDRESS, TunnelPair.PORT));
        byte[] header = good.clone();
        header[15] ^= 1; // the counter is authenticated too
        assertEquals(-1, p.inject(p.b, header, TunnelPair.A_ADDRESS, TunnelPair.PORT));
        assertEquals(2, p.b.endpoint.drops(TunnelDrop.AUTH_FAILED));
        assertEquals(-1, p.inject(p.b, good, TunnelPair.A_ADDRESS, TunnelPair.PORT + 1));
        assertEquals(-1, p.inject(p.b, good, Ip4.parse("192.0.2.99"), TunnelPair.PORT));
        assertEquals(2, p.b.endpoint.drops(TunnelDrop.WRONG_PEER));
        assertEquals(-1, p.inject(p.b, new byte[1500], TunnelPair.A_ADDRESS, TunnelPair.PORT));
        assertEquals(1, p.b.endpoint.drops(TunnelDrop.OVERSIZED));
        // Someone with another key: its INIT does not authenticate.
        TunnelPair.End mallory = new TunnelPair.End("M");
        byte[] otherKey = new byte[32];
        TunnelEndpoint m = p.newEnd(mallory, true, otherKey);
        m.start();
        assertEquals(-1, p.inject(p.b, mallory.outbox.poll(), TunnelPair.A_ADDRESS, TunnelPair.PORT));
        assertEquals(3, p.b.endpoint.drops(TunnelDrop.AUTH_FAILED));
        // None of that disturbed the session: the genuine message still gets through.
        assertEquals(200, p.inject(p.b, good, TunnelPair.A_ADDRESS, TunnelPair.PORT));
        assertEquals(TunnelStatus.PeerState.UP, p.b.endpoint.state());
    }

    @Test
    void everyTruncatedPrefixOfEveryMessageKindIsDropped() {
        p.start();
        p.b.endpoint.setMembership(WANT);
        sendData(1);
        List<byte[]> all = new java.util.ArrayList<>(p.a.sentLog);
        all.addAll(p.b.sentLog);
        for (byte[] m : all) {
            TunnelPair.End to = p.a.sentLog.contains(m) ? p.b : p.a;
            Ip4 from = to == p.b ? TunnelPair.A_ADDRESS : TunnelPair.B_ADDRESS;
            for (int len = 0; len < m.length; len++) {
                byte[] prefix = java.util.Arrays.copyOf(m, len);
                assertEquals(
                        -1,
                        p.inject(to, prefix, from, TunnelPair.PORT),
                        "prefix " + len + " of type " + TunnelPair.type(m));
            }
        }
        assertTrue(p.b.endpoint.drops(TunnelDrop.TRUNCATED) > 0);
        assertTrue(p.b.delivered.isEmpty());
        assertEquals(TunnelStatus.PeerState.UP, p.a.endpoint.state());
    }

    @Test
    void dataLargerThanTheInnerMtuIsDroppedAndCounted() {
        p.start();
        int mtu = TunnelWire.innerMtu(TunnelPair.PATH_MTU);
        assertTrue(p.a.endpoint.sendData(new byte[mtu], 0, mtu));
        assertFalse(p.a.endpoint.sendData(new byte[mtu + 1], 0, mtu + 1));
        assertEquals(1, p.a.endpoint.drops(TunnelDrop.MTU_EXCEEDED));
    }

    @Test
    void aRestartedDownstreamEndIsLetInAndDataFlowsAgain() {
        p.start();
        p.b.endpoint.setMembership(WANT);
        p.deliver();
        for (int i = 0; i < 50; i++) {
            sendData(i);
        }
        p.deliver();
        p.restart(p.a);
        p.deliver();
        // B answers the new INIT; A's first message under the new session proves it; B sends its membership.
        assertEquals(WANT, p.a.lastMembership());
        sendData(1); // counter 0 again, but a new session: not a replay
        p.deliver();
        assertEquals(51, p.b.delivered.size());
        assertEquals(0, p.b.endpoint.drops(TunnelDrop.REPLAYED));
    }

    @Test
    void aRestartedUpstreamEndIsLetInAndGetsItsMembershipThrough() {
        p.start();
        p.b.endpoint.setMembership(WANT);
        p.deliver();
        p.restart(p.b);
        p.b.endpoint.setMembership(Map.of(G1, Subscription.ANY_SOURCE));
        p.deliver();
        assertEquals(Map.of(G1, Subscription.ANY_SOURCE), p.a.lastMembership());
        sendData(7);
        p.deliver();
        assertArrayEquals(packet(7), p.b.delivered.get(p.b.delivered.size() - 1));
    }

    @Test
    void replayedOldSessionPacketsAndHandshakesDisturbNothing() {
        p.start();
        sendData(1);
        p.deliver();
        List<byte[]> oldA = List.copyOf(p.a.sentLog);
        List<byte[]> oldB = List.copyOf(p.b.sentLog);
        p.restart(p.a);
        p.run(Duration.ofSeconds(2));
        sendData(2);
        p.deliver();
        int deliveredBefore = p.b.delivered.size();
        long handshakesB = p.b.endpoint.status().handshakes();
        long handshakesA = p.a.endpoint.status().handshakes();
        // An attacker replays everything A and B sent in the old session, INITs and RESPONSEs included.
        for (byte[] m : oldA) {
            p.inject(p.b, m, TunnelPair.A_ADDRESS, TunnelPair.PORT);
        }
        for (byte[] m : oldB) {
            p.inject(p.a, m, TunnelPair.B_ADDRESS, TunnelPair.PORT);
        }
        p.deliver();
        assertEquals(deliveredBefore, p.b.delivered.size(), "no old datagram delivered");
        // B dropped the old session once the new one was confirmed: its datagrams name an unknown session.
        assertTrue(p.b.endpoint.drops(TunnelDrop.UNKNOWN_SESSION) >= 1, "the old datagram");
        assertTrue(p.b.endpoint.drops(TunnelDrop.STALE_HANDSHAKE) > 0, "the old INIT is not newer");
        assertEquals(handshakesA, p.a.endpoint.status().handshakes());
        assertEquals(handshakesB, p.b.endpoint.status().handshakes());
        sendData(3);
        p.deliver();
        assertArrayEquals(packet(3), p.b.delivered.get(p.b.delivered.size() - 1));
    }

    @Test
    void aReplayedResponseAnswersNoInitAndAReplayedInitStartsNothing() {
        p.start();
        byte[] response = p.a.sentLog.stream()
                .filter(m -> TunnelPair.type(m) == TunnelWire.RESPONSE)
                .findFirst()
                .or(() -> p.b.sentLog.stream()
                        .filter(m -> TunnelPair.type(m) == TunnelWire.RESPONSE)
                        .findFirst())
                .orElseThrow();
        byte[] init = p.b.sentLog.stream()
                .filter(m -> TunnelPair.type(m) == TunnelWire.INIT)
                .findFirst()
                .orElseThrow();
        TunnelPair.End responder = p.a.sentLog.contains(response) ? p.a : p.b;
        TunnelPair.End initiator = responder == p.a ? p.b : p.a;
        Ip4 responderAddress = responder == p.a ? TunnelPair.A_ADDRESS : TunnelPair.B_ADDRESS;
        p.inject(initiator, response, responderAddress, TunnelPair.PORT);
        assertEquals(1, initiator.endpoint.drops(TunnelDrop.STALE_HANDSHAKE));
        long staleBefore = p.a.endpoint.drops(TunnelDrop.STALE_HANDSHAKE);
        p.inject(p.a, init, TunnelPair.B_ADDRESS, TunnelPair.PORT);
        assertEquals(staleBefore + 1, p.a.endpoint.drops(TunnelDrop.STALE_HANDSHAKE));
        assertTrue(p.a.outbox.isEmpty(), "no RESPONSE to a replayed INIT");
        assertEquals(1, p.a.endpoint.status().handshakes());
    }

    @Test
    void aReflectedMessageNeverAuthenticates() {
        p.start();
        p.a.endpoint.start();
        byte[] init = p.a.sentLog.get(0);
        // A's own INIT sent back to A from B's address: sealed with the downstream role's key, A expects upstream's.
        assertEquals(-1, p.inject(p.a, init, TunnelPair.B_ADDRESS, TunnelPair.PORT));
        assertEquals(1, p.a.endpoint.drops(TunnelDrop.AUTH_FAILED));
    }

    @Test
    void simultaneousStartsAgreeOnOneSession() {
        p.a.endpoint.start();
        p.b.endpoint.start();
        p.deliver();
        sendData(1);
        p.b.endpoint.setMembership(WANT);
        p.deliver();
        assertEquals(1, p.b.delivered.size());
        assertEquals(WANT, p.a.lastMembership());
        assertEquals(1, p.a.endpoint.status().handshakes());
        assertEquals(1, p.b.endpoint.status().handshakes());
    }

    @Test
    void lostInitIsRetriedEveryKeepalive() {
        p.a.endpoint.start();
        p.lose();
        assertEquals(TunnelStatus.PeerState.CONNECTING, p.a.endpoint.state());
        p.b.endpoint.start();
        p.lose();
        p.run(Duration.ofMillis(1100));
        assertEquals(TunnelStatus.PeerState.UP, p.a.endpoint.state());
        assertEquals(TunnelStatus.PeerState.UP, p.b.endpoint.state());
    }

    @Test
    void silencePastTheDeadIntervalWithdrawsAndTheReturnRestores() {
        p.start();
        p.b.endpoint.setMembership(WANT);
        p.deliver();
        assertEquals(WANT, p.a.lastMembership());
        // B goes silent (stopped, not restarted): A declares it down after the dead interval, not before.
        p.b.endpoint.stop();
        p.run(TunnelPair.DEAD.minusMillis(200));
        assertEquals(TunnelStatus.PeerState.UP, p.a.endpoint.state());
        p.run(Duration.ofSeconds(2));
        assertEquals(TunnelStatus.PeerState.DOWN, p.a.endpoint.state());
        assertEquals(1, p.a.downs);
        assertEquals(Map.of(), p.a.lastMembership(), "membership withdrawn");
        // B comes back (a new process): everything is restored without touching A.
        p.restart(p.b);
        p.b.endpoint.setMembership(WANT);
        p.run(Duration.ofSeconds(2));
        assertEquals(TunnelStatus.PeerState.UP, p.a.endpoint.state());
        assertEquals(WANT, p.a.lastMembership());
        assertEquals(2, p.a.ups);
        // And both stay up: each hears the other under the session they agreed on.
        int bDowns = p.b.downs;
        p.run(Duration.ofSeconds(20));
        assertEquals(TunnelStatus.PeerState.UP, p.b.endpoint.state());
        assertEquals(bDowns, p.b.downs, "B does not flap");
        assertEquals(1, p.a.downs, "A does not flap");
    }

    @Test
    void aSilentDownstreamEndIsSeenDownByTheUpstreamEnd() {
        p.start();
        p.a.endpoint.stop();
        p.run(TunnelPair.DEAD.plusSeconds(2));
        TunnelStatus s = p.b.endpoint.status();
        assertEquals(TunnelStatus.PeerState.DOWN, s.state());
        assertTrue(s.lastHeard().orElseThrow().compareTo(TunnelPair.DEAD) > 0);
        p.restart(p.a);
        p.run(Duration.ofSeconds(1));
        assertEquals(TunnelStatus.PeerState.UP, p.b.endpoint.status().state());
    }

    @Test
    void retuningKeepsTheSessionAndAppliesTheNewKeepaliveDeadIntervalAndMtu() {
        p.start();
        long sessions = p.a.endpoint.status().handshakes();
        p.run(Duration.ofSeconds(2));
        int perSecondBefore = keepalivesIn(Duration.ofSeconds(2)) / 2;

        p.a.endpoint.retune(Duration.ofMillis(200), Duration.ofSeconds(10), 1200);
        // The pending tick was moved up: five keepalives a second now, at once.
        int perSecondAfter = keepalivesIn(Duration.ofSeconds(2)) / 2;
        assertEquals(1, perSecondBefore);
        assertEquals(5, perSecondAfter);
        // Same session: no handshake, and data sealed now opens on the other side.
        sendData(7);
        p.deliver();
        assertArrayEquals(packet(7), p.b.delivered.get(p.b.delivered.size() - 1));
        assertEquals(sessions, p.a.endpoint.status().handshakes());
        // The new path MTU sizes the next datagram.
        int mtu = TunnelWire.innerMtu(1200);
        assertEquals(mtu, p.a.endpoint.status().innerMtu());
        assertTrue(p.a.endpoint.sendData(new byte[mtu], 0, mtu));
        assertFalse(p.a.endpoint.sendData(new byte[mtu + 1], 0, mtu + 1));
        assertEquals(1, p.a.endpoint.drops(TunnelDrop.MTU_EXCEEDED));
        // The new dead interval: B silent for 7 s (past the old 5 s) leaves A up; past 10 s, down.
        p.b.endpoint.stop();
        p.run(Duration.ofSeconds(7));
        assertEquals(TunnelStatus.PeerState.UP, p.a.endpoint.state());
        p.run(Duration.ofSeconds(4));
        assertEquals(TunnelStatus.PeerState.DOWN, p.a.endpoint.state());
    }

    @Test
    void retuningRefusesValuesThatDoNotGoTogetherAndKeepsTheOldOnes() {
        p.start();
        org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class,
                () -> p.a.endpoint.retune(Duration.ofSeconds(3), Duration.ofSeconds(2), 1400));
        assertEquals(TunnelPair.KEEPALIVE, p.a.endpoint.params().keepalive());
        assertEquals(TunnelPair.DEAD, p.a.endpoint.params().deadInterval());
    }

    /** KEEPALIVE messages A sends while the wire runs for {@code d}. */
    private int keepalivesIn(Duration d) {
        int from = p.a.sentLog.size();
        p.run(d);
        return (int) p.a.sentLog.subList(from, p.a.sentLog.size()).stream()
                .filter(m -> TunnelPair.type(m) == TunnelWire.KEEPALIVE)
                .count();
    }
}
