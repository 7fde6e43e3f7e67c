package dev.mcgate.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** RFC 1071 checksum and RFC 1624 incremental update. */
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
}
