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
import dev.mcgate.net.Subscription;
import java.util.List;
import org.junit.jupiter.api.Test;

class InterfaceFilterTest {

    private static PrefixFilter filter(List<String> allow, List<String> deny) {
        return new PrefixFilter(
                allow.stream().map(Ip4Prefix::parse).toList(),
                deny.stream().map(Ip4Prefix::parse).toList());
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
        assertTrue(f.isExact(ex()));

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
        assertFalse(narrowAllow.isExact(ex()));
        assertTrue(narrowAllow.isExact(in("10.0.0.1")));
        assertEquals(in("10.0.0.1"), narrowAllow.apply(ip("239.1.1.1"), in("10.0.0.1", "192.0.2.1")));

        InterfaceFilter wideDeny = new InterfaceFilter(
                PrefixFilter.ALL_GROUPS,
                List.of(),
                filter(List.of("0.0.0.0/0"), List.of("10.0.0.0/8", "192.0.2.9/32")));
        assertEquals(ex("192.0.2.9"), wideDeny.apply(ip("239.1.1.1"), ex()), "the small deny prefix is still listed");
        assertFalse(wideDeny.isExact(ex()));
    }
}
