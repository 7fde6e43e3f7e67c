package dev.mcgate.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** MAC parsing and formatting, and the RFC 1112 §6.4 group-to-MAC mapping. */
class MacAddressTest {

    @ParameterizedTest
    @CsvSource({
        // RFC 1112 §6.4 and the classic examples: the 25th bit of the group is lost.
        "224.0.0.1, 01:00:5e:00:00:01",
        "224.0.0.22, 01:00:5e:00:00:16",
        "239.1.2.3, 01:00:5e:01:02:03",
        "239.129.2.3, 01:00:5e:01:02:03",
        "232.255.255.255, 01:00:5e:7f:ff:ff",
        "225.128.0.0, 01:00:5e:00:00:00"
    })
    void mapsAGroupToItsEthernetAddress(String group, String mac) {
        assertEquals(mac, MacAddress.forGroup(Ip4.parse(group)).toString());
    }

    @Test
    void groupMacKeepsTheLow23BitsAndThePrefix() {
        Random random = new Random(7);
        for (int i = 0; i < 10_000; i++) {
            Ip4 group = new Ip4(0xE000_0000 | (random.nextInt() & 0x0FFF_FFFF));
            byte[] mac = MacAddress.forGroup(group).toBytes();
            byte[] ip = group.toBytes();
            assertEquals(0x01, mac[0]);
            assertEquals(0x00, mac[1]);
            assertEquals(0x5e, mac[2]);
            assertEquals(ip[1] & 0x7f, mac[3]);
            assertEquals(ip[2], mac[4]);
            assertEquals(ip[3], mac[5]);
        }
    }

    @Test
    void refusesAUnicastGroup() {
        assertThrows(IllegalArgumentException.class, () -> MacAddress.forGroup(Ip4.parse("10.0.0.1")));
    }

    @Test
    void parsesAndFormatsEveryOctet() {
        Random random = new Random(11);
        for (int i = 0; i < 1000; i++) {
            byte[] octets = new byte[6];
            random.nextBytes(octets);
            StringBuilder text = new StringBuilder();
            for (byte octet : octets) {
                text.append(text.length() == 0 ? "" : ":").append(String.format("%02x", octet & 0xff));
            }
            MacAddress mac = MacAddress.parse(text.toString());
            assertArrayEquals(octets, mac.toBytes());
            assertEquals(text.toString(), mac.toString());
            assertEquals(mac, MacAddress.fromBytes(octets, 0));
            assertEquals(mac, MacAddress.parse(text.toString().toUpperCase().replace(':', '-')));
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "01:00:5e:00:00",
                "01:00:5e:00:00:0g",
                "01:00:5e:00:00:001",
                "01-00:5e:00:00:01",
                "0100.5e00.0001",
                "01:00:5e:00:00:-1"
            })
    void rejectsMalformedText(String text) {
        assertThrows(IllegalArgumentException.class, () -> MacAddress.parse(text));
    }

    @Test
    void writesIntoAFrameAtAnOffset() {
        byte[] frame = new byte[20];
        MacAddress.parse("02:11:22:33:44:55").writeTo(frame, 6);
        assertEquals(0, frame[5]);
        assertEquals(0x02, frame[6]);
        assertEquals(0x55, frame[11]);
        assertEquals(0, frame[12]);
        assertEquals(0x0211_2233_4455L, MacAddress.read(frame, 6));
    }

    @Test
    void knowsGroupAddresses() {
        assertTrue(MacAddress.forGroup(Ip4.ALL_SYSTEMS).isMulticast());
        assertTrue(MacAddress.BROADCAST.isMulticast());
        assertFalse(MacAddress.parse("02:00:00:00:00:01").isMulticast());
        assertThrows(IllegalArgumentException.class, () -> new MacAddress(1L << 48));
    }
}
