package dev.mcgate.relay.kafka;

import dev.mcgate.net.Ip4;
import dev.mcgate.net.Ip6;
import dev.mcgate.net.IpAddress;

/**
 * The record headers the publisher writes, for consumers that are not mcgate: names and binary values (big-endian,
 * addresses in network order, 4 or 16 octets by family).
 */
public final class RelayHeaders {

    /** The datagram's source address. */
    public static final String SOURCE = "mcgate.source";
    /** The group it was sent to. */
    public static final String GROUP = "mcgate.group";
    /** The destination UDP port, 2 octets. */
    public static final String PORT = "mcgate.port";
    /** The source UDP port, 2 octets. */
    public static final String SOURCE_PORT = "mcgate.source-port";
    /** When mcgate received the datagram: nanoseconds since the Unix epoch, 8 octets. */
    public static final String ARRIVAL_NS = "mcgate.arrival-ns";
    /** The flow's sequence number, 8 octets: 0 for its first record after the publisher started, then +1. */
    public static final String SEQUENCE = "mcgate.seq";

    private RelayHeaders() {}

    public static byte[] port(int port) {
        return new byte[] {(byte) (port >>> 8), (byte) port};
    }

    public static byte[] longValue(long value) {
        byte[] b = new byte[8];
        for (int i = 7; i >= 0; i--) {
            b[i] = (byte) value;
            value >>>= 8;
        }
        return b;
    }

    /** @throws IllegalArgumentException if the value is not 8 octets */
    public static long readLong(byte[] b) {
        if (b == null || b.length != 8) {
            throw new IllegalArgumentException("not an 8-octet number");
        }
        long v = 0;
        for (byte x : b) {
            v = (v << 8) | (x & 0xff);
        }
        return v;
    }

    /** @throws IllegalArgumentException if the value is not 2 octets */
    public static int readPort(byte[] b) {
        if (b == null || b.length != 2) {
            throw new IllegalArgumentException("not a 2-octet port");
        }
        return ((b[0] & 0xff) << 8) | (b[1] & 0xff);
    }

    /** @throws IllegalArgumentException if the value is neither 4 nor 16 octets */
    public static IpAddress readAddress(byte[] b) {
        if (b != null && b.length == 4) {
            return Ip4.fromBytes(b, 0);
        }
        if (b != null && b.length == 16) {
            return Ip6.fromBytes(b, 0);
        }
        throw new IllegalArgumentException("not a 4- or 16-octet address");
    }
}
