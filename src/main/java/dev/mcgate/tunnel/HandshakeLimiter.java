package dev.mcgate.tunnel;

import java.util.Arrays;

/**
 * The responder's guard against handshake floods, WireGuard's cookie idea (its paper, §5.4.7): INITs are handed to the
 * loop (where each costs a Diffie-Hellman) at a limited rate; past it the end is "under load", and an INIT must carry
 * a mac2 made with a cookie this end gave to the peer's address, or it gets a sealed cookie reply instead (itself rate
 * limited). A flood replayed from a capture thus costs the loop a few DHs a second and a spoofer who cannot receive
 * at the peer's address never gets past it. Copies of one INIT get one cookie reply, so that replays do not use up the
 * reply budget the peer's own new INITs need. Used by the receive thread only: it takes no lock.
 */
final class HandshakeLimiter {

    /** INITs a second handed to the loop before cookies are asked for; a peer needs one per keepalive at most. */
    static final int RATE = 10;
    /** How long a cookie secret (and so a cookie) is good for. */
    static final long SECRET_LIFE_NANOS = 120_000_000_000L;

    private static final int ANSWERED = 16;

    enum Verdict {
        /** Hand it to the loop. */
        PASS,
        /** Under load without a valid mac2: answered with a cookie, if the reply budget allowed. */
        COOKIE_REQUIRED,
        /** Under load even with a valid mac2. */
        RATE_LIMITED
    }

    private final byte[] cookieKey;
    private final byte[] peerEndpoint;
    private final TunnelEndpoint.RandomBytes random;
    private final TokenBucket open;
    private final TokenBucket proven;
    private final TokenBucket replies;
    /** The indexes of the INITs last answered with a cookie: a replayed INIT gets one reply, not one per copy. */
    private final long[] answered = new long[ANSWERED];

    private int nextAnswered;
    private byte[] secret;
    private long secretSince;
    private boolean hasSecret;

    HandshakeLimiter(
            KeySchedule keys,
            boolean weAreDownstream,
            TunnelParams params,
            TunnelEndpoint.RandomBytes random,
            long nowNanos) {
        this.cookieKey = keys.cookieKey(weAreDownstream);
        this.peerEndpoint = new byte[TunnelWire.ENDPOINT];
        TunnelWire.putEndpoint(peerEndpoint, 0, params.peer(), params.peerPort());
        this.random = random;
        this.open = new TokenBucket(RATE, RATE, nowNanos);
        this.proven = new TokenBucket(RATE, RATE, nowNanos);
        this.replies = new TokenBucket(RATE, RATE, nowNanos);
    }

    /**
     * Whether an INIT (length and mac1 checked) may go to the loop; under load without mac2, writes a COOKIE reply into
     * {@code reply} and returns {@link Verdict#COOKIE_REQUIRED}, with {@code replyLength[0]} its length (0: none sent).
     */
    Verdict admit(byte[] m, long nowNanos, byte[] reply, int[] replyLength) {
        replyLength[0] = 0;
        if (open.take(nowNanos)) {
            return Verdict.PASS;
        }
        byte[] cookie = cookie(nowNanos);
        int at2 = TunnelWire.mac2At(TunnelWire.INIT_LENGTH);
        if (Handshake.constantTimeEquals(KeySchedule.mac(cookie, m, at2), m, at2)) {
            return proven.take(nowNanos) ? Verdict.PASS : Verdict.RATE_LIMITED;
        }
        long index = TunnelWire.counter(m);
        if (!answeredAlready(index) && replies.take(nowNanos)) {
            answered[nextAnswered] = index;
            nextAnswered = (nextAnswered + 1) % ANSWERED;
            replyLength[0] = cookieReply(m, cookie, reply);
        }
        return Verdict.COOKIE_REQUIRED;
    }

    private boolean answeredAlready(long index) {
        for (long a : answered) {
            if (a == index) {
                return true;
            }
        }
        return false;
    }

    /** The cookie of the peer's address under the current secret, renewed every {@link #SECRET_LIFE_NANOS}. */
    private byte[] cookie(long nowNanos) {
        if (!hasSecret || nowNanos - secretSince >= SECRET_LIFE_NANOS) {
            secret = new byte[32];
            random.fill(secret);
            secretSince = nowNanos;
            hasSecret = true;
        }
        return KeySchedule.mac(secret, peerEndpoint, peerEndpoint.length);
    }

    /** COOKIE: header echoing the INIT's index | nonce | cookie sealed with AAD = header | the INIT's mac1. */
    private int cookieReply(byte[] init, byte[] cookie, byte[] out) {
        TunnelWire.writeHeader(out, TunnelWire.COOKIE, 0, TunnelWire.counter(init));
        byte[] nonce = new byte[TunnelWire.COOKIE_NONCE];
        random.fill(nonce);
        System.arraycopy(nonce, 0, out, TunnelWire.HEADER, nonce.length);
        int at1 = TunnelWire.mac1At(TunnelWire.INIT_LENGTH);
        byte[] aad = KeySchedule.concat(
                Arrays.copyOf(out, TunnelWire.HEADER), Arrays.copyOfRange(init, at1, at1 + TunnelWire.MAC));
        KeySchedule.seal(cookieKey, nonce, aad, cookie, out, TunnelWire.COOKIE_SEALED);
        return TunnelWire.COOKIE_LENGTH;
    }

    /** Opens a COOKIE reply to our INIT (whose mac1 was {@code ourMac1}), sealed by the peer; null if not authentic. */
    static byte[] openCookie(byte[] peerCookieKey, byte[] m, byte[] ourMac1) {
        byte[] nonce = Arrays.copyOfRange(m, TunnelWire.HEADER, TunnelWire.COOKIE_SEALED);
        byte[] aad = KeySchedule.concat(Arrays.copyOf(m, TunnelWire.HEADER), ourMac1);
        return KeySchedule.open(
                peerCookieKey, nonce, aad, m, TunnelWire.COOKIE_SEALED, TunnelWire.COOKIE_VALUE + TunnelWire.TAG);
    }
}
