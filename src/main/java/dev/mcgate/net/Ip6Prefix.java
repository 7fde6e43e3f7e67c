package dev.mcgate.net;

/** An IPv6 prefix (address/length) with no host bits set; {@link #parse} rejects a prefix whose host bits are set. */
public record Ip6Prefix(Ip6 address, int length) implements IpPrefix {

    /** ff00::/8, every IPv6 group. */
    public static final Ip6Prefix MULTICAST = new Ip6Prefix(new Ip6(0xff00_0000_0000_0000L, 0), 8);

    public Ip6Prefix {
        if (length < 0 || length > 128) {
            throw new IllegalArgumentException("prefix length " + length + " is not in 0..128");
        }
        Ip6 network = network(address, length);
        if (!network.equals(address)) {
            throw new IllegalArgumentException(
                    address + "/" + length + " has host bits set (did you mean " + network + "/" + length + "?)");
        }
    }

    /** "address/n", or a bare address meaning /128. */
    public static Ip6Prefix parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            return new Ip6Prefix(Ip6.parse(text), 128);
        }
        String len = text.substring(slash + 1);
        if (len.isEmpty() || len.length() > 3 || !len.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("bad prefix length in '" + text + "'");
        }
        return new Ip6Prefix(Ip6.parse(text.substring(0, slash)), Integer.parseInt(len));
    }

    /** The prefix of the given length holding {@code address}, host bits cleared. */
    public static Ip6Prefix containing(Ip6 address, int length) {
        return new Ip6Prefix(network(address, length), length);
    }

    @Override
    public boolean contains(IpAddress other) {
        return other instanceof Ip6 ip && network(ip, length).equals(address);
    }

    private static Ip6 network(Ip6 a, int length) {
        return new Ip6(a.high() & mask(length), a.low() & mask(length - 64));
    }

    /** The top {@code bits} bits of a 64-bit half set (0 or fewer: none; 64 or more: all). */
    private static long mask(int bits) {
        return bits <= 0 ? 0 : bits >= 64 ? -1L : -1L << (64 - bits);
    }

    @Override
    public String toString() {
        return address + "/" + length;
    }
}
