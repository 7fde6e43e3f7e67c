package dev.mcgate.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class IpAddressTest {

    @Test
    void parsesEitherFamilyByItsTextForm() {
        assertInstanceOf(Ip4.class, IpAddress.parse("239.1.1.1"));
        assertInstanceOf(Ip6.class, IpAddress.parse("ff3e::1"));
        assertInstanceOf(Ip6.class, IpAddress.parse("::ffff:192.0.2.1"));
        assertThrows(IllegalArgumentException.class, () -> IpAddress.parse("239.1.1"));
        assertThrows(IllegalArgumentException.class, () -> IpAddress.parse("ff3e:::1"));
    }

    @Test
    void mixedFamiliesSortIpv4FirstThenByValue() {
        TreeSet<IpAddress> sorted = new TreeSet<>(List.of(
                IpAddress.parse("ff02::1"),
                IpAddress.parse("239.1.1.1"),
                IpAddress.parse("fe80::1"),
                IpAddress.parse("224.0.0.1")));
        assertEquals("[224.0.0.1, 239.1.1.1, fe80::1, ff02::1]", sorted.toString());
        assertTrue(Ip4.parse("255.255.255.255").compareTo(Ip6.UNSPECIFIED) < 0);
        assertTrue(Ip6.UNSPECIFIED.compareTo(Ip4.ANY) > 0);
    }

    @Test
    void linkLocalGroupsAreNeverForwardedInEitherFamily() {
        assertTrue(IpAddress.parse("224.0.0.251").isLinkLocalMulticast());
        assertFalse(IpAddress.parse("224.0.1.1").isLinkLocalMulticast());
        assertTrue(IpAddress.parse("ff01::1").isLinkLocalMulticast());
        assertTrue(IpAddress.parse("ff02::fb").isLinkLocalMulticast());
        assertTrue(IpAddress.parse("ff32::1").isLinkLocalMulticast());
        assertFalse(IpAddress.parse("ff05::1").isLinkLocalMulticast());
        assertFalse(IpAddress.parse("ff0e::1").isLinkLocalMulticast());
        // fe80::1 is link-local unicast, not a group.
        assertFalse(IpAddress.parse("fe80::1").isLinkLocalMulticast());
    }

    @Test
    void sourceSpecificRangesAre232SlashEightAndFf3xSlash32() {
        assertTrue(IpAddress.parse("232.1.2.3").isSourceSpecific());
        assertFalse(IpAddress.parse("233.1.2.3").isSourceSpecific());
        assertTrue(IpAddress.parse("ff3e::8000:1").isSourceSpecific());
        assertTrue(IpAddress.parse("ff35::1").isSourceSpecific());
        // ff3e:0:1::/48 has a non-zero prefix length field: unicast-prefix-based, not SSM.
        assertFalse(IpAddress.parse("ff3e:40:2001:db8::1").isSourceSpecific());
        assertFalse(IpAddress.parse("ff1e::1").isSourceSpecific());
        assertFalse(IpAddress.parse("ff2e::1").isSourceSpecific());
    }

    @Test
    void familiesNameTheirProtocolAndLength() {
        assertEquals("MLD", Ip6.ALL_NODES.family().membershipProtocol());
        assertEquals(32, Ip4.ALL_SYSTEMS.family().bits());
        assertEquals(16, IpAddress.parse("ff3e::1").toBytes().length);
    }
}
