package dev.mcgate.packet;

import java.util.Arrays;

/**
 * One option of an IPv6 Hop-by-Hop Options header (RFC 8200 §4.2): its type octet and its data. Padding is kept as an
 * option too (Pad1 has no length octet), so that a decoded header encodes to the octets it came from.
 */
public record Ipv6Option(int type, byte[] data) {

    /** Pad1: a single zero octet. */
    public static final int PAD1_TYPE = 0;
    /** PadN: type, length, that many zero octets. */
    public static final int PADN_TYPE = 1;
    /** Router Alert, RFC 2711 §2.1: type 5, length 2, a 16-bit value. */
    public static final int ROUTER_ALERT_TYPE = 5;
    /** RFC 2711 §2.1: value 0, "Datagram contains a Multicast Listener Discovery message". */
    public static final int ROUTER_ALERT_MLD = 0;

    public static final Ipv6Option PAD1 = new Ipv6Option(PAD1_TYPE, new byte[0]);
    /** Router Alert with value 0 (MLD): the octets 05 02 00 00. */
    public static final Ipv6Option ROUTER_ALERT = new Ipv6Option(ROUTER_ALERT_TYPE, new byte[2]);

    public Ipv6Option {
        if (type < 0 || type > 0xff) {
            throw new IllegalArgumentException("option type " + type);
        }
        if (type == PAD1_TYPE && data.length != 0) {
            throw new IllegalArgumentException("Pad1 carries no data");
        }
        if (data.length > 0xff) {
            throw new IllegalArgumentException("option data of " + data.length + " octets");
        }
        data = data.clone();
        if (type == PADN_TYPE) {
            for (byte octet : data) {
                if (octet != 0) {
                    throw new IllegalArgumentException("PadN carries zero octets only");
                }
            }
        }
    }

    /** PadN with {@code length} zero octets of data. */
    public static Ipv6Option padN(int length) {
        return new Ipv6Option(PADN_TYPE, new byte[length]);
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    /** Octets on the wire: one for Pad1, else type + length + data. */
    public int length() {
        return type == PAD1_TYPE ? 1 : 2 + data.length;
    }

    public boolean isPadding() {
        return type == PAD1_TYPE || type == PADN_TYPE;
    }

    public boolean isRouterAlert() {
        return type == ROUTER_ALERT_TYPE && data.length == 2;
    }

    /**
     * RFC 8200 §4.2: the two high-order bits of an option type say what a node that does not know the option does: 00
     * skip it, 01 discard the packet, 10 discard and send Parameter Problem, 11 the same unless the destination is
     * multicast.
     */
    public int action() {
        return action(type);
    }

    /** The action bits of an option type octet, before an option is built from it. */
    static int action(int type) {
        return type >>> 6;
    }

    void writeTo(byte[] b, int at) {
        b[at] = (byte) type;
        if (type != PAD1_TYPE) {
            b[at + 1] = (byte) data.length;
            System.arraycopy(data, 0, b, at + 2, data.length);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ipv6Option other && type == other.type && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        return 31 * type + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        if (isRouterAlert()) {
            return "RouterAlert(" + Bytes.u16(data, 0) + ")";
        }
        return switch (type) {
            case PAD1_TYPE -> "Pad1";
            case PADN_TYPE -> "PadN(" + data.length + ")";
            default -> "Ipv6Option(" + type + ", " + data.length + " octets)";
        };
    }
}
