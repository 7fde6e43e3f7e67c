package dev.mcgate.packet;

/**
 * The Internet checksum (RFC 1071) and its incremental update (RFC 1624), used by IPv4 headers and IGMP.
 */
public final class InternetChecksum {

    private InternetChecksum() {}

    /** The one's complement of the one's complement sum of the 16-bit words in the range (an odd last byte is padded with zero). */
    public static int compute(byte[] b, int offset, int length) {
        return ~fold(sum(b, offset, length)) & 0xffff;
    }

    /** True if the range, checksum field included, sums to 0xffff (RFC 1071 §1 "(3)" verification). */
    public static boolean verify(byte[] b, int offset, int length) {
        return fold(sum(b, offset, length)) == 0xffff;
    }

    /** Writes the checksum of the range into the 16-bit field at {@code fieldOffset}, which is zeroed first. */
    public static void fill(byte[] b, int offset, int length, int fieldOffset) {
        b[fieldOffset] = 0;
        b[fieldOffset + 1] = 0;
        int checksum = compute(b, offset, length);
        b[fieldOffset] = (byte) (checksum >>> 8);
        b[fieldOffset + 1] = (byte) checksum;
    }

    /**
     * RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m'), the new checksum after one 16-bit word changes from m to m'.
     * Unlike eqn. 2 it never yields 0x0000 for a header whose sum is not zero (RFC 1624 §3).
     */
    public static int update(int oldChecksum, int oldWord, int newWord) {
        int sum = (~oldChecksum & 0xffff) + (~oldWord & 0xffff) + (newWord & 0xffff);
        return ~fold(sum) & 0xffff;
    }

    private static int sum(byte[] b, int offset, int length) {
        // An int cannot overflow here: 65535 words of 0xffff would be needed and IPv4 packets are shorter.
        int sum = 0;
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
    private static int fold(int sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return sum;
    }
}
