package dev.mcgate.net;

/**
 * An IPv4 address held as an int; compares unsigned so that querier election (lowest address wins) is a plain compareTo.
 */
public record Ip4(int bits) implements IpAddress {

    public static final Ip4 ANY = new Ip4(0);
    /** All Systems, where general queries go (RFC 3376 §4.1.12). */
    public static final Ip4 ALL_SYSTEMS = new Ip4(0xE0000001);
    /** All Routers, where IGMPv2 leaves go (RFC 2236 §3). */
    public static final Ip4 ALL_ROUTERS = new Ip4(0xE0000002);
    /** All IGMPv3-capable multicast routers, where v3 reports go (RFC 3376 §4.2.14). */
    public static final Ip4 ALL_IGMPV3_ROUTERS = new Ip4(0xE0000016);

    public static Ip4 of(int a, int b, int c, int d) {
        return new Ip4(((a & 0xff) << 24) | ((b & 0xff) << 16) | ((c & 0xff) << 8) | (d & 0xff));
    }

    /** Parses dotted-quad notation strictly: four decimal parts 0-255, no leading '+', no empty parts. */
    public static Ip4 parse(String text) {
        int bits = 0;
        int parts = 0;
        int value = -1;
        int digits = 0;
        for (int i = 0; i <= text.length(); i++) {
            char c = i < text.length() ? text.charAt(i) : '.';
            if (c == '.') {
                if (digits == 0 || parts == 4) {
                    throw new IllegalArgumentException("not an IPv4 address: '" + text + "'");
                }
                bits = (bits << 8) | value;
                parts++;
                value = -1;
                digits = 0;
            } else if (c >= '0' && c <= '9') {
                value = (value < 0 ? 0 : value * 10) + (c - '0');
                digits++;
                if (value > 255 || digits > 3) {
                    throw new IllegalArgumentException("not an IPv4 address: '" + text + "'");
                }
            } else {
                throw new IllegalArgumentException("not an IPv4 address: '" + text + "'");
            }
        }
        if (parts != 4) {
            throw new IllegalArgumentException("not an IPv4 address: '" + text + "'");
        }
        return new Ip4(bits);
    }

    public static Ip4 fromBytes(byte[] b, int offset) {
        return new Ip4(((b[offset] & 0xff) << 24)
                | ((b[offset + 1] & 0xff) << 16)
                | ((b[offset + 2] & 0xff) << 8)
                | (b[offset + 3] & 0xff));
    }

    @Override
    public byte[] toBytes() {
        return new byte[] {(byte) (bits >>> 24), (byte) (bits >>> 16), (byte) (bits >>> 8), (byte) bits};
    }

    @Override
    public IpFamily family() {
        return IpFamily.IPV4;
    }

    @Override
    public boolean isUnspecified() {
        return bits == 0;
    }

    /** 224.0.0.0/4. */
    @Override
    public boolean isMulticast() {
        return (bits >>> 28) == 0xE;
    }

    /** 224.0.0.0/24: link-local control groups, never forwarded or joined upstream. */
    @Override
    public boolean isLinkLocalMulticast() {
        return (bits >>> 8) == 0xE00000;
    }

    /** 239.0.0.0/8: administratively scoped (RFC 2365). */
    public boolean isAdminScoped() {
        return (bits >>> 24) == 239;
    }

    /** 232.0.0.0/8: source-specific multicast (RFC 4607), where no EXCLUDE-mode join is allowed. */
    @Override
    public boolean isSourceSpecific() {
        return (bits >>> 24) == 232;
    }

    @Override
    public int compareTo(IpAddress other) {
        return other instanceof Ip4 o ? Integer.compareUnsigned(bits, o.bits) : IpAddress.compareFamilies(this, other);
    }

    @Override
    public String toString() {
        return (bits >>> 24) + "." + ((bits >>> 16) & 0xff) + "." + ((bits >>> 8) & 0xff) + "." + (bits & 0xff);
    }
}
