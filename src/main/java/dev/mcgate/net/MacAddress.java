package dev.mcgate.net;

/**
 * A 48-bit Ethernet MAC address held in the low bits of a long, so that it can be written into a frame without allocating.
 */
public record MacAddress(long bits) {

    private static final long MASK = 0xFFFF_FFFF_FFFFL;

    /** 01:00:5e:00:00:00, the IANA block that IPv4 multicast groups map into (RFC 1112 §6.4). */
    private static final long IPV4_MULTICAST_BASE = 0x0100_5E00_0000L;

    /** 33:33:00:00:00:00, the block that IPv6 multicast groups map into (RFC 2464 §7). */
    private static final long IPV6_MULTICAST_BASE = 0x3333_0000_0000L;

    public static final MacAddress ZERO = new MacAddress(0);
    public static final MacAddress BROADCAST = new MacAddress(MASK);

    public MacAddress {
        if ((bits & ~MASK) != 0) {
            throw new IllegalArgumentException("a MAC address has 48 bits: 0x" + Long.toHexString(bits));
        }
    }

    /** Parses six two-digit hex parts separated by ':' or '-' (as ip link and Windows print them). */
    public static MacAddress parse(String text) {
        if (text.length() != 17) {
            throw new IllegalArgumentException("not a MAC address: '" + text + "'");
        }
        char separator = text.charAt(2);
        if (separator != ':' && separator != '-') {
            throw new IllegalArgumentException("not a MAC address: '" + text + "'");
        }
        long bits = 0;
        for (int part = 0; part < 6; part++) {
            int at = part * 3;
            if (part > 0 && text.charAt(at - 1) != separator) {
                throw new IllegalArgumentException("not a MAC address: '" + text + "'");
            }
            int high = Character.digit(text.charAt(at), 16);
            int low = Character.digit(text.charAt(at + 1), 16);
            if (high < 0 || low < 0) {
                throw new IllegalArgumentException("not a MAC address: '" + text + "'");
            }
            bits = (bits << 8) | (high << 4) | low;
        }
        return new MacAddress(bits);
    }

    public static MacAddress fromBytes(byte[] b, int offset) {
        return new MacAddress(read(b, offset));
    }

    /** Reads six bytes as a 48-bit value (no allocation, for the data path). */
    public static long read(byte[] b, int offset) {
        long bits = 0;
        for (int i = 0; i < 6; i++) {
            bits = (bits << 8) | (b[offset + i] & 0xff);
        }
        return bits;
    }

    /** The Ethernet address a group is sent to: 01:00:5e plus the low 23 bits of the group (RFC 1112 §6.4). */
    public static MacAddress forGroup(Ip4 group) {
        if (!group.isMulticast()) {
            throw new IllegalArgumentException(group + " is not a multicast group");
        }
        return new MacAddress(IPV4_MULTICAST_BASE | (group.bits() & 0x7F_FFFF));
    }

    /** The Ethernet address an IPv6 group is sent to: 33:33 plus the low 32 bits of the group (RFC 2464 §7). */
    public static MacAddress forGroup(Ip6 group) {
        if (!group.isMulticast()) {
            throw new IllegalArgumentException(group + " is not a multicast group");
        }
        return new MacAddress(IPV6_MULTICAST_BASE | (group.low() & 0xFFFF_FFFFL));
    }

    /** The Ethernet address a group of either family is sent to. */
    public static MacAddress forGroup(IpAddress group) {
        return group instanceof Ip4 v4 ? forGroup(v4) : forGroup((Ip6) group);
    }

    public void writeTo(byte[] b, int offset) {
        for (int i = 0; i < 6; i++) {
            b[offset + i] = (byte) (bits >>> (40 - 8 * i));
        }
    }

    public byte[] toBytes() {
        byte[] b = new byte[6];
        writeTo(b, 0);
        return b;
    }

    /** The I/G bit: set for group (multicast and broadcast) addresses. */
    public boolean isMulticast() {
        return (bits & 0x0100_0000_0000L) != 0;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(17);
        for (int i = 0; i < 6; i++) {
            if (i > 0) {
                s.append(':');
            }
            int octet = (int) (bits >>> (40 - 8 * i)) & 0xff;
            s.append(Character.forDigit(octet >>> 4, 16)).append(Character.forDigit(octet & 0xf, 16));
        }
        return s.toString();
    }
}
