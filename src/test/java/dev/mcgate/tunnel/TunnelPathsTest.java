package dev.mcgate.tunnel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.net.Ip4;
import dev.mcgate.net.Subscription;
import dev.mcgate.time.EventLoop;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The tunnel end's two paths: the control path (handshake, liveness, membership) runs on the loop, as posted events;
 * the data path seals and opens without it, whether the loop is busy, stuck inside the endpoint's own listener, or
 * offered a flood of handshakes.
 */
class TunnelPathsTest {

    private static final Map<Ip4, Subscription> WANT = Map.of(Ip4.parse("239.1.1.1"), Subscription.ANY_SOURCE);

    private final TunnelPair p = new TunnelPair();

    private static byte[] packet(int seq) {
        byte[] b = new byte[200];
        b[0] = 0x45;
        b[100] = (byte) seq;
        return b;
    }

    @Test
    void aHandshakeIsAnsweredByTheLoopNotByTheReceiveThread() {
        p.a.endpoint.start();
        byte[] init = p.a.outbox.poll();
        p.loopBusy = true;

        assertEquals(-1, p.inject(p.b, init, TunnelPair.A_ADDRESS, TunnelPair.PORT));
        assertTrue(p.b.outbox.isEmpty(), "no RESPONSE while the loop has not run");
        assertEquals(List.of("tunnel tun-ab: INIT received"), p.posted);
        assertEquals(0, p.b.endpoint.status().controlReceived(), "the INIT is the loop's to count");

        p.scheduler.runDue();
        assertEquals(TunnelWire.RESPONSE, TunnelPair.type(p.b.outbox.peek()));
        p.loopBusy = false;
        p.deliver();
        assertEquals(TunnelStatus.PeerState.UP, p.a.endpoint.state());
        assertEquals(TunnelStatus.PeerState.UP, p.b.endpoint.state());
    }

    @Test
    void theResponderSeesThePeerUpOnlyWhenTheLoopRunsTheConfirmation() {
        p.a.endpoint.start();
        p.inject(p.b, p.a.outbox.poll(), TunnelPair.A_ADDRESS, TunnelPair.PORT);
        p.loopBusy = true;
        // A takes B's RESPONSE (on the loop, which runs when the test delivers to A) and proves the session.
        p.scheduler.runDue();
        p.inject(p.a, p.b.outbox.poll(), TunnelPair.B_ADDRESS, TunnelPair.PORT);
        p.scheduler.runDue();
        assertEquals(TunnelStatus.PeerState.UP, p.a.endpoint.state());
        byte[] proof = p.a.outbox.poll();
        assertEquals(TunnelWire.KEEPALIVE, TunnelPair.type(proof));

        // B authenticates the proof under its pending session on the receive thread; the loop promotes it.
        assertEquals(-1, p.inject(p.b, proof, TunnelPair.A_ADDRESS, TunnelPair.PORT));
        assertEquals(TunnelStatus.PeerState.CONNECTING, p.b.endpoint.state());
        assertEquals(0, p.b.endpoint.status().handshakes());
        p.scheduler.runDue();
        assertEquals(TunnelStatus.PeerState.UP, p.b.endpoint.state());
        assertEquals(1, p.b.endpoint.status().handshakes());
        assertTrue(p.posted.contains("tunnel tun-ab: pending session confirmed"), p.posted.toString());
    }

    @Test
    void dataCrossesWhileTheLoopIsStuckInsideTheEndpointsOwnListener() throws Exception {
        p.start();
        EventLoop loop = new EventLoop("test-loop", 64).start();
        CountDownLatch release = new CountDownLatch(1);
        try {
            p.elsewhere = loop::post;
            p.a.hold = release;
            // B's membership reaches A; A's control path runs on the loop thread and stays in A's listener.
            p.b.endpoint.setMembership(WANT);
            byte[] membership = p.b.outbox.poll();
            byte[] plain = new byte[65536];
            assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                assertEquals(
                        -1,
                        p.a.endpoint.receive(
                                membership, membership.length, TunnelPair.B_ADDRESS, TunnelPair.PORT, plain));
                assertTrue(p.a.inListener.await(10, TimeUnit.SECONDS), "the loop entered A's listener");
                for (int i = 0; i < 100; i++) {
                    assertTrue(p.a.endpoint.sendData(packet(i), 0, 200), "A seals and sends datagram " + i);
                    byte[] m = p.a.outbox.poll();
                    assertEquals(200, p.b.endpoint.receive(m, m.length, TunnelPair.A_ADDRESS, TunnelPair.PORT, plain));
                }
                // A's receive side too: B's next membership message is opened, and waits for the loop.
                p.b.endpoint.setMembership(Map.of());
                byte[] next = p.b.outbox.poll();
                assertEquals(-1, p.a.endpoint.receive(next, next.length, TunnelPair.B_ADDRESS, TunnelPair.PORT, plain));
                assertEquals(TunnelStatus.PeerState.UP, p.a.endpoint.status().state());
            });
            assertEquals(100, p.a.endpoint.status().dataSent());
            assertEquals(100, p.b.endpoint.status().dataReceived());
            release.countDown();
            // The inbox is in order: once this runs, what A's receive thread posted before it has run too.
            loop.call("test:drain", () -> null, Duration.ofSeconds(10));
        } finally {
            release.countDown();
            loop.close();
        }
        // The loop caught up: A applied both memberships in order.
        assertEquals(List.of(WANT, Map.of()), p.a.memberships);
    }

    @Test
    void aFloodOfHandshakesWaitsBoundedAndTheDataGoesOnBothWays() {
        p.start();
        byte[] replayedInit = p.a.sentLog.stream()
                .filter(m -> TunnelPair.type(m) == TunnelWire.INIT)
                .findFirst()
                .orElseThrow();
        TunnelPair.End mallory = new TunnelPair.End("M");
        p.newEnd(mallory, true, new byte[32]).start();
        byte[] forgedInit = mallory.outbox.poll();
        p.posted.clear();
        p.loopBusy = true;

        int flood = 10_000;
        for (int i = 0; i < flood; i++) {
            p.inject(p.b, replayedInit, TunnelPair.A_ADDRESS, TunnelPair.PORT);
            p.inject(p.b, forgedInit, TunnelPair.A_ADDRESS, TunnelPair.PORT);
        }
        // The data path goes on meanwhile: A seals, B opens.
        for (int i = 0; i < 50; i++) {
            assertTrue(p.a.endpoint.sendData(packet(i), 0, 200));
            assertEquals(200, p.inject(p.b, p.a.outbox.poll(), TunnelPair.A_ADDRESS, TunnelPair.PORT));
        }
        // Forgeries die on the receive thread at mac1 (one line for the loop to name the peer); authentic replays
        // reach the loop at the handshake rate, the rest are asked for a cookie, which nobody at A's address has.
        assertEquals(flood, p.b.endpoint.drops(TunnelDrop.AUTH_FAILED));
        long inits = p.posted.stream().filter(e -> e.endsWith("INIT received")).count();
        // (the burst is the rate; the handshake at start took a token of it)
        assertTrue(inits > 0 && inits <= HandshakeLimiter.RATE, p.posted.toString());
        assertEquals(
                List.of("tunnel tun-ab: handshake failed authentication"),
                p.posted.stream().filter(e -> !e.endsWith("INIT received")).toList());
        assertEquals(flood - inits, p.b.endpoint.drops(TunnelDrop.COOKIE_REQUIRED));
        long cookies = p.b.outbox.stream()
                .filter(m -> TunnelPair.type(m) == TunnelWire.COOKIE)
                .count();
        assertTrue(cookies > 0 && cookies <= HandshakeLimiter.RATE, "cookie replies, rate-limited: " + cookies);
        assertEquals(0, p.b.endpoint.drops(TunnelDrop.CONTROL_BACKLOG));

        p.loopBusy = false;
        p.scheduler.runDue();
        assertEquals(inits, p.b.endpoint.drops(TunnelDrop.STALE_HANDSHAKE), "the replays refused");
        assertEquals(1, p.b.endpoint.status().handshakes(), "the session stands");
        assertEquals(TunnelStatus.PeerState.UP, p.b.endpoint.state());
        // Room again: B's membership reaches A through A's loop.
        p.b.endpoint.setMembership(WANT);
        p.deliver();
        assertEquals(WANT, p.a.lastMembership());
    }
}
