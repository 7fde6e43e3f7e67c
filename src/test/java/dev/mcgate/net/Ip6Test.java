package dev.mcgate.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** IPv6 addresses: text forms both ways (RFC 4291 §2.2, RFC 5952 §4), octets, order and the classes MLD cares about. */
class Ip6Test {

    @ParameterizedTest
    @CsvSource({
        "::, ::",
        "::1, ::1",
        "ff02::16, ff02::16",
        "FF02:0:0:0:0:0:0:16, ff02::16",
        "fe80::ff:fe00:2, fe80::ff:fe00:2",
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
        "2001:0db8:0000:0000:0000:0000:0002:0001, 2001:db8::2:1",
        "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
        "1:0:0:2:0:0:0:3, 1:0:0:2::3",
        "64:ff9b::10.1.2.3, 64:ff9b::a01:203",
        "1:2:3:4:5:6:7::, 1:2:3:4:5:6:7:0"
    })
    void parsesAndPrintsTheCanonicalForm(String text, String canonical) throws Exception {
        Ip6 address = Ip6.parse(text);
        assertEquals(canonical, address.toString());
        // The JDK's parser as an independent reference for the octets.
        assertArrayEquals(InetAddress.getByName(text).getAddress(), address.toBytes());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"", ":", ":::", "1::2::3", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "12345::", "g::", "::1.2.3"})
    void rejectsWhatIsNoAddress(String text) {
        assertThrows(IllegalArgumentException.class, () -> Ip6.parse(text));
    }

    @Test
    void randomAddressesSurviveBytesAndText() throws Exception {
        Random random = new Random(6);
        for (int i = 0; i < 10_000; i++) {
            // Mostly zero groups, so that runs of zeros of every length and position come up.
            byte[] b = new byte[16];
            for (int g = 0; g < 8; g++) {
                if (random.nextInt(3) == 0) {
                    b[2 * g] = (byte) random.nextInt(256);
                    b[2 * g + 1] = (byte) random.nextInt(256);
                }
            }
            Ip6 address = Ip6.fromBytes(b, 0);
            assertArrayEquals(b, address.toBytes());
            assertEquals(address, Ip6.parse(address.toString()));
            assertArrayEquals(b, InetAddress.getByName(address.toString()).getAddress());
        }
    }

    @Test
    void ordersUnsignedByOctets() {
        assertTrue(Ip6.parse("fe80::1").compareTo(Ip6.parse("fe80::2")) < 0);
        assertTrue(Ip6.parse("fe80::ffff:0:0:0").compareTo(Ip6.parse("fe80::1:0:0:0:1")) < 0);
        assertTrue(Ip6.parse("7fff::").compareTo(Ip6.parse("8000::")) < 0, "the sign bit is just a bit");
        assertTrue(Ip6.parse("::ffff:ffff:ffff:ffff").compareTo(Ip6.parse("0:0:0:1::")) < 0);
        assertEquals(0, Ip6.parse("ff02::16").compareTo(Ip6.ALL_MLDV2_ROUTERS));
    }

    @Test
    void classes() {
        assertTrue(Ip6.parse("ff3e::8000:1").isMulticast());
        assertEquals(0xe, Ip6.parse("ff3e::8000:1").multicastScope());
        assertEquals(2, Ip6.ALL_NODES.multicastScope());
        assertFalse(Ip6.parse("fe80::1").isMulticast());
        assertTrue(Ip6.parse("fe80::1").isLinkLocalUnicast());
        assertTrue(Ip6.parse("febf:ffff::1").isLinkLocalUnicast());
        assertFalse(Ip6.parse("fec0::1").isLinkLocalUnicast());
        assertFalse(Ip6.parse("fe7f::1").isLinkLocalUnicast());
        assertTrue(Ip6.UNSPECIFIED.isUnspecified());
        assertFalse(Ip6.parse("::1").isUnspecified());
        assertThrows(IllegalStateException.class, () -> Ip6.parse("fe80::1").multicastScope());
    }
}
