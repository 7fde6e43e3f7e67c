package dev.mcgate.tunnel;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Every key the tunnel uses, in the shape of Noise's NNpsk0 (WireGuard's IK without static keys): a chaining key that
 * mixes in the pre-shared key, then both sides' ephemeral X25519 keys and their Diffie-Hellman output, with HKDF (RFC
 * 5869); and a transcript hash over the tunnel's name, the initiator's role and every handshake octet, used as the
 * AEAD's additional data and in the session keys' derivation. The pre-shared key authenticates; the ephemeral DH makes
 * the session keys unknowable to whoever later holds only the key file and a capture (forward secrecy).
 */
public final class KeySchedule {

    public static final int PSK_LENGTH = 32;
    private static final byte[] PROTOCOL = label("mcgate tunnel v2 Noise_NNpsk0_25519_AESGCM_SHA256");
    private static final byte[] INIT = label("init");
    private static final byte[] RESPONSE = label("response");
    private static final byte[] SESSION = label("session");
    private static final byte[] ZERO_NONCE = new byte[12];

    private final byte[] psk;
    private final byte[] name;
    /** The chaining key after the pre-shared key is mixed in; the same for every handshake of this tunnel. */
    private final byte[] ck1;

    public KeySchedule(byte[] psk, String tunnelName) {
        if (psk.length != PSK_LENGTH) {
            throw new IllegalArgumentException("the tunnel key must be " + PSK_LENGTH + " octets, not " + psk.length);
        }
        this.psk = psk.clone();
        this.name = tunnelName.getBytes(StandardCharsets.UTF_8);
        this.ck1 = Hkdf.extract(sha256(PROTOCOL), this.psk);
    }

    /** The transcript hash's start: the protocol, the tunnel's name and the initiator's role. */
    byte[] h0(boolean initiatorDownstream) {
        return sha256(
                PROTOCOL, new byte[] {(byte) name.length}, name, new byte[] {(byte) (initiatorDownstream ? 1 : 0)});
    }

    /** The chaining key after the initiator's ephemeral public key. */
    byte[] ck2(byte[] initiatorEphemeral) {
        return Hkdf.extract(ck1, initiatorEphemeral);
    }

    /** The key that seals the INIT's timestamp: from the pre-shared key and the initiator's ephemeral only. */
    static byte[] initKey(byte[] ck2) {
        return Hkdf.expand(ck2, INIT, 32);
    }

    /** The chaining key after the responder's ephemeral public key and the DH of the two ephemerals. */
    static byte[] ck3(byte[] ck2, byte[] responderEphemeral, byte[] dh) {
        byte[] ikm = Arrays.copyOf(responderEphemeral, responderEphemeral.length + dh.length);
        System.arraycopy(dh, 0, ikm, responderEphemeral.length, dh.length);
        return Hkdf.extract(ck2, ikm);
    }

    static byte[] responseKey(byte[] ck3) {
        return Hkdf.expand(ck3, RESPONSE, 32);
    }

    /**
     * A session's keys: HKDF-Expand(ck3, "session" | final transcript hash) = key from downstream (32), key from
     * upstream (32), session id (4, never 0: 0 marks handshake messages).
     */
    static SessionKeys session(byte[] ck3, byte[] h) {
        byte[] info = Arrays.copyOf(SESSION, SESSION.length + h.length);
        System.arraycopy(h, 0, info, SESSION.length, h.length);
        byte[] okm = Hkdf.expand(ck3, info, 68);
        int id = TunnelWire.getInt(okm, 64);
        return new SessionKeys(Arrays.copyOfRange(okm, 0, 32), Arrays.copyOfRange(okm, 32, 64), id == 0 ? 1 : id);
    }

    /** The key of mac1 on handshake messages sent by the side of role {@code fromDownstream}. */
    byte[] mac1Key(boolean fromDownstream) {
        return Hkdf.derive(null, psk, concat(label("mac1"), name, role(fromDownstream)), 32);
    }

    /** The key that seals cookie replies sent by the side of role {@code fromDownstream}. */
    byte[] cookieKey(boolean fromDownstream) {
        return Hkdf.derive(null, psk, concat(label("cookie"), name, role(fromDownstream)), 32);
    }

    /** The two direction keys and the id of one session. */
    record SessionKeys(byte[] fromDownstream, byte[] fromUpstream, int id) {}

    // --- primitives -------------------------------------------------------------------------------------------------

    static byte[] sha256(byte[]... parts) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            for (byte[] p : parts) {
                d.update(p);
            }
            return d.digest();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 unavailable", e); // every Java SE runtime has it
        }
    }

    /** HMAC-SHA256 over {@code b[0..length)}, truncated to a 16-octet MAC. */
    static byte[] mac(byte[] key, byte[] b, int length) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(b, 0, length);
            return Arrays.copyOf(mac.doFinal(), TunnelWire.MAC);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** AES-256-GCM under a key used once (each handshake key is fresh), so a zero nonce; into {@code out}. */
    static void seal(byte[] key, byte[] aad, byte[] plain, byte[] out, int at) {
        seal(key, ZERO_NONCE, aad, plain, out, at);
    }

    /** AES-256-GCM with an explicit 12-octet nonce (cookie replies: one key, many messages, random nonces). */
    static void seal(byte[] key, byte[] nonce, byte[] aad, byte[] plain, byte[] out, int at) {
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
            c.updateAAD(aad);
            c.doFinal(plain, 0, plain.length, out, at);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM seal failed", e);
        }
    }

    /** Opens {@code length} sealed octets at {@code at}; null if the tag does not verify. */
    static byte[] open(byte[] key, byte[] aad, byte[] in, int at, int length) {
        return open(key, ZERO_NONCE, aad, in, at, length);
    }

    static byte[] open(byte[] key, byte[] nonce, byte[] aad, byte[] in, int at, int length) {
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
            c.updateAAD(aad);
            return c.doFinal(in, at, length);
        } catch (AEADBadTagException e) {
            return null;
        } catch (GeneralSecurityException e) {
            return null; // a message we cannot trust either way
        }
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    private static byte[] role(boolean downstream) {
        return label(downstream ? " from downstream" : " from upstream");
    }

    private static byte[] label(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
