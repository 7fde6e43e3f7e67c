package dev.mcgate.tunnel;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import javax.crypto.KeyAgreement;

/**
 * X25519 Diffie-Hellman (RFC 7748) over the JDK's {@code XDH} provider, on raw 32-octet keys as they travel: a key pair
 * from 32 random octets (so tests can make them deterministic), and the shared secret of a private and a public key.
 */
final class X25519 {

    static final int LENGTH = 32;
    /** RFC 7748 §4.1: the base point's u-coordinate. */
    private static final byte[] BASE_POINT = basePoint();

    private X25519() {}

    /** A private key (32 random octets, clamped by the JDK as RFC 7748 §5 says) and its public key. */
    record KeyPair(byte[] privateKey, byte[] publicKey) {}

    static KeyPair keyPair(TunnelEndpoint.RandomBytes random) {
        byte[] scalar = new byte[LENGTH];
        random.fill(scalar);
        byte[] pub = agree(scalar, BASE_POINT);
        if (pub == null) {
            throw new IllegalStateException("X25519 refused the base point"); // a broken JDK, not bad input
        }
        return new KeyPair(scalar, pub);
    }

    /**
     * The shared secret of our {@code privateKey} and the peer's {@code publicKey}, or null if the public key is one
     * of the small-order points (the result would be all zeros: RFC 7748 §6.1 says to refuse it).
     */
    static byte[] agree(byte[] privateKey, byte[] publicKey) {
        try {
            KeyFactory factory = KeyFactory.getInstance("XDH");
            PrivateKey priv =
                    factory.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, privateKey.clone()));
            PublicKey pub = factory.generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, u(publicKey)));
            KeyAgreement agreement = KeyAgreement.getInstance("XDH");
            agreement.init(priv);
            agreement.doPhase(pub, true);
            byte[] secret = agreement.generateSecret();
            return isZero(secret) ? null : secret;
        } catch (InvalidKeyException e) {
            return null; // the JDK refuses small-order points itself
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("XDH unavailable in this JDK", e);
        }
    }

    /** RFC 7748 §5: a u-coordinate is little-endian, and its top bit is ignored. */
    private static BigInteger u(byte[] littleEndian) {
        byte[] be = new byte[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            be[i] = littleEndian[LENGTH - 1 - i];
        }
        be[0] &= 0x7f;
        return new BigInteger(1, be);
    }

    private static boolean isZero(byte[] b) {
        int acc = 0;
        for (byte x : b) {
            acc |= x;
        }
        return acc == 0;
    }

    private static byte[] basePoint() {
        byte[] b = new byte[LENGTH];
        b[0] = 9;
        return b;
    }
}
