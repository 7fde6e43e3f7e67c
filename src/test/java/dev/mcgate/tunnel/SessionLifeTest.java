package dev.mcgate.tunnel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rekey, reject-after, the previous session's life, a dead peer and crossing handshakes, on a hand-driven clock. */
class SessionLifeTest {

    private final TunnelPair p = new TunnelPair();

    private static byte[] packet(int seq) {
        byte[] b = new byte[200];
        b[0] = 0x45;
        b[100] = (byte) seq;
        return b;
    }

    private static long count(List<byte[]> log, int type) {
        return log.stream().filter(m -> TunnelPair.type(m) == type).count();
    }

    private static int sessionId(byte[] m) {
        return TunnelWire.sessionId(m);
    }

    private int currentIdOf(TunnelPair.End end) {
        assertTrue(end.endpoint.sendData(packet(0), 0, 200));
        byte[] sent = end.outbox.pollLast();
        return sessionId(sent);
    }

    @Test
    void theInitiatorRekeysAfter120SecondsAndDataGoesOnUnderTheNewSession() {
        p.start();
        int first = currentIdOf(p.a);
        long initsBefore = count(p.a.sentLog, TunnelWire.INIT) + count(p.b.sentLog, TunnelWire.INIT);
        p.run(Duration.ofSeconds(119));
        assertEquals(
                initsBefore,
                count(p.a.sentLog, TunnelWire.INIT) + count(p.b.sentLog, TunnelWire.INIT),
                "no handshake before the rekey time");
        assertEquals(1, p.a.endpoint.status().handshakes());
        p.run(Duration.ofSeconds(2));
        assertEquals(
                initsBefore + 1,
                count(p.a.sentLog, TunnelWire.INIT) + count(p.b.sentLog, TunnelWire.INIT),
                "one side rekeys, once");
        assertEquals(2, p.a.endpoint.status().handshakes());
        assertEquals(2, p.b.endpoint.status().handshakes());
        int second = currentIdOf(p.a);
        assertNotEquals(first, second);
        assertTrue(p.a.endpoint.sendData(packet(7), 0, 200));
        p.deliver();
        assertEquals(7, p.b.delivered.get(p.b.delivered.size() - 1)[100]);
        assertEquals(TunnelStatus.PeerState.UP, p.b.endpoint.state());
    }

    @Test
    void aSessionPastTheRekeyMessageCountIsReplaced() {
        p.start();
        int first = currentIdOf(p.a);
        // 2^60 messages cannot be sent in a test: the session is told it has sent them.
        p.a.endpoint.control().sessions().current().skipTo(Session.REKEY_AFTER_MESSAGES);
        p.run(Duration.ofMillis(1100));
        assertTrue(p.a.endpoint.status().handshakes() >= 2, "a rekey at the next tick");
        assertNotEquals(first, currentIdOf(p.a));
    }

    @Test
    void aSessionIsRejectedAfter180SecondsWhenNoNewOneCanBeMade() {
        p.start();
        byte[] oldData = null;
        // Every handshake is lost from now on: the session cannot be replaced.
        for (int s = 0; s < 179; s++) {
            p.run(Duration.ofSeconds(1), m -> TunnelWire.handshakeLength(TunnelPair.type(m)) < 0);
        }
        assertTrue(p.a.endpoint.sendData(packet(1), 0, 200), "still usable just before 180 s");
        oldData = p.a.outbox.pollLast();
        p.run(Duration.ofMillis(1100), m -> TunnelWire.handshakeLength(TunnelPair.type(m)) < 0);

        long noSession = p.a.endpoint.drops(TunnelDrop.NO_SESSION);
        assertFalse(p.a.endpoint.sendData(packet(2), 0, 200), "nothing sent past 180 s");
        assertEquals(noSession + 1, p.a.endpoint.drops(TunnelDrop.NO_SESSION));
        // A message sealed under it before, arriving now, is not opened either.
        assertEquals(-1, p.inject(p.b, oldData, TunnelPair.A_ADDRESS, TunnelPair.PORT));
        assertTrue(
                p.b.endpoint.drops(TunnelDrop.EXPIRED_SESSION) + p.b.endpoint.drops(TunnelDrop.UNKNOWN_SESSION) == 1,
                "refused as expired (or already forgotten by the tick)");
    }

    @Test
    void theResponderDropsThePreviousSessionOnceTheNewOneIsConfirmed() {
        p.start();
        // A message from A under the first session, held back on the wire.
        assertTrue(p.a.endpoint.sendData(packet(3), 0, 200));
        byte[] straggler = p.a.outbox.pollLast();
        p.run(Duration.ofSeconds(121));
        assertEquals(2, p.b.endpoint.status().handshakes());
        assertEquals(-1, p.inject(p.b, straggler, TunnelPair.A_ADDRESS, TunnelPair.PORT));
        assertEquals(1, p.b.endpoint.drops(TunnelDrop.UNKNOWN_SESSION));
    }

    @Test
    void whileThePeerIsDownNothingIsSentUnderTheDeadSession() {
        p.start();
        p.run(Duration.ofSeconds(6), m -> false); // B is silent
        assertEquals(TunnelStatus.PeerState.DOWN, p.a.endpoint.state());
        int sentBefore = p.a.sentLog.size();
        assertFalse(p.a.endpoint.sendData(packet(4), 0, 200));
        p.run(Duration.ofSeconds(5), m -> false);
        List<byte[]> since = p.a.sentLog.subList(sentBefore, p.a.sentLog.size());
        assertFalse(since.isEmpty());
        assertEquals(since.size(), count(since, TunnelWire.INIT), "only handshakes while the peer is down");
    }

    @Test
    void crossingHandshakesAfterARestartEndInOneSession() {
        p.start();
        // A's daemon dies: B sees it down and sends an INIT every keepalive.
        p.a.endpoint.stop();
        p.run(Duration.ofSeconds(6), m -> false);
        assertEquals(TunnelStatus.PeerState.DOWN, p.b.endpoint.state());
        long handshakesB = p.b.endpoint.status().handshakes();
        long responsesBefore = count(p.a.sentLog, TunnelWire.RESPONSE) + count(p.b.sentLog, TunnelWire.RESPONSE);
        // A comes back just as B's next INIT leaves: the two INITs cross on the wire.
        p.lose();
        p.scheduler.advance(Duration.ofMillis(1000));
        p.wallMillis += 1000;
        assertEquals(1, count(List.copyOf(p.b.outbox), TunnelWire.INIT));
        TunnelPair.End a = p.a;
        a.outbox.clear();
        a.endpoint = p.newEnd(a, true, p.psk);
        a.endpoint.start();
        p.deliver();
        p.run(Duration.ofSeconds(3));

        assertEquals(
                responsesBefore + 1,
                count(p.a.sentLog, TunnelWire.RESPONSE) + count(p.b.sentLog, TunnelWire.RESPONSE),
                "one of the two INITs is answered");
        assertEquals(1, p.a.endpoint.status().handshakes());
        assertEquals(handshakesB + 1, p.b.endpoint.status().handshakes());
        assertEquals(currentIdOf(p.a), currentIdOf(p.b));
        assertEquals(TunnelStatus.PeerState.UP, p.a.endpoint.state());
        assertEquals(TunnelStatus.PeerState.UP, p.b.endpoint.state());
    }
}
