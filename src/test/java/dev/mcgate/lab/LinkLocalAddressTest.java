package dev.mcgate.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mcgate.net.Ip6;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LinkLocalAddressTest {

    // Lines as iproute2 6.x prints them for 'ip -6 -o addr show dev up0'.
    private static final String GLOBAL =
            "3: up0    inet6 fd00:0:2::1/64 scope global nodad \\       valid_lft forever preferred_lft forever\n";
    private static final String LINK_LOCAL =
            "3: up0    inet6 fe80::3814:d9ff:fe83:5137/64 scope link \\       valid_lft forever preferred_lft forever\n";

    @Test
    void theLinkLocalAddressIsFoundAmongTheOthers() {
        assertEquals(Optional.of(Ip6.parse("fe80::3814:d9ff:fe83:5137")), LinkLocalAddress.usable(GLOBAL + LINK_LOCAL));
    }

    @Test
    void aTentativeOrFailedAddressIsNotUsableYet() {
        assertEquals(
                Optional.empty(), LinkLocalAddress.usable(LINK_LOCAL.replace("scope link", "scope link tentative")));
        assertEquals(
                Optional.empty(), LinkLocalAddress.usable(LINK_LOCAL.replace("scope link", "scope link dadfailed")));
    }

    @Test
    void noLinkLocalAddressMeansEmpty() {
        assertEquals(Optional.empty(), LinkLocalAddress.usable(""));
        assertEquals(Optional.empty(), LinkLocalAddress.usable(GLOBAL));
    }
}
