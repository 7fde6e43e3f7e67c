package dev.mcgate.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.net.Ip6;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** RFC 1071 checksum, RFC 1624 incremental update, and the IPv6 pseudo-header sum of RFC 8200 §8.1. */
class InternetChecksumTest {

    /** RFC 1071 §3: the words 0001 f203 f4f5 f6f7 sum to ddf2 (after the end-around carry), so the checksum is 220d. */
    @Test
    void rfc1071Example() {
        byte[] data = {0x00, 0x01, (byte) 0xf2, 0x03, (byte) 0xf4, (byte) 0xf5, (byte) 0xf6, (byte) 0xf7};
        assertEquals(0x220d, InternetChecksum.compute(data, 0, data.length));
        byte[] withChecksum = {
            0x00, 0x01, (byte) 0xf2, 0x03, (byte) 0xf4, (byte) 0xf5, (byte) 0xf6, (byte) 0xf7, 0x22, 0x0d
        };
        assertTrue(InternetChecksum.verify(withChecksum, 0, withChecksum.length));
        withChecksum[9] ^= 1;
        assertFalse(InternetChecksum.verify(withChecksum, 0, withChecksum.length));
    }

    @Test
    void oddLengthPadsWithZero() {
        byte[] odd = {0x12, 0x34, 0x56};
        byte[] padded = {0x12, 0x34, 0x56, 0x00};
        assertEquals(InternetChecksum.compute(padded, 0, 4), InternetChecksum.compute(odd, 0, 3));
        assertEquals(~(0x1234 + 0x5600) & 0xffff, InternetChecksum.compute(odd, 0, 3));
    }

    @Test
    void fillMakesTheRangeVerify() {
        Random random = new Random(5);
        for (int i = 0; i < 1000; i++) {
            byte[] data = new byte[2 + random.nextInt(200)];
            random.nextBytes(data);
            int field = random.nextInt(data.length / 2) * 2;
            InternetChecksum.fill(data, 0, data.length, field);
            assertTrue(InternetChecksum.verify(data, 0, data.length));
        }
    }

    /** RFC 1624 §4: eqn. 3 gives 0x0000 where a full recomputation does, and eqn. 2 would give 0xffff. */
    @Test
    void rfc1624Example() {
        assertEquals(0x0000, InternetChecksum.update(0xdd2f, 0x5555, 0x3285));
    }

    /** Eqn. 3 against a full recomputation, for every TTL on many random headers. */
    @Test
    void incrementalUpdateEqualsRecomputeForEveryTtl() {
        Random random = new Random(1624);
        for (int header = 0; header < 200; header++) {
            byte[] ip = new byte[20];
            random.nextBytes(ip);
            for (int ttl = 1; ttl <= 255; ttl++) {
                ip[8] = (byte) ttl;
                InternetChecksum.fill(ip, 0, 20, 10);
                int before = ((ip[10] & 0xff) << 8) | (ip[11] & 0xff);
                int oldWord = ((ip[8] & 0xff) << 8) | (ip[9] & 0xff);
                ip[8] = (byte) (ttl - 1);
                int newWord = ((ip[8] & 0xff) << 8) | (ip[9] & 0xff);
                int incremental = InternetChecksum.update(before, oldWord, newWord);
                ip[10] = 0;
                ip[11] = 0;
                assertEquals(InternetChecksum.compute(ip, 0, 20), incremental, "ttl " + ttl);
            }
        }
    }

    /** The RFC 8200 §8.1 pseudo-header written out as octets: source, destination, 32-bit length, 3 zeros, next header. */
    private static byte[] withPseudoHeader(Ip6 source, Ip6 destination, int nextHeader, byte[] upper) {
        byte[] b = new byte[40 + upper.length];
        source.writeTo(b, 0);
        destination.writeTo(b, 16);
        b[32] = (byte) (upper.length >>> 24);
        b[33] = (byte) (upper.length >>> 16);
        b[34] = (byte) (upper.length >>> 8);
        b[35] = (byte) upper.length;
        b[39] = (byte) nextHeader;
        System.arraycopy(upper, 0, b, 40, upper.length);
        return b;
    }

    private static int pseudoChecksum(Ip6 source, Ip6 destination, int nextHeader, byte[] upper) {
        long sum = InternetChecksum.ipv6PseudoHeaderSum(
                source.high(), source.low(), destination.high(), destination.low(), upper.length, nextHeader);
        return InternetChecksum.compute(sum, upper, 0, upper.length);
    }

    @Test
    void ipv6PseudoHeaderSumEqualsSummingThePseudoHeaderOctets() {
        Random random = new Random(8200);
        for (int i = 0; i < 2000; i++) {
            Ip6 source = new Ip6(random.nextLong(), random.nextLong());
            Ip6 destination = new Ip6(random.nextLong(), random.nextLong());
            byte[] upper = new byte[random.nextInt(200)];
            random.nextBytes(upper);
            int nextHeader = random.nextInt(256);
            byte[] whole = withPseudoHeader(source, destination, nextHeader, upper);
            assertEquals(
                    InternetChecksum.compute(whole, 0, whole.length),
                    pseudoChecksum(source, destination, nextHeader, upper));
        }
    }

    @Test
    void theLargestIpv6PayloadOfAllOnesDoesNotOverflow() {
        byte[] upper = new byte[65535];
        java.util.Arrays.fill(upper, (byte) 0xff);
        Ip6 ones = new Ip6(-1L, -1L);
        byte[] whole = withPseudoHeader(ones, ones, 0xff, upper);
        assertEquals(InternetChecksum.compute(whole, 0, whole.length), pseudoChecksum(ones, ones, 0xff, upper));
    }

    @Test
    void fillWithAPseudoHeaderVerifies() {
        Ip6 source = Ip6.parse("fe80::ff:fe00:2");
        Ip6 destination = Ip6.ALL_MLDV2_ROUTERS;
        byte[] message = new byte[36];
        new Random(58).nextBytes(message);
        long sum = InternetChecksum.ipv6PseudoHeaderSum(
                source.high(), source.low(), destination.high(), destination.low(), message.length, 58);
        InternetChecksum.fill(sum, message, 0, message.length, 2);
        assertTrue(InternetChecksum.verify(sum, message, 0, message.length));
        // The same octets under another destination do not verify: the addresses are covered.
        long other = InternetChecksum.ipv6PseudoHeaderSum(
                source.high(), source.low(), destination.high(), destination.low() ^ 1, message.length, 58);
        assertFalse(InternetChecksum.verify(other, message, 0, message.length));
    }
}
