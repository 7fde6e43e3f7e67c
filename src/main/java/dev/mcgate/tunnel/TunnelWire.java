package dev.mcgate.tunnel;

/**
 * The tunnel's datagram layout, one UDP payload per message; the single place that knows it.
 *
 * <pre>
 *  0      1      2      4             8                              16
 *  +------+------+------+-------------+------------------------------+------------------+---------+
 *  | type | ver  |  0   | session id  | counter                      | ciphertext       | GCM tag |
 *  +------+------+------+-------------+------------------------------+------------------+---------+
 * </pre>
 *
 * <p>The 16-octet header travels in clear and is authenticated as AES-GCM's additional data; octets 4..15 (session id
 * and counter) are the 96-bit GCM nonce. Session messages use a per-direction key of their session and a counter
 * that starts at 0 and only grows, so no nonce repeats under one key.
 *
 * <p>Handshake messages (version 2) have session id 0 and, as counter, the initiator's random handshake index (a
 * RESPONSE and a COOKIE echo the index of the INIT they answer). Each has one exact length, checked before any
 * cryptography:
 *
 * <pre>
 *  INIT     (110) header | responder address, port (6) | initiator ephemeral (32) | sealed timestamp (8 + 16)
 *                 | mac1 (16) | mac2 (16)
 *  RESPONSE (102) header | initiator address, port (6) | responder ephemeral (32) | sealed nothing (16)
 *                 | mac1 (16) | mac2 (16)
 *  COOKIE    (60) header | random nonce (12) | sealed cookie (16 + 16)
 * </pre>
 *
 * <p>mac1 covers the message up to itself, mac2 up to itself (zeros without a cookie); see {@link Handshake}.
 */
public final class TunnelWire {

    public static final int HEADER = 16;
    public static final int TAG = 16;
    /** Octets a message adds to its payload. */
    public static final int OVERHEAD = HEADER + TAG;
    /** IPv4 (20, no options) and UDP (8) headers around every tunnel message on the path. */
    public static final int IP_UDP = 28;

    /** Version 2: the forward-secret handshake (version 1 derived keys from the pre-shared key and nonces only). */
    public static final int VERSION = 2;
    /** The largest UDP payload over IPv4. */
    public static final int MAX_UDP_PAYLOAD = 65507;

    /** Message types (octet 0). */
    public static final int INIT = 1;

    public static final int RESPONSE = 2;
    public static final int DATA = 3;
    public static final int KEEPALIVE = 4;
    public static final int MEMBERSHIP = 5;
    /** The responder under load answers an INIT with a cookie instead of a RESPONSE (WireGuard's cookie reply). */
    public static final int COOKIE = 6;
    /**
     * The IPv6 groups' membership ({@link MembershipCodec} with 16-octet addresses). A type of its own, so that a peer
     * that predates it drops it unopened and keeps the IPv4 membership of MEMBERSHIP.
     */
    public static final int MEMBERSHIP6 = 7;

    /** An X25519 public key (RFC 7748). */
    public static final int KEY = 32;
    /** An IPv4 address and UDP port, as bound into the handshake. */
    public static final int ENDPOINT = 6;

    public static final int MAC = 16;
    /** The wall-clock milliseconds an INIT carries, sealed, against replays. */
    public static final int TIMESTAMP = 8;

    public static final int COOKIE_NONCE = 12;
    public static final int COOKIE_VALUE = 16;

    /** Where each part of INIT and RESPONSE starts: the endpoint, the ephemeral key, the sealed part. */
    static final int HS_ENDPOINT = HEADER;

    static final int HS_EPHEMERAL = HS_ENDPOINT + ENDPOINT;
    static final int HS_SEALED = HS_EPHEMERAL + KEY;
    public static final int INIT_LENGTH = HS_SEALED + TIMESTAMP + TAG + 2 * MAC;
    public static final int RESPONSE_LENGTH = HS_SEALED + TAG + 2 * MAC;
    static final int COOKIE_SEALED = HEADER + COOKIE_NONCE;
    public static final int COOKIE_LENGTH = COOKIE_SEALED + COOKIE_VALUE + TAG;

    private TunnelWire() {}

    /** The one length a handshake message of {@code type} has; -1 for other types. */
    static int handshakeLength(int type) {
        return switch (type) {
            case INIT -> INIT_LENGTH;
            case RESPONSE -> RESPONSE_LENGTH;
            case COOKIE -> COOKIE_LENGTH;
            default -> -1;
        };
    }

    /** Where mac1 of an INIT or RESPONSE of {@code length} octets starts; mac2 follows it. */
    static int mac1At(int length) {
        return length - 2 * MAC;
    }

    static int mac2At(int length) {
        return length - MAC;
    }

    static void putEndpoint(byte[] b, int at, dev.mcgate.net.Ip4 address, int port) {
        putInt(b, at, address.bits());
        putShort(b, at + 4, port);
    }

    /** The largest inner packet (or payload) a tunnel whose path MTU is {@code pathMtu} carries unfragmented. */
    public static int innerMtu(int pathMtu) {
        return pathMtu - IP_UDP - OVERHEAD;
    }

    static void writeHeader(byte[] b, int type, int sessionId, long counter) {
        b[0] = (byte) type;
        b[1] = VERSION;
        b[2] = 0;
        b[3] = 0;
        putInt(b, 4, sessionId);
        putLong(b, 8, counter);
    }

    static int type(byte[] b) {
        return b[0] & 0xff;
    }

    static int sessionId(byte[] b) {
        return getInt(b, 4);
    }

    static long counter(byte[] b) {
        return getLong(b, 8);
    }

    static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    static int getInt(byte[] b, int at) {
        return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
    }

    static void putLong(byte[] b, int at, long v) {
        putInt(b, at, (int) (v >>> 32));
        putInt(b, at + 4, (int) v);
    }

    static long getLong(byte[] b, int at) {
        return ((long) getInt(b, at) << 32) | (getInt(b, at + 4) & 0xffffffffL);
    }

    static void putShort(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }

    static int getShort(byte[] b, int at) {
        return (b[at] & 0xff) << 8 | (b[at + 1] & 0xff);
    }
}
