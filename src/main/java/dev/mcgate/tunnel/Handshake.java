package dev.mcgate.tunnel;

import dev.mcgate.net.Ip4;
import java.util.Arrays;

/**
 * The two handshake messages on the wire, built and read along {@link KeySchedule}: the initiator's INIT (its ephemeral
 * key, the responder's endpoint as it addresses it, a sealed timestamp) and the responder's RESPONSE (its ephemeral
 * key, the initiator's endpoint as it addresses it, an empty sealed part that proves it derived the same keys). Both
 * ends of a tunnel hold one, of their role; it keeps no state between messages (the caller keeps an
 * {@link Initiation}).
 */
final class Handshake {

    private final KeySchedule keys;
    private final boolean weAreDownstream;
    private final byte[] mac1Send;
    private final byte[] mac1Receive;

    Handshake(KeySchedule keys, boolean weAreDownstream) {
        this.keys = keys;
        this.weAreDownstream = weAreDownstream;
        this.mac1Send = keys.mac1Key(weAreDownstream);
        this.mac1Receive = keys.mac1Key(!weAreDownstream);
    }

    /** What the initiator keeps between its INIT and the RESPONSE; the private key is forgotten with it. */
    record Initiation(
            long index, byte[] ephemeralPrivate, byte[] ephemeralPublic, byte[] ck2, byte[] h2, byte[] mac1) {}

    /** An authentic INIT as the responder read it. */
    record ReadInit(
            long index, byte[] ephemeral, long timestamp, Ip4 responder, int responderPort, byte[] ck2, byte[] h2) {}

    /** A RESPONSE built: the message and the session's keys. */
    record Responded(byte[] message, KeySchedule.SessionKeys keys) {}

    /** Builds an INIT ({@link TunnelWire#INIT_LENGTH} octets) to the responder at {@code responder}:{@code port}. */
    Initiation init(
            long index,
            Ip4 responder,
            int port,
            long wallMillis,
            TunnelEndpoint.RandomBytes random,
            byte[] cookie,
            byte[] out) {
        X25519.KeyPair e = X25519.keyPair(random);
        TunnelWire.writeHeader(out, TunnelWire.INIT, 0, index);
        TunnelWire.putEndpoint(out, TunnelWire.HS_ENDPOINT, responder, port);
        System.arraycopy(e.publicKey(), 0, out, TunnelWire.HS_EPHEMERAL, X25519.LENGTH);
        byte[] h1 = KeySchedule.sha256(keys.h0(weAreDownstream), Arrays.copyOf(out, TunnelWire.HS_SEALED));
        byte[] ck2 = keys.ck2(e.publicKey());
        byte[] timestamp = new byte[TunnelWire.TIMESTAMP];
        TunnelWire.putLong(timestamp, 0, wallMillis);
        KeySchedule.seal(KeySchedule.initKey(ck2), h1, timestamp, out, TunnelWire.HS_SEALED);
        int sealedEnd = TunnelWire.HS_SEALED + TunnelWire.TIMESTAMP + TunnelWire.TAG;
        byte[] h2 = KeySchedule.sha256(h1, Arrays.copyOfRange(out, TunnelWire.HS_SEALED, sealedEnd));
        byte[] mac1 = addMacs(out, TunnelWire.INIT_LENGTH, cookie);
        return new Initiation(index, e.privateKey(), e.publicKey(), ck2, h2, mac1);
    }

    /** Reads an INIT whose length and mac1 were checked: null unless its timestamp opens under its transcript. */
    ReadInit readInit(byte[] m) {
        byte[] ephemeral = Arrays.copyOfRange(m, TunnelWire.HS_EPHEMERAL, TunnelWire.HS_SEALED);
        byte[] h1 = KeySchedule.sha256(keys.h0(!weAreDownstream), Arrays.copyOf(m, TunnelWire.HS_SEALED));
        byte[] ck2 = keys.ck2(ephemeral);
        int sealedLength = TunnelWire.TIMESTAMP + TunnelWire.TAG;
        byte[] timestamp = KeySchedule.open(KeySchedule.initKey(ck2), h1, m, TunnelWire.HS_SEALED, sealedLength);
        if (timestamp == null) {
            return null;
        }
        byte[] h2 = KeySchedule.sha256(
                h1, Arrays.copyOfRange(m, TunnelWire.HS_SEALED, TunnelWire.HS_SEALED + sealedLength));
        return new ReadInit(
                TunnelWire.counter(m),
                ephemeral,
                TunnelWire.getLong(timestamp, 0),
                new Ip4(TunnelWire.getInt(m, TunnelWire.HS_ENDPOINT)),
                TunnelWire.getShort(m, TunnelWire.HS_ENDPOINT + 4),
                ck2,
                h2);
    }

    /**
     * Answers {@code init} with a RESPONSE to the initiator at {@code initiator}:{@code port}; null if the initiator's
     * ephemeral is a small-order point (no shared secret).
     */
    Responded respond(ReadInit init, Ip4 initiator, int port, TunnelEndpoint.RandomBytes random, byte[] cookie) {
        X25519.KeyPair e = X25519.keyPair(random);
        byte[] dh = X25519.agree(e.privateKey(), init.ephemeral());
        if (dh == null) {
            return null;
        }
        byte[] out = new byte[TunnelWire.RESPONSE_LENGTH];
        TunnelWire.writeHeader(out, TunnelWire.RESPONSE, 0, init.index());
        TunnelWire.putEndpoint(out, TunnelWire.HS_ENDPOINT, initiator, port);
        System.arraycopy(e.publicKey(), 0, out, TunnelWire.HS_EPHEMERAL, X25519.LENGTH);
        byte[] h3 = KeySchedule.sha256(init.h2(), Arrays.copyOf(out, TunnelWire.HS_SEALED));
        byte[] ck3 = KeySchedule.ck3(init.ck2(), e.publicKey(), dh);
        KeySchedule.seal(KeySchedule.responseKey(ck3), h3, new byte[0], out, TunnelWire.HS_SEALED);
        byte[] h4 = KeySchedule.sha256(
                h3, Arrays.copyOfRange(out, TunnelWire.HS_SEALED, TunnelWire.HS_SEALED + TunnelWire.TAG));
        addMacs(out, TunnelWire.RESPONSE_LENGTH, cookie);
        return new Responded(out, KeySchedule.session(ck3, h4));
    }

    /** The initiator endpoint a RESPONSE names (checked against our own by the caller). */
    static Ip4 responseEndpointAddress(byte[] m) {
        return new Ip4(TunnelWire.getInt(m, TunnelWire.HS_ENDPOINT));
    }

    static int responseEndpointPort(byte[] m) {
        return TunnelWire.getShort(m, TunnelWire.HS_ENDPOINT + 4);
    }

    /** Reads a RESPONSE to {@code ours}: the session's keys, or null if it does not authenticate. */
    KeySchedule.SessionKeys readResponse(Initiation ours, byte[] m) {
        byte[] ephemeral = Arrays.copyOfRange(m, TunnelWire.HS_EPHEMERAL, TunnelWire.HS_SEALED);
        byte[] dh = X25519.agree(ours.ephemeralPrivate(), ephemeral);
        if (dh == null) {
            return null;
        }
        byte[] h3 = KeySchedule.sha256(ours.h2(), Arrays.copyOf(m, TunnelWire.HS_SEALED));
        byte[] ck3 = KeySchedule.ck3(ours.ck2(), ephemeral, dh);
        if (KeySchedule.open(KeySchedule.responseKey(ck3), h3, m, TunnelWire.HS_SEALED, TunnelWire.TAG) == null) {
            return null;
        }
        byte[] h4 = KeySchedule.sha256(
                h3, Arrays.copyOfRange(m, TunnelWire.HS_SEALED, TunnelWire.HS_SEALED + TunnelWire.TAG));
        return KeySchedule.session(ck3, h4);
    }

    /** Whether an INIT or RESPONSE of {@code length} octets from the peer carries a valid mac1 (cheap: one HMAC). */
    boolean mac1Valid(byte[] m, int length) {
        int at = TunnelWire.mac1At(length);
        return constantTimeEquals(KeySchedule.mac(mac1Receive, m, at), m, at);
    }

    /** Writes mac1 and mac2 (zeros without a cookie) at the end of {@code out}; returns mac1. */
    private byte[] addMacs(byte[] out, int length, byte[] cookie) {
        int at1 = TunnelWire.mac1At(length);
        byte[] mac1 = KeySchedule.mac(mac1Send, out, at1);
        System.arraycopy(mac1, 0, out, at1, TunnelWire.MAC);
        int at2 = TunnelWire.mac2At(length);
        if (cookie != null) {
            System.arraycopy(KeySchedule.mac(cookie, out, at2), 0, out, at2, TunnelWire.MAC);
        } else {
            Arrays.fill(out, at2, at2 + TunnelWire.MAC, (byte) 0);
        }
        return mac1;
    }

    static boolean constantTimeEquals(byte[] expected, byte[] m, int at) {
        int diff = 0;
        for (int i = 0; i < expected.length; i++) {
            diff |= expected[i] ^ m[at + i];
        }
        return diff == 0;
    }
}
