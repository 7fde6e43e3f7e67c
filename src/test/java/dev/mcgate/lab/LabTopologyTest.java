package dev.mcgate.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.net.Ip4Prefix;
import dev.mcgate.net.Ip6;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LabTopologyTest {

    @Test
    void namespacesCarryThePrefixSoLabsCanCoexist() {
        List<String> a = new LabTopology("mcg").namespaces();
        List<String> b = new LabTopology("demo2").namespaces();

        assertTrue(a.stream().allMatch(ns -> ns.startsWith("mcg-")), a.toString());
        Set<String> overlap = new HashSet<>(a);
        overlap.retainAll(b);
        assertEquals(Set.of(), overlap);
        assertEquals(4, new HashSet<>(a).size(), "four distinct namespaces");
    }

    @Test
    void labDownRemovesTheBenchsTunnelPathToo() {
        LabTopology t = new LabTopology("bench");
        List<String> all = t.allNamespaces();
        assertTrue(all.containsAll(t.namespaces()), all.toString());
        assertTrue(all.containsAll(List.of(BenchTunnelPath.gatewayB(t), BenchTunnelPath.receiver(t))), all.toString());
        assertEquals(all.size(), new HashSet<>(all).size(), "distinct");
        assertTrue(all.stream().allMatch(ns -> ns.startsWith("bench-")), all.toString());
    }

    @Test
    void everyLinkHasItsOwnSubnetHoldingBothEnds() {
        for (LabTopology.Link link : LabTopology.LINKS) {
            assertTrue(link.subnet().contains(link.routerAddress()), link.toString());
            assertTrue(link.subnet().contains(link.hostAddress()), link.toString());
            for (LabTopology.Link other : LabTopology.LINKS) {
                assertTrue(link == other || !link.subnet().overlaps(other.subnet()), link + " vs " + other);
            }
        }
    }

    @Test
    void everyLinkHasItsOwnIpv6PrefixHoldingBothEndsAsUniqueLocalAddresses() {
        Set<Long> prefixes = new HashSet<>();
        for (LabTopology.Link link : LabTopology.LINKS) {
            Ip6 router = link.routerAddress6();
            Ip6 host = link.hostAddress6();
            // Same /64: the high 64 bits are the prefix.
            assertEquals(link.subnet6().high(), router.high(), link.toString());
            assertEquals(link.subnet6().high(), host.high(), link.toString());
            assertNotEquals(router, host);
            // fd00::/8, unique local (RFC 4193): never routed outside the lab.
            assertEquals(0xfd, router.high() >>> 56, router.toString());
            prefixes.add(link.subnet6().high());
        }
        assertEquals(LabTopology.LINKS.size(), prefixes.size(), "one /64 per link");
    }

    @Test
    void anIpv6SubnetMustBeTheStartOfASlash64() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new LabTopology.Link("x", "x0", Ip4Prefix.parse("192.0.2.0/24"), Ip6.parse("fd00:0:2::1")));
    }

    @Test
    void prefixesThatWouldMakeBadNamesAreRefused() {
        for (String bad : List.of("", "Mcg", "1abc", "a-b", "abcdefghijk", "a/b")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new LabTopology(bad));
            assertTrue(e.getMessage().contains("prefix"), e.getMessage());
        }
    }
}
