package dev.mcgate.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    void prefixesThatWouldMakeBadNamesAreRefused() {
        for (String bad : List.of("", "Mcg", "1abc", "a-b", "abcdefghijk", "a/b")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new LabTopology(bad));
            assertTrue(e.getMessage().contains("prefix"), e.getMessage());
        }
    }
}
