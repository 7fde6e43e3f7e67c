package dev.mcgate.tunnel;

import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HKDF with HMAC-SHA256 (RFC 5869): extract a pseudorandom key from input keying material, expand it per use. */
public final class Hkdf {

    private static final String HMAC = "HmacSHA256";
    private static final int HASH_LENGTH = 32;

    private Hkdf() {}

    /** RFC 5869 §2.2: PRK = HMAC-Hash(salt, IKM); an absent salt is HashLen zeros. */
    public static byte[] extract(byte[] salt, byte[] ikm) {
        byte[] key = salt == null || salt.length == 0 ? new byte[HASH_LENGTH] : salt;
        Mac mac = mac(key);
        return mac.doFinal(ikm);
    }

    /** RFC 5869 §2.3: T(i) = HMAC-Hash(PRK, T(i-1) | info | i), OKM = the first L octets of T(1) | T(2) | ... */
    public static byte[] expand(byte[] prk, byte[] info, int length) {
        if (length < 0 || length > 255 * HASH_LENGTH) {
            throw new IllegalArgumentException(
                    "HKDF output length must be 0.." + 255 * HASH_LENGTH + ", not " + length);
        }
        Mac mac = mac(prk);
        byte[] okm = new byte[length];
        byte[] previous = new byte[0];
        int done = 0;
        for (int i = 1; done < length; i++) {
            mac.update(previous);
            mac.update(info == null ? new byte[0] : info);
            mac.update((byte) i);
            previous = mac.doFinal();
            int n = Math.min(HASH_LENGTH, length - done);
            System.arraycopy(previous, 0, okm, done, n);
            done += n;
        }
        return okm;
    }

    /** Extract then expand. */
    public static byte[] derive(byte[] salt, byte[] ikm, byte[] info, int length) {
        return expand(extract(salt, ikm), info, length);
    }

    private static Mac mac(byte[] key) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(key, HMAC));
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            // Every Java SE runtime must provide HmacSHA256: this is a broken JDK, not bad input.
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
