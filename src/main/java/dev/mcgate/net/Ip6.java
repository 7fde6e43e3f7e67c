package dev.mcgate.net;

/**
 * An IPv6 address held as two longs (high and low 64 bits), so that it can be read from and written to a frame without
 * allocating arrays; compares unsigned, so that MLD querier election (lowest address wins, RFC 9777 §7.6.2) is a plain
 * compareTo.
 */
public record Ip6(long high, long low) implements IpAddress {

    /** The unspecified address {@code ::}, the source of reports sent before DAD completes (RFC 9777 §5.2.13). */
    public static final Ip6 UNSPECIFIED = new Ip6(0, 0);
    /** All nodes on the link, where general queries go (RFC 9777 §5.1.15). */
    public static final Ip6 ALL_NODES = new Ip6(0xff02_0000_0000_0000L, 1);
    /** All routers on the link, where MLDv1 Done messages go (RFC 2710 §5). */
    public static final Ip6 ALL_ROUTERS = new Ip6(0xff02_0000_0000_0000L, 2);
    /** All MLDv2-capable routers, where MLDv2 reports go (RFC 9777 §5.2.14). */
    public static final Ip6 ALL_MLDV2_ROUTERS = new Ip6(0xff02_0000_0000_0000L, 0x16);

    public static Ip6 fromBytes(byte[] b, int offset) {
        return new Ip6(readLong(b, offset), readLong(b, offset + 8));
    }

    /** Reads eight octets big-endian (no allocation, for the data path). */
    public static long readLong(byte[] b, int offset) {
        long bits = 0;
        for (int i = 0; i < 8; i++) {
            bits = (bits << 8) | (b[offset + i] & 0xff);
        }
        return bits;
    }

    public void writeTo(byte[] b, int offset) {
        for (int i = 0; i < 8; i++) {
            b[offset + i] = (byte) (high >>> (56 - 8 * i));
            b[offset + 8 + i] = (byte) (low >>> (56 - 8 * i));
        }
    }

    @Override
    public byte[] toBytes() {
        byte[] b = new byte[16];
        writeTo(b, 0);
        return b;
    }

    /** The eight 16-bit groups, group 0 first. */
    public int group16(int index) {
        long half = index < 4 ? high : low;
        return (int) (half >>> (48 - 16 * (index & 3))) & 0xffff;
    }

    /**
     * Parses the text forms of RFC 4291 §2.2: eight hex groups, one {@code ::} for a run of zero groups, and an
     * embedded dotted-quad IPv4 address as the last 32 bits. No zone ({@code %eth0}) and no prefix length.
     */
    public static Ip6 parse(String text) {
        int elision = text.indexOf("::");
        if (elision >= 0 && text.indexOf("::", elision + 1) >= 0) {
            throw invalid(text);
        }
        // A dotted quad is only ever the last 32 bits: at the end of the tail, or of the whole text without "::".
        int[] head = elision < 0 ? groups(text, text, true) : groups(text.substring(0, elision), text, false);
        int[] tail = elision < 0 ? new int[0] : groups(text.substring(elision + 2), text, true);
        int count = head.length + tail.length;
        if (elision < 0 ? count != 8 : count > 7) {
            throw invalid(text);
        }
        int[] all = new int[8];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(tail, 0, all, 8 - tail.length, tail.length);
        long high = 0;
        long low = 0;
        for (int i = 0; i < 4; i++) {
            high = (high << 16) | all[i];
            low = (low << 16) | all[i + 4];
        }
        return new Ip6(high, low);
    }

    /** The 16-bit groups of a part of the text between the colons; a trailing dotted quad counts as two groups. */
    private static int[] groups(String part, String text, boolean quadAllowed) {
        if (part.isEmpty()) {
            return new int[0];
        }
        String[] fields = part.split(":", -1);
        boolean quad = fields[fields.length - 1].indexOf('.') >= 0;
        if (quad && !quadAllowed) {
            throw invalid(text);
        }
        int[] groups = new int[fields.length + (quad ? 1 : 0)];
        for (int i = 0; i < fields.length; i++) {
            String field = fields[i];
            if (quad && i == fields.length - 1) {
                int v4;
                try {
                    v4 = Ip4.parse(field).bits();
                } catch (IllegalArgumentException e) {
                    throw invalid(text);
                }
                groups[i] = v4 >>> 16;
                groups[i + 1] = v4 & 0xffff;
                continue;
            }
            if (field.isEmpty() || field.length() > 4) {
                throw invalid(text);
            }
            int value = 0;
            for (int c = 0; c < field.length(); c++) {
                char ch = field.charAt(c);
                // ASCII only: Character.digit would also take other scripts' digits and full-width letters.
                int digit = ch < 0x80 ? Character.digit(ch, 16) : -1;
                if (digit < 0) {
                    throw invalid(text);
                }
                value = (value << 4) | digit;
            }
            groups[i] = value;
        }
        return groups;
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("not an IPv6 address: '" + text + "'");
    }

    @Override
    public IpFamily family() {
        return IpFamily.IPV6;
    }

    /** ff00::/8. */
    @Override
    public boolean isMulticast() {
        return (high >>> 56) == 0xff;
    }

    /** fe80::/10, the unicast addresses MLD messages must come from (RFC 9777 §5.1.14, §5.2.13). */
    public boolean isLinkLocalUnicast() {
        return (high >>> 54) == (0xfe80L >>> 6);
    }

    @Override
    public boolean isUnspecified() {
        return high == 0 && low == 0;
    }

    /** The 4-bit scope of a multicast address (RFC 4291 §2.7): 1 interface-local, 2 link-local, 5 site, 8 organization, 14 global. */
    public int multicastScope() {
        if (!isMulticast()) {
            throw new IllegalStateException(this + " is not multicast");
        }
        return (int) (high >>> 48) & 0xf;
    }

    /** Interface-local (ff01::/16) or link-local (ff02::/16) scope, and the reserved scopes 0 below them. */
    @Override
    public boolean isLinkLocalMulticast() {
        return isMulticast() && multicastScope() <= 2;
    }

    /** ff3x::/32 (RFC 4607 §1, RFC 3306 §6): prefix-based with plen 0 and prefix 0. */
    @Override
    public boolean isSourceSpecific() {
        // ff, flags 3 (P and T set), any scope, then 16 zero bits (reserved and plen 0).
        return (high >>> 52) == 0xff3 && ((high >>> 32) & 0xffff) == 0;
    }

    @Override
    public int compareTo(IpAddress other) {
        if (!(other instanceof Ip6 o)) {
            return IpAddress.compareFamilies(this, other);
        }
        int c = Long.compareUnsigned(high, o.high);
        return c != 0 ? c : Long.compareUnsigned(low, o.low);
    }

    /** RFC 5952 §4: lower-case hex, no leading zeros, the longest run of two or more zero groups (the first if tied) as {@code ::}. */
    @Override
    public String toString() {
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (group16(i) != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && group16(j) == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder out = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(group16(i)));
        }
        return out.toString();
    }
}
