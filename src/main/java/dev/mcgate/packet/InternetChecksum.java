package dev.mcgate.packet;

/**
 * The Internet checksum (RFC 1071) and its incremental update (RFC 1624), used by IPv4 headers, IGMP and (over the IPv6
 * pseudo-header, RFC 8200 §8.1) ICMPv6.
 */
public final class InternetChecksum {

    private InternetChecksum() {}

    /** The one's complement of the one's complement sum of the 16-bit words in the range (an odd last byte is padded with zero). */
    public static int compute(byte[] b, int offset, int length) {
        return compute(0, b, offset, length);
    }

    /** True if the range, checksum field included, sums to 0xffff (RFC 1071 §1 "(3)" verification). */
    public static boolean verify(byte[] b, int offset, int length) {
        return verify(0, b, offset, length);
    }

    /** Writes the checksum of the range into the 16-bit field at {@code fieldOffset}, which is zeroed first. */
    public static void fill(byte[] b, int offset, int length, int fieldOffset) {
        fill(0, b, offset, length, fieldOffset);
    }

    /**
     * The sum of the IPv6 pseudo-header (RFC 8200 §8.1): source, destination, the upper-layer packet length and the next
     * header value, to be passed as {@code initialSum} to the checksum of the upper-layer packet.
     */
    public static long ipv6PseudoHeaderSum(
            long sourceHigh,
            long sourceLow,
            long destinationHigh,
            long destinationLow,
            int upperLayerLength,
            int nextHeader) {
        return words(sourceHigh)
                + words(sourceLow)
                + words(destinationHigh)
                + words(destinationLow)
                + (upperLayerLength >>> 16)
                + (upperLayerLength & 0xffff)
                + (nextHeader & 0xff);
    }

    /** The checksum of the range with {@code initialSum} (a pseudo-header's words) added in. */
    public static int compute(long initialSum, byte[] b, int offset, int length) {
        return ~fold(initialSum + sum(b, offset, length)) & 0xffff;
    }

    public static boolean verify(long initialSum, byte[] b, int offset, int length) {
        return fold(initialSum + sum(b, offset, length)) == 0xffff;
    }

    public static void fill(long initialSum, byte[] b, int offset, int length, int fieldOffset) {
        b[fieldOffset] = 0;
        b[fieldOffset + 1] = 0;
        int checksum = compute(initialSum, b, offset, length);
        b[fieldOffset] = (byte) (checksum >>> 8);
        b[fieldOffset + 1] = (byte) checksum;
    }

    /** The four 16-bit words of a long, added. */
    private static long words(long bits) {
        return (bits >>> 48) + ((bits >>> 32) & 0xffff) + ((bits >>> 16) & 0xffff) + (bits & 0xffff);
    }

    /**
     * RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m'), the new checksum after one 16-bit word changes from m to m'.
     * Unlike eqn. 2 it never yields 0x0000 for a header whose sum is not zero (RFC 1624 §3).
     */
    public static int update(int oldChecksum, int oldWord, int newWord) {
        int sum = (~oldChecksum & 0xffff) + (~oldWord & 0xffff) + (newWord & 0xffff);
        return ~fold(sum) & 0xffff;
    }

    private static long sum(byte[] b, int offset, int length) {
        // A long, because an IPv6 payload of 65535 octets plus its pseudo-header can overflow an int.
        long sum = 0;
        int end = offset + (length & ~1);
        for (int i = offset; i < end; i += 2) {
            sum += ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
        }
        if ((length & 1) != 0) {
            sum += (b[offset + length - 1] & 0xff) << 8;
        }
        return sum;
    }

    /** Adds the carries back in (end-around carry) until the sum fits 16 bits. */
    private static int fold(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) sum;
    }
}
