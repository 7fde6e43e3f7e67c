package dev.mcgate.forward;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.config.PrefixFilter;
import dev.mcgate.net.Ip4;
import dev.mcgate.net.IpPrefix;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The IPv4 forwarding path's compiled filter reads only the IPv4 part of a configuration's mixed prefix lists. */
class AddressFilterTest {

    private static PrefixFilter filter(List<String> allow, List<String> deny) {
        return new PrefixFilter(
                allow.stream().map(IpPrefix::parse).toList(),
                deny.stream().map(IpPrefix::parse).toList());
    }

    @Test
    void anIpv6AnySourceDoesNotOpenTheIpv4Filter() {
        AddressFilter f = new AddressFilter(filter(List.of("::/0", "10.0.0.0/8"), List.of()));
        assertFalse(f.permitsAll(), "::/0 says nothing about IPv4 sources");
        assertTrue(f.permits(Ip4.parse("10.1.2.3").bits()));
        assertFalse(f.permits(Ip4.parse("192.0.2.1").bits()));
    }

    @Test
    void theDefaultsFilterNothingAndIpv6DenyPrefixesDoNotChangeThat() {
        assertTrue(new AddressFilter(PrefixFilter.ALL_SOURCES).permitsAll());
        AddressFilter f = new AddressFilter(filter(List.of("0.0.0.0/0", "::/0"), List.of("2001:db8::/32")));
        assertTrue(f.permitsAll(), "an IPv6 deny prefix holds no IPv4 address");
    }
}
