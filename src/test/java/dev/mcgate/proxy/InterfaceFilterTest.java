package dev.mcgate.proxy;

import static dev.mcgate.host.TestValues.ex;
import static dev.mcgate.host.TestValues.in;
import static dev.mcgate.host.TestValues.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.config.PrefixFilter;
import dev.mcgate.host.SubscriptionGenerator;
import dev.mcgate.net.Ip4;
import dev.mcgate.net.Ip4Prefix;
import dev.mcgate.net.Ip6;
import dev.mcgate.net.IpFamily;
import dev.mcgate.net.IpPrefix;
import dev.mcgate.net.SourceSet;
import dev.mcgate.net.Subscription;
import java.util.List;
import org.junit.jupiter.api.Test;

class InterfaceFilterTest {

    private static PrefixFilter filter(List<String> allow, List<String> deny) {
        return new PrefixFilter(
                allow.stream().map(IpPrefix::parse).toList(),
                deny.stream().map(IpPrefix::parse).toList());
    }

    @Test
    void deniedGroupsScopedGroupsAndLinkLocalGroupsCountAsNone() {
        InterfaceFilter f = new InterfaceFilter(
                filter(List.of("224.0.0.0/4"), List.of("239.255.0.0/16")),
                List.of(Ip4Prefix.parse("239.192.0.0/14")),
                PrefixFilter.ALL_SOURCES);
        assertEquals(Subscription.NONE, f.apply(ip("239.255.1.1"), ex()));
        assertEquals(InterfaceFilter.Verdict.GROUP_DENIED, f.verdict(ip("239.255.1.1"), ex()));
        assertEquals(Subscription.NONE, f.apply(ip("239.192.0.1"), ex()));
        assertEquals(InterfaceFilter.Verdict.SCOPE_BOUNDARY, f.verdict(ip("239.192.0.1"), ex()));
        assertEquals(Subscription.NONE, InterfaceFilter.PERMIT_ALL.apply(ip("224.0.0.251"), ex()));
        assertEquals(InterfaceFilter.Verdict.LINK_LOCAL, f.verdict(ip("224.0.0.251"), ex()));
        assertEquals(ex("10.0.0.1"), f.apply(ip("239.1.1.1"), ex("10.0.0.1")));
    }

    @Test
    void ssmAcceptsIncludeOnly() {
        assertEquals(Subscription.NONE, InterfaceFilter.PERMIT_ALL.apply(ip("232.1.1.1"), ex("10.0.0.1")));
        assertEquals(InterfaceFilter.Verdict.SSM_EXCLUDE, InterfaceFilter.PERMIT_ALL.verdict(ip("232.1.1.1"), ex()));
        assertEquals(in("10.0.0.1"), InterfaceFilter.PERMIT_ALL.apply(ip("232.1.1.1"), in("10.0.0.1")));
    }

    @Test
    void deniedSourcesAreRemovedFromIncludeAndAddedToExclude() {
        InterfaceFilter f = new InterfaceFilter(
                PrefixFilter.ALL_GROUPS,
                List.of(),
                filter(List.of("0.0.0.0/0"), List.of("10.0.0.2/32", "10.0.1.0/30")));
        assertEquals(in("10.0.0.1"), f.apply(ip("239.1.1.1"), in("10.0.0.1", "10.0.0.2", "10.0.1.3")));
        assertEquals(Subscription.NONE, f.apply(ip("239.1.1.1"), in("10.0.0.2")));
        assertEquals(
                ex("10.0.0.2", "10.0.0.7", "10.0.1.0", "10.0.1.1", "10.0.1.2", "10.0.1.3"),
                f.apply(ip("239.1.1.1"), ex("10.0.0.7")));
        assertTrue(f.isExact(ip("239.1.1.1"), ex()));

        // Whatever is wanted, a denied source is never wanted after the filter, and a permitted one is as before.
        SubscriptionGenerator gen = new SubscriptionGenerator(9);
        for (int i = 0; i < 1000; i++) {
            Subscription s = gen.next();
            Subscription out = f.apply(ip("239.1.1.1"), s);
            for (Ip4 source : SubscriptionGenerator.UNIVERSE) {
                boolean denied = source.equals(ip("10.0.0.2"));
                assertEquals(!denied && s.wants(source), out.wants(source), s + " at " + source);
            }
        }
    }

    @Test
    void aSourceFilterIgmpCannotExpressIsOverRequestedAndFlagged() {
        InterfaceFilter narrowAllow =
                new InterfaceFilter(PrefixFilter.ALL_GROUPS, List.of(), filter(List.of("10.0.0.0/8"), List.of()));
        assertEquals(ex(), narrowAllow.apply(ip("239.1.1.1"), ex()));
        assertFalse(narrowAllow.isExact(ip("239.1.1.1"), ex()));
        assertTrue(narrowAllow.isExact(ip("239.1.1.1"), in("10.0.0.1")));
        assertEquals(in("10.0.0.1"), narrowAllow.apply(ip("239.1.1.1"), in("10.0.0.1", "192.0.2.1")));

        InterfaceFilter wideDeny = new InterfaceFilter(
                PrefixFilter.ALL_GROUPS,
                List.of(),
                filter(List.of("0.0.0.0/0"), List.of("10.0.0.0/8", "192.0.2.9/32")));
        assertEquals(ex("192.0.2.9"), wideDeny.apply(ip("239.1.1.1"), ex()), "the small deny prefix is still listed");
        assertFalse(wideDeny.isExact(ip("239.1.1.1"), ex()));
    }

    private static Subscription ex6(String... sources) {
        return Subscription.exclude(
                SourceSet.of(List.of(sources).stream().map(Ip6::parse).toList()));
    }

    private static Subscription in6(String... sources) {
        return Subscription.include(
                SourceSet.of(List.of(sources).stream().map(Ip6::parse).toList()));
    }

    @Test
    void ipv6GroupsFollowTheSameRules() {
        InterfaceFilter f = new InterfaceFilter(
                filter(List.of("224.0.0.0/4", "ff00::/8"), List.of("ff3e::1:0/112")),
                List.of(IpPrefix.parse("ff15::/16")),
                PrefixFilter.ALL_SOURCES);
        assertEquals(InterfaceFilter.Verdict.LINK_LOCAL, f.verdict(Ip6.parse("ff02::fb"), ex6()));
        assertEquals(InterfaceFilter.Verdict.GROUP_DENIED, f.verdict(Ip6.parse("ff3e::1:5"), in6("2001:db8::1")));
        assertEquals(InterfaceFilter.Verdict.SCOPE_BOUNDARY, f.verdict(Ip6.parse("ff15::1"), ex6()));
        // ff3x::/32 is source-specific: EXCLUDE mode never counts there (RFC 4607 §1), INCLUDE does.
        assertEquals(InterfaceFilter.Verdict.SSM_EXCLUDE, f.verdict(Ip6.parse("ff3e::8000:1"), ex6()));
        assertEquals(Subscription.NONE, f.apply(Ip6.parse("ff35::8000:1"), ex6("2001:db8::1")));
        assertEquals(in6("2001:db8::1"), f.apply(Ip6.parse("ff3e::8000:1"), in6("2001:db8::1")));
        assertEquals(ex6("2001:db8::1"), f.apply(Ip6.parse("ff1e::1"), ex6("2001:db8::1")));
    }

    @Test
    void deniedSourcesAreKeptPerFamily() {
        InterfaceFilter f = new InterfaceFilter(
                PrefixFilter.ALL_GROUPS,
                List.of(),
                filter(List.of("0.0.0.0/0", "::/0"), List.of("10.0.0.2/32", "2001:db8::/126")));
        assertEquals(
                ex6("2001:db8::", "2001:db8::1", "2001:db8::2", "2001:db8::3", "2001:db8::9"),
                f.apply(Ip6.parse("ff1e::1"), ex6("2001:db8::9")));
        assertEquals(ex("10.0.0.2"), f.apply(ip("239.1.1.1"), ex()), "IPv4 groups get the IPv4 denied sources only");
        assertEquals(in6("2001:db8::4"), f.apply(Ip6.parse("ff1e::1"), in6("2001:db8::3", "2001:db8::4")));
        assertTrue(f.isExact(Ip6.parse("ff1e::1"), ex6()));
        assertTrue(f.isExact(ip("239.1.1.1"), ex()));
    }

    @Test
    void anIpv6DenyPrefixIsListedOnlyWhenItIsTinyAndOnlyItsFamilyIsInexact() {
        // A /120 (256 addresses) does not fit one MLDv2 record; a /122 (64) does.
        InterfaceFilter wide = new InterfaceFilter(
                PrefixFilter.ALL_GROUPS,
                List.of(),
                filter(List.of("0.0.0.0/0", "::/0"), List.of("2001:db8::/120", "2001:db9::/122")));
        assertFalse(wide.isExact(Ip6.parse("ff1e::1"), ex6()));
        assertTrue(wide.isExact(ip("239.1.1.1"), ex()), "the IPv4 filter is still exact");
        assertEquals(
                InterfaceFilter.MAX_ENUMERATED_DENIED_IPV6,
                wide.deniedSources(IpFamily.IPV6).size());
        assertTrue(wide.deniedSources(IpFamily.IPV6).contains(Ip6.parse("2001:db9::3f")));
        // An allow list without ::/0 cannot be expressed as an IPv6 EXCLUDE list, though the IPv4 one can.
        InterfaceFilter v4Only =
                new InterfaceFilter(PrefixFilter.ALL_GROUPS, List.of(), filter(List.of("0.0.0.0/0"), List.of()));
        assertFalse(v4Only.isExact(Ip6.parse("ff1e::1"), ex6()));
        assertTrue(v4Only.isExact(ip("239.1.1.1"), ex()));
    }
}
