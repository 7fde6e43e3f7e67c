package dev.mcgate.io.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mcgate.net.Ip6;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The kernel's if_inet6 table read for tentative addresses: DAD under way or failed, optimistic ones usable. */
class Inet6AddressFlagsTest {

    @Test
    void tentativeAndFailedAddressesAreListedByInterfaceIndexPermanentAndOptimisticOnesAreNot() {
        String table = String.join(
                "\n",
                // permanent, DAD done (0x80), and with nodad (0x82): usable
                "fd000000000000000000000000000002 04 40 00 82     eth0",
                "fe8000000000000000fc00fffe000001 04 40 20 80     eth0",
                // tentative (0x40 | permanent): DAD under way on down1 (index 0x1a)
                "fe800000000000000000000000000001 1a 40 20 c0    down1",
                // DAD failed (0x08): never usable
                "fe800000000000000000000000000bad 1a 40 20 88    down1",
                // optimistic (0x44): tentative but usable (RFC 4429)
                "fe800000000000000000000000000002 1b 40 20 44    down2",
                "",
                "not a line of the table",
                "00000000000000000000000000000001 01 80 10 80       lo");
        assertEquals(
                Set.of(
                        new Inet6AddressFlags.Key(0x1a, Ip6.parse("fe80::1")),
                        new Inet6AddressFlags.Key(0x1a, Ip6.parse("fe80::bad"))),
                Inet6AddressFlags.tentative(table));
    }

    @Test
    void aTableThatCannotBeReadMakesEveryAddressUsable() {
        assertEquals(Set.of(), Inet6AddressFlags.tentative("garbage\n1 2 3\n"));
    }
}
