package dev.mcgate.tunnel;

/**
 * The tunnel's datagram layout, one UDP payload per message.
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
 * that starts at 0 and only grows, so no nonce repeats under one key. Handshake messages have session id 0, a random
 * counter and the handshake key of the sender's role.
 */
public final class TunnelWire {

    public static final int HEADER = 16;
    public static final int TAG = 16;
    /** Octets a message adds to its payload. */
    public static final int OVERHEAD = HEADER + TAG;
    /** IPv4 (20, no options) and UDP (8) headers around every tunnel message on the path. */
    public static final int IP_UDP = 28;

    public static final int VERSION = 1;
    /** The largest UDP payload over IPv4. */
    public static final int MAX_UDP_PAYLOAD = 65507;

    /** Message types (octet 0). */
    public static final int INIT = 1;

    public static final int RESPONSE = 2;
    public static final int DATA = 3;
    public static final int KEEPALIVE = 4;
    public static final int MEMBERSHIP = 5;

    private TunnelWire() {}

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
