package dev.mcgate.tunnel;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Every key the tunnel uses, derived from the pre-shared key with HKDF (RFC 5869): one handshake key per sending role,
 * and per session one key per direction, salted with both sides' fresh nonces. Directions are named by role (the side
 * whose tunnel is a downstream sends data; the other sends membership), so that a message reflected back at its sender
 * never authenticates.
 */
public final class KeySchedule {

    public static final int PSK_LENGTH = 32;
    public static final int NONCE_LENGTH = 16;
    private static final byte[] HANDSHAKE_FROM_DOWNSTREAM = label("mcgate tunnel v1 handshake from downstream");
    private static final byte[] HANDSHAKE_FROM_UPSTREAM = label("mcgate tunnel v1 handshake from upstream");
    private static final byte[] SESSION = label("mcgate tunnel v1 session");

    private final byte[] psk;

    public KeySchedule(byte[] psk) {
        if (psk.length != PSK_LENGTH) {
            throw new IllegalArgumentException("the tunnel key must be " + PSK_LENGTH + " octets, not " + psk.length);
        }
        this.psk = psk.clone();
    }

    /** The key of handshake messages sent by the side of role {@code fromDownstream}. */
    byte[] handshakeKey(boolean fromDownstream) {
        return Hkdf.derive(null, psk, fromDownstream ? HANDSHAKE_FROM_DOWNSTREAM : HANDSHAKE_FROM_UPSTREAM, 32);
    }

    /**
     * A session's keys: HKDF(psk, salt = initiator nonce | responder nonce, "session") = key from downstream (32),
     * key from upstream (32), session id (4, never 0: 0 marks handshake messages).
     */
    SessionKeys session(byte[] initiatorNonce, byte[] responderNonce) {
        byte[] salt = new byte[2 * NONCE_LENGTH];
        System.arraycopy(initiatorNonce, 0, salt, 0, NONCE_LENGTH);
        System.arraycopy(responderNonce, 0, salt, NONCE_LENGTH, NONCE_LENGTH);
        byte[] okm = Hkdf.derive(salt, psk, SESSION, 68);
        int id = TunnelWire.getInt(okm, 64);
        return new SessionKeys(Arrays.copyOfRange(okm, 0, 32), Arrays.copyOfRange(okm, 32, 64), id == 0 ? 1 : id);
    }

    /** The two direction keys and the id of one session. */
    record SessionKeys(byte[] fromDownstream, byte[] fromUpstream, int id) {}

    private static byte[] label(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
