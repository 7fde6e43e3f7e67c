package dev.mcgate.tunnel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Wrong keys named, cookies under load, exact lengths, and what a stolen key file does not reveal. */
class HandshakeSecurityTest {

    private final TunnelPair p = new TunnelPair();

    private static byte[] packet(int seq) {
        byte[] b = new byte[200];
        b[0] = 0x45;
        b[100] = (byte) seq;
        return b;
    }

    @Test
    void aPeerWithAnotherKeyIsNamedWithinOneKeepaliveThenAtMostOnceAMinute() {
        byte[] other = p.psk.clone();
        other[0] ^= 1;
        p.a.endpoint = p.newEnd(p.a, true, other);
        p.start();
        p.run(TunnelPair.KEEPALIVE);
        assertEquals(List.of(1L), p.b.keyMismatches, "B names A at A's first INIT");
        assertEquals(List.of(1L), p.a.keyMismatches, "and A names B");
        assertEquals(TunnelStatus.PeerState.CONNECTING, p.b.endpoint.state());
        p.run(Duration.ofSeconds(58));
        assertEquals(1, p.b.keyMismatches.size(), "rate-limited: " + p.b.keyMismatches);
        p.run(Duration.ofSeconds(2));
        assertEquals(2, p.b.keyMismatches.size());
        long said = p.b.keyMismatches.stream().mapToLong(Long::longValue).sum();
        assertTrue(p.b.keyMismatches.get(1) > 50, "the second line counts a minute's INITs: " + p.b.keyMismatches);
        long failed = p.b.endpoint.drops(TunnelDrop.AUTH_FAILED);
        assertTrue(said <= failed && failed - said < 3, "the lines count the failures: " + said + " of " + failed);
    }

    @Test
    void underAReplayFloodThePeerGetsACookieAndItsNextInitPasses() {
        p.a.endpoint.start();
        byte[] captured = p.a.outbox.poll();
        // The capture is of an earlier run of A: its INIT answers nothing A waits for now.
        p.restart(p.a);
        p.lose();
        // B is not started: it only answers, so A's INITs are the one way to a session.
        // An attacker on the path replays A's first INIT, 50 a second, from now on; B is under load.
        for (int step = 0; step < 30; step++) {
            p.scheduler.advance(Duration.ofMillis(100));
            p.wallMillis += 100;
            // The replays come first: they take the token the last 100 ms refilled, before A's INIT arrives.
            for (int i = 0; i < 5; i++) {
                p.inject(p.b, captured, TunnelPair.A_ADDRESS, TunnelPair.PORT);
            }
            p.deliver();
        }
        assertTrue(p.b.endpoint.drops(TunnelDrop.COOKIE_REQUIRED) > 100);
        // A got a cookie for its genuine INITs, and the next INIT carried mac2 made with it: it passed.
        assertTrue(p.a.endpoint.status().controlReceived() > 0);
        byte[] lastInit = p.a.sentLog.stream()
                .filter(m -> TunnelPair.type(m) == TunnelWire.INIT)
                .reduce((x, y) -> y)
                .orElseThrow();
        assertTrue(!allZero(lastInit, TunnelWire.mac2At(lastInit.length), TunnelWire.MAC), "mac2 set");
        assertTrue(p.b.sentLog.stream().anyMatch(m -> TunnelPair.type(m) == TunnelWire.COOKIE));
        assertEquals(TunnelStatus.PeerState.UP, p.a.endpoint.state());
        assertEquals(TunnelStatus.PeerState.UP, p.b.endpoint.state());
        assertTrue(p.a.endpoint.sendData(packet(9), 0, 200));
        p.deliver();
        assertEquals(9, p.b.delivered.get(p.b.delivered.size() - 1)[100]);
    }

    @Test
    void handshakeMessagesOfAnyOtherLengthAreDroppedBeforeAnyCrypto() {
        p.a.endpoint.start();
        byte[] init = p.a.outbox.poll();
        for (int type : new int[] {TunnelWire.INIT, TunnelWire.RESPONSE, TunnelWire.COOKIE}) {
            int exact = TunnelWire.handshakeLength(type);
            for (int length : new int[] {exact - 1, exact + 1}) {
                byte[] m = Arrays.copyOf(init, length);
                m[0] = (byte) type;
                assertEquals(-1, p.inject(p.b, m, TunnelPair.A_ADDRESS, TunnelPair.PORT));
            }
        }
        byte[] longKeepalive = new byte[TunnelWire.OVERHEAD + 1];
        TunnelWire.writeHeader(longKeepalive, TunnelWire.KEEPALIVE, 5, 0);
        p.inject(p.b, longKeepalive, TunnelPair.A_ADDRESS, TunnelPair.PORT);
        assertEquals(7, p.b.endpoint.drops(TunnelDrop.BAD_LENGTH));
        // No MAC was checked: a mac1 failure would have counted and named the peer.
        assertEquals(0, p.b.endpoint.drops(TunnelDrop.AUTH_FAILED));
        assertEquals(0, p.b.endpoint.drops(TunnelDrop.UNKNOWN_SESSION));
        assertTrue(p.b.keyMismatches.isEmpty());
        // The genuine one, of its exact length, is taken.
        assertEquals(TunnelWire.INIT_LENGTH, init.length);
        p.inject(p.b, init, TunnelPair.A_ADDRESS, TunnelPair.PORT);
        assertEquals(1, p.b.endpoint.status().controlReceived());
    }

    @Test
    void aHandshakeForAnotherTunnelNameDoesNotAuthenticate() {
        TunnelPair.End other = new TunnelPair.End("O");
        TunnelEndpoint e = new TunnelEndpoint(
                new TunnelParams(
                        "tun-other",
                        TunnelPair.A_ADDRESS,
                        TunnelPair.PORT,
                        TunnelPair.B_ADDRESS,
                        TunnelPair.PORT,
                        true,
                        TunnelPair.KEEPALIVE,
                        TunnelPair.DEAD,
                        TunnelPair.PATH_MTU),
                p.psk,
                p.scheduler,
                (n, t) -> true,
                () -> p.wallMillis,
                r -> new SplittableRandom(3).nextBytes(r),
                other::transmit,
                other);
        e.start();
        p.inject(p.b, other.outbox.poll(), TunnelPair.A_ADDRESS, TunnelPair.PORT);
        assertEquals(1, p.b.endpoint.drops(TunnelDrop.AUTH_FAILED), "same key, another tunnel: refused at mac1");
    }

    // --- a recorded session and the key file --------------------------------------------------------------------

    /** Random octets from a seeded stream, each fill recorded (so the test knows what the ends chose). */
    private static final class Recorded implements TunnelEndpoint.RandomBytes {
        final SplittableRandom random;
        final List<byte[]> fills = new ArrayList<>();

        Recorded(long seed) {
            random = new SplittableRandom(seed);
        }

        @Override
        public void fill(byte[] into) {
            random.nextBytes(into);
            fills.add(into.clone());
        }
    }

    @Test
    void aRecordedSessionCannotBeDecryptedWithTheKeyFileAlone() {
        byte[] psk = p.psk;
        KeySchedule keys = new KeySchedule(psk, TunnelPair.NAME);
        Handshake initiator = new Handshake(keys, true);
        Handshake responder = new Handshake(keys, false);
        Recorded iRandom = new Recorded(1);
        Recorded rRandom = new Recorded(2);
        byte[] init = new byte[TunnelWire.INIT_LENGTH];
        Handshake.Initiation ours =
                initiator.init(77, TunnelPair.B_ADDRESS, TunnelPair.PORT, 1_700_000_000_000L, iRandom, null, init);
        Handshake.Responded r =
                responder.respond(responder.readInit(init), TunnelPair.A_ADDRESS, TunnelPair.PORT, rRandom, null);
        KeySchedule.SessionKeys iKeys = initiator.readResponse(ours, r.message());
        assertArrayEquals(r.keys().fromDownstream(), iKeys.fromDownstream(), "both ends derived one session");
        byte[] secret = "the flow nobody may read later".getBytes(StandardCharsets.US_ASCII);
        byte[] data = new byte[TunnelWire.OVERHEAD + secret.length];
        int n = new Sealer(iKeys.fromDownstream()).seal(TunnelWire.DATA, iKeys.id(), 0, secret, 0, secret.length, data);
        // The capture: INIT, RESPONSE, DATA. The attacker also holds the key file, not the ephemeral private keys.
        byte[] response = r.message();
        byte[] plain = new byte[n];

        // 1. The old (v1) derivation from the key file and the two handshake messages' contents.
        byte[] v1Handshake = Hkdf.derive(
                null, psk, "mcgate tunnel v1 handshake from downstream".getBytes(StandardCharsets.US_ASCII), 32);
        assertEquals(-1, new Sealer(v1Handshake).open(init, init.length, new byte[init.length]), "v1 INIT key");
        byte[] salt = KeySchedule.concat(
                Arrays.copyOfRange(init, TunnelWire.HS_EPHEMERAL, TunnelWire.HS_EPHEMERAL + 16),
                Arrays.copyOfRange(response, TunnelWire.HS_EPHEMERAL, TunnelWire.HS_EPHEMERAL + 16));
        byte[] v1Session = Hkdf.derive(salt, psk, "mcgate tunnel v1 session".getBytes(StandardCharsets.US_ASCII), 68);
        assertEquals(-1, new Sealer(Arrays.copyOf(v1Session, 32)).open(data, n, plain), "v1 session key");

        // 2. The new derivation, without the ephemerals' private keys. The key file does open the INIT's timestamp
        // (so it reveals when handshakes were made) ...
        Handshake.ReadInit read = new Handshake(keys, false).readInit(init);
        assertNotNull(read);
        assertEquals(1_700_000_000_000L, read.timestamp());
        // ... but every stand-in for the Diffie-Hellman output the attacker can compute fails.
        byte[] ei = Arrays.copyOfRange(init, TunnelWire.HS_EPHEMERAL, TunnelWire.HS_SEALED);
        byte[] er = Arrays.copyOfRange(response, TunnelWire.HS_EPHEMERAL, TunnelWire.HS_SEALED);
        List<byte[]> guesses = List.of(
                new byte[32], ei, er, psk, X25519.agree(psk, ei), X25519.agree(psk, er), KeySchedule.sha256(ei, er));
        byte[] h3 = KeySchedule.sha256(read.h2(), Arrays.copyOf(response, TunnelWire.HS_SEALED));
        byte[] h4 =
                KeySchedule.sha256(h3, Arrays.copyOfRange(response, TunnelWire.HS_SEALED, TunnelWire.HS_SEALED + 16));
        for (byte[] dh : guesses) {
            byte[] ck3 = KeySchedule.ck3(read.ck2(), er, dh);
            assertNull(KeySchedule.open(KeySchedule.responseKey(ck3), h3, response, TunnelWire.HS_SEALED, 16));
            KeySchedule.SessionKeys guessed = KeySchedule.session(ck3, h4);
            assertEquals(-1, new Sealer(guessed.fromDownstream()).open(data, n, plain));
        }

        // 3. The same derivation with an ephemeral private key (here: the one the initiator's random chose) opens it:
        // what fails above is the missing key, not the attacker's arithmetic.
        byte[] ephemeralPrivate = iRandom.fills.get(0);
        byte[] dh = X25519.agree(ephemeralPrivate, er);
        KeySchedule.SessionKeys real = KeySchedule.session(KeySchedule.ck3(read.ck2(), er, dh), h4);
        int opened = new Sealer(real.fromDownstream()).open(data, n, plain);
        assertArrayEquals(secret, Arrays.copyOf(plain, opened));
    }

    private static boolean allZero(byte[] b, int at, int length) {
        for (int i = at; i < at + length; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
