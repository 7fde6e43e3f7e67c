package dev.mcgate.relay.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mcgate.net.Ip4;
import dev.mcgate.net.IpAddress;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The record key's layout (golden bytes), its round trip in both families, and keys that are not flows. */
class RelayFlowTest {

    @Test
    void anIpv4KeyIsElevenOctetsGroupThenSourceThenPort() {
        RelayFlow f = new RelayFlow(Ip4.parse("10.1.0.5"), Ip4.parse("239.1.2.3"), 5001);
        assertEquals("04" + "ef010203" + "0a010005" + "1389", HexFormat.of().formatHex(f.toKey()));
    }

    @Test
    void keysOfBothFamiliesReadBack() {
        for (RelayFlow f : new RelayFlow[] {
            new RelayFlow(Ip4.parse("192.0.2.7"), Ip4.parse("232.1.1.1"), 65535),
            new RelayFlow(IpAddress.parse("2001:db8::7"), IpAddress.parse("ff3e::8000:1"), 0),
        }) {
            byte[] key = f.toKey();
            assertEquals(f, RelayFlow.fromKey(key));
            assertEquals(f.source().toBytes().length * 2 + 3, key.length);
        }
    }

    @Test
    void everyTruncatedOrOverlongKeyIsRefused() {
        byte[] key = new RelayFlow(IpAddress.parse("2001:db8::7"), IpAddress.parse("ff3e::1"), 9).toKey();
        for (int n = 0; n < key.length; n++) {
            byte[] prefix = Arrays.copyOf(key, n);
            assertThrows(IllegalArgumentException.class, () -> RelayFlow.fromKey(prefix), "length " + n);
        }
        assertThrows(IllegalArgumentException.class, () -> RelayFlow.fromKey(Arrays.copyOf(key, key.length + 1)));
        assertThrows(IllegalArgumentException.class, () -> RelayFlow.fromKey(null));
    }

    @Test
    void anUnknownVersionOrAUnicastGroupIsRefused() {
        byte[] key = new RelayFlow(Ip4.parse("10.1.0.5"), Ip4.parse("239.1.2.3"), 5001).toKey();
        key[0] = 5;
        assertThrows(IllegalArgumentException.class, () -> RelayFlow.fromKey(key));
        byte[] unicast = new RelayFlow(Ip4.parse("10.1.0.5"), Ip4.parse("10.1.2.3"), 5001).toKey();
        assertThrows(IllegalArgumentException.class, () -> RelayFlow.fromKey(unicast));
    }

    @Test
    void headerValuesReadBack() {
        for (long v : new long[] {0, 1, -1, Long.MIN_VALUE, 1_733_500_000_123_456_789L}) {
            assertEquals(v, RelayHeaders.readLong(RelayHeaders.longValue(v)));
        }
        assertArrayEquals(new byte[] {0x13, (byte) 0x89}, RelayHeaders.port(5001));
        assertEquals(5001, RelayHeaders.readPort(RelayHeaders.port(5001)));
        assertEquals(
                Ip4.parse("10.9.8.7"),
                RelayHeaders.readAddress(Ip4.parse("10.9.8.7").toBytes()));
        assertThrows(IllegalArgumentException.class, () -> RelayHeaders.readLong(new byte[7]));
        assertThrows(IllegalArgumentException.class, () -> RelayHeaders.readAddress(new byte[5]));
    }
}
