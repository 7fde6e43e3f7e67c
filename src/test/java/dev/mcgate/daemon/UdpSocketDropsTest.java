package dev.mcgate.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mcgate.net.Ip4;
import java.nio.ByteOrder;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The drops column of /proc/net/udp, found by the socket's local address and port as the kernel prints them. */
class UdpSocketDropsTest {

    /** As a little-endian kernel printed it: 10.9.0.1:51820 with 17 drops, 127.0.0.53:53, and *:5353. */
    private static final List<String> PROC = List.of(
            "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref "
                    + "pointer drops",
            "  310: 3500007F:0035 00000000:0000 07 00000000:00000000 00:00000000 00000000   102        0 18243 2 "
                    + "0000000000000000 0",
            "  712: 0100090A:CA6C 0200090A:CA6C 01 00000000:00000000 00:00000000 00000000     0        0 99121 2 "
                    + "0000000000000000 17",
            " 1024: 00000000:14E9 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 99200 2 "
                    + "0000000000000000 3");

    @Test
    void findsTheSocketByItsLocalAddressAndPort() {
        assertEquals(
                OptionalLong.of(17), UdpSocketDrops.parse(PROC, Ip4.parse("10.9.0.1"), 51820, ByteOrder.LITTLE_ENDIAN));
        assertEquals(
                OptionalLong.of(0), UdpSocketDrops.parse(PROC, Ip4.parse("127.0.0.53"), 53, ByteOrder.LITTLE_ENDIAN));
        assertEquals(
                OptionalLong.of(3),
                UdpSocketDrops.parse(PROC, Ip4.parse("0.0.0.0"), 5353, ByteOrder.LITTLE_ENDIAN),
                "bound to the wildcard address");
    }

    @Test
    void anotherPortOrAddressIsNotIt() {
        assertEquals(
                OptionalLong.empty(),
                UdpSocketDrops.parse(PROC, Ip4.parse("10.9.0.1"), 51821, ByteOrder.LITTLE_ENDIAN));
        assertEquals(
                OptionalLong.empty(),
                UdpSocketDrops.parse(PROC, Ip4.parse("10.9.0.2"), 51820, ByteOrder.LITTLE_ENDIAN));
        assertEquals(
                OptionalLong.empty(),
                UdpSocketDrops.parse(PROC, Ip4.parse("10.9.0.1"), 51820, ByteOrder.BIG_ENDIAN),
                "a big-endian kernel prints 0A090001");
    }
}
