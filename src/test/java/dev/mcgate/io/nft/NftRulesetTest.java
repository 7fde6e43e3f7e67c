package dev.mcgate.io.nft;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mcgate.forward.KernelRoute;
import dev.mcgate.forward.OffloadPlan;
import dev.mcgate.net.Ip4;
import dev.mcgate.net.Ip4Prefix;
import dev.mcgate.net.MacAddress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The nft transactions, against golden text in src/test/resources/golden/nft (each file was loaded with nft 1.0.6
 * into a netdev table on veths in a namespace; -Dmcgate.golden.write=true rewrites them after a deliberate change).
 */
class NftRulesetTest {

    private static final Ip4 G1 = Ip4.parse("239.1.1.1");
    private static final Ip4 G2 = Ip4.parse("239.2.2.2");
    private static final Ip4 S1 = Ip4.parse("192.0.2.77");
    private static final KernelRoute.Egress LAN1 =
            new KernelRoute.Egress("lan1", MacAddress.parse("02:00:00:00:01:01"), 1);
    private static final KernelRoute.Egress LAN2 =
            new KernelRoute.Egress("lan2", MacAddress.parse("02:00:00:00:02:02"), 1);
    private static final Map<String, List<Ip4Prefix>> HANDED_BACK =
            Map.of("wan0", List.of(Ip4Prefix.parse("10.1.1.0/24"), Ip4Prefix.parse("10.1.2.0/24")));

    private static OffloadPlan plan(KernelRoute... routes) {
        return new OffloadPlan(List.of(routes), HANDED_BACK, Map.of());
    }

    private static KernelRoute starG(Ip4 group, KernelRoute.Egress... egress) {
        return new KernelRoute("wan0", group, Optional.empty(), List.of(egress));
    }

    private static void assertGolden(String name, String actual) throws IOException {
        Path file = Path.of("src/test/resources/golden/nft", name);
        if (Boolean.getBoolean("mcgate.golden.write")) {
            Files.writeString(file, actual, StandardCharsets.UTF_8);
        }
        assertEquals(Files.readString(file, StandardCharsets.UTF_8), actual, name);
    }

    @Test
    void aFirstRouteWithOneEgressCreatesTheTableTheTtlChainsAndOneRoute() throws IOException {
        NftRuleset.Script s = NftRuleset.script(plan(starG(G1, LAN1)), NftRuleset.Installed.NOTHING);
        assertGolden("one-egress.nft", s.text());
        assertEquals(Set.of("in_wan0", "r_239_1_1_1_any_wan0"), s.installed().chains());
        assertEquals(
                Set.of("f_239_1_1_1_any_wan0", "x_239_1_1_1_any_wan0"),
                s.installed().counters());
    }

    @Test
    void aSecondEgressIsOneMoreDupBeforeTheFinalFwd() throws IOException {
        NftRuleset.Installed before = NftRuleset.script(plan(starG(G1, LAN1)), NftRuleset.Installed.NOTHING)
                .installed();
        assertGolden(
                "two-egresses.nft",
                NftRuleset.script(plan(starG(G1, LAN1, LAN2)), before).text());
    }

    @Test
    void anEgressWithATtlThresholdGetsItsCopyOnlyAboveIt() throws IOException {
        KernelRoute.Egress lan2At64 = new KernelRoute.Egress("lan2", LAN2.mac(), 64);
        assertGolden(
                "ttl-threshold.nft",
                NftRuleset.script(plan(starG(G1, LAN1, lan2At64)), NftRuleset.Installed.NOTHING)
                        .text()
                        .replaceFirst(
                                "(?s)add chain netdev mcgate ttl_2\n.*?add element" + "[^\n]*\n",
                                "# (ttl chains as in one-egress.nft)\n"));
        assertGolden(
                "ttl-threshold-only.nft",
                NftRuleset.script(plan(starG(G1, lan2At64)), new NftRuleset.Installed(Set.of(), Set.of(), true))
                        .text());
    }

    @Test
    void sourceSpecificRoutesAndExceptionsComeBeforeTheStarGRoutes() throws IOException {
        OffloadPlan p = plan(
                new KernelRoute("wan0", G1, Optional.of(S1), List.of(LAN1)),
                new KernelRoute("wan0", G2, Optional.of(S1), List.of()),
                starG(G1, LAN2),
                starG(G2, LAN2));
        assertGolden(
                "source-specific.nft",
                NftRuleset.script(p, new NftRuleset.Installed(Set.of(), Set.of(), true))
                        .text());
    }

    @Test
    void aRouteThatGoesIsDeletedWithItsCountersAndTheOthersKeepTheirs() throws IOException {
        NftRuleset.Installed two = NftRuleset.script(
                        plan(starG(G1, LAN1), starG(G2, LAN2)), NftRuleset.Installed.NOTHING)
                .installed();
        NftRuleset.Script s = NftRuleset.script(plan(starG(G1, LAN1)), two);
        assertGolden("removal.nft", s.text());
        assertEquals(
                Set.of("f_239_1_1_1_any_wan0", "x_239_1_1_1_any_wan0"),
                s.installed().counters());
    }

    @Test
    void anEmptyTableLeavesOnlyTheTtlChains() throws IOException {
        NftRuleset.Installed one = NftRuleset.script(plan(starG(G1, LAN1)), NftRuleset.Installed.NOTHING)
                .installed();
        NftRuleset.Script s = NftRuleset.script(OffloadPlan.EMPTY, one);
        assertGolden("empty.nft", s.text());
        assertEquals(Set.of(), s.installed().chains());
    }

    @Test
    void removalNeedsNoTableToBeThere() {
        assertEquals("add table netdev mcgate\ndelete table netdev mcgate\n", NftRuleset.removal());
    }

    @Test
    void interfaceNamesBecomeIdentifiers() {
        assertEquals("eth0_2e100", NftNames.safe("eth0.100"));
        assertEquals("br_2dlan", NftNames.safe("br-lan"));
    }
}
