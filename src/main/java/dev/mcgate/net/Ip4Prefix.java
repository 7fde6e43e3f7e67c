package dev.mcgate.net;

/**
 * An IPv4 prefix (address/length) with no host bits set; {@link #parse} rejects a prefix whose host bits are set.
 */
public record Ip4Prefix(Ip4 address, int length) implements IpPrefix {

    public Ip4Prefix {
        if (length < 0 || length > 32) {
            throw new IllegalArgumentException("prefix length " + length + " is not in 0..32");
        }
        if ((address.bits() & ~mask(length)) != 0) {
            throw new IllegalArgumentException(address + "/" + length + " has host bits set (did you mean "
                    + new Ip4(address.bits() & mask(length)) + "/" + length + "?)");
        }
    }

    public static final Ip4Prefix MULTICAST = new Ip4Prefix(Ip4.of(224, 0, 0, 0), 4);

    /** "a.b.c.d/n", or a bare address meaning /32. */
    public static Ip4Prefix parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            return new Ip4Prefix(Ip4.parse(text), 32);
        }
        String len = text.substring(slash + 1);
        if (len.isEmpty() || len.length() > 2 || !len.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("bad prefix length in '" + text + "'");
        }
        return new Ip4Prefix(Ip4.parse(text.substring(0, slash)), Integer.parseInt(len));
    }

    /** The prefix of the given length holding {@code address}, host bits cleared (for interface subnets). */
    public static Ip4Prefix containing(Ip4 address, int length) {
        return new Ip4Prefix(new Ip4(address.bits() & mask(length)), length);
    }

    public static int mask(int length) {
        return length == 0 ? 0 : -1 << (32 - length);
    }

    public boolean contains(Ip4 ip) {
        return (ip.bits() & mask(length)) == address.bits();
    }

    @Override
    public boolean contains(IpAddress ip) {
        return ip instanceof Ip4 v4 && contains(v4);
    }

    @Override
    public String toString() {
        return address + "/" + length;
    }
}
