package dev.mcgate.tunnel;

import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM over tunnel messages: seals a payload behind a {@link TunnelWire} header (authenticated, used as the
 * nonce) and opens one. One instance per key and direction, usable from any thread: each thread has its own
 * {@link Cipher} (a Cipher is stateful), so the loop's keepalives, the capture threads' data and the receive thread
 * share a session's keys without sharing a lock.
 */
final class Sealer {

    private static final int TAG_BITS = TunnelWire.TAG * 8;

    private final SecretKeySpec key;
    private final ThreadLocal<Cipher> cipher = ThreadLocal.withInitial(Sealer::newCipher);

    Sealer(byte[] key) {
        this.key = new SecretKeySpec(key, "AES");
        // Fail here, not on the first datagram, if the JDK has no AES-GCM.
        cipher.get();
    }

    private static Cipher newCipher() {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM unavailable in this JDK", e);
        }
    }

    /**
     * Writes header and sealed payload into {@code out}; returns the message length. The caller guarantees that
     * (session id, counter) never repeats under this key.
     */
    int seal(int type, int sessionId, long counter, byte[] payload, int offset, int length, byte[] out) {
        TunnelWire.writeHeader(out, type, sessionId, counter);
        Cipher cipher = this.cipher.get();
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, out, 4, 12));
            cipher.updateAAD(out, 0, TunnelWire.HEADER);
            return TunnelWire.HEADER + cipher.doFinal(payload, offset, length, out, TunnelWire.HEADER);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM seal failed", e);
        }
    }

    /**
     * Opens a message of {@code length} octets (header included) into {@code plain}; returns the payload length, or -1
     * if the tag does not verify (a wrong key or a modified message).
     */
    int open(byte[] message, int length, byte[] plain) {
        Cipher cipher = this.cipher.get();
        try {
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, message, 4, 12));
            cipher.updateAAD(message, 0, TunnelWire.HEADER);
            return cipher.doFinal(message, TunnelWire.HEADER, length - TunnelWire.HEADER, plain, 0);
        } catch (AEADBadTagException e) {
            return -1;
        } catch (GeneralSecurityException e) {
            // A short buffer or a parameter the JDK refuses: the message is not one we can trust either way.
            return -1;
        }
    }
}
