package dev.mcgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.net.Ip4;
import dev.mcgate.net.Ip6;
import dev.mcgate.net.IpFamily;
import dev.mcgate.net.IpPrefix;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Both address families in the native format: which families an interface runs, the MLD version and timers (shared
 * with IGMP unless an {@code mld-*} setting overrides them), IPv6 prefixes in every list, igmpproxy.conf staying
 * IPv4-only, and what check-config prints of it all.
 */
class DualStackConfigTest {

    private static McgateConfig parse(String defaults, String downstream) throws ConfigException {
        return ConfigLoader.parse("""
                defaults {
                %s
                }
                interface up0 {
                    role upstream
                }
                interface down0 {
                    role downstream
                %s
                }
                """.formatted(defaults, downstream), "t.conf", Format.NATIVE)
                .config();
    }

    private static List<IpPrefix> prefixes(String... texts) {
        return List.of(texts).stream().map(IpPrefix::parse).toList();
    }

    @Test
    void everyInterfaceRunsBothFamiliesUnlessOneIsTurnedOff() throws ConfigException {
        McgateConfig c = parse("    ipv6 off", "    ipv6 on\n    ipv4 off");
        InterfaceConfig up = c.interfaceFor("up0");
        InterfaceConfig down = c.interfaceFor("down0");
        assertTrue(up.runsIpv4());
        assertFalse(up.runsIpv6(), "inherited from defaults");
        assertFalse(down.runsIpv4());
        assertTrue(down.runsIpv6(), "the interface's own setting beats the inherited one");
        assertEquals(Set.of(IpFamily.IPV4), c.defaults().families());

        McgateConfig plain = parse("", "");
        assertEquals(
                Set.of(IpFamily.IPV4, IpFamily.IPV6),
                plain.interfaceFor("down0").families());
        // An interface the file does not name gets the defaults' families too.
        assertEquals(Set.of(IpFamily.IPV4), c.interfaceFor("eth9").families());
    }

    @Test
    void mldVersionIsHeldAsTheGenerationAndDefaultsToMldv2() throws ConfigException {
        assertEquals(
                IgmpSettings.MLDV2, parse("", "").interfaceFor("down0").mld().version());
        McgateConfig c = parse("    mld-version 1", "    mld-version 2");
        assertEquals(2, c.interfaceFor("up0").mld().version(), "MLDv1 is generation 2");
        assertEquals(3, c.interfaceFor("down0").mld().version(), "MLDv2 is generation 3");
        assertEquals(
                "MLDv1", IpFamily.IPV6.versionName(c.interfaceFor("up0").mld().version()));
        // igmp-version does not touch MLD, and mld-version does not touch IGMP.
        McgateConfig v2 = parse("    igmp-version 2", "");
        assertEquals(2, v2.interfaceFor("down0").igmp().version());
        assertEquals(3, v2.interfaceFor("down0").mld().version());
        assertEquals(3, c.interfaceFor("up0").igmp().version());
    }

    @Test
    void mldSharesTheTimersOfIgmpUnlessAnMldSettingOverridesThem() throws ConfigException {
        McgateConfig c = parse(
                "    robustness 3\n    query-interval 60s\n    last-member-query-interval 0.5s",
                "    mld-query-interval 30s\n    mld-last-member-query-count 5");
        IgmpSettings igmp = c.interfaceFor("down0").igmp();
        IgmpSettings mld = c.interfaceFor("down0").mld();
        assertEquals(Duration.ofSeconds(60), igmp.queryInterval());
        assertEquals(Duration.ofSeconds(30), mld.queryInterval());
        assertEquals(3, mld.robustness(), "shared, inherited from defaults");
        assertEquals(Duration.ofMillis(500), mld.lastMemberQueryInterval(), "shared");
        assertEquals(5, mld.lastMemberQueryCount());
        assertEquals(3, igmp.lastMemberQueryCount(), "follows the robustness");
        // The derived startup query interval follows MLD's own query interval.
        assertEquals(Duration.ofMillis(7_500), mld.startupQueryInterval());
        assertEquals(Duration.ofSeconds(15), igmp.startupQueryInterval());
        // On the upstream, nothing MLD-specific is written: MLD runs exactly IGMP's timers.
        assertEquals(c.interfaceFor("up0").igmp(), c.interfaceFor("up0").mld());
    }

    @Test
    void anMldSettingBeatsTheSharedOneWhereverEachIsWritten() throws ConfigException {
        McgateConfig c = parse("    mld-query-interval 60s\n    mld-robustness 4", "    query-interval 30s");
        InterfaceConfig down = c.interfaceFor("down0");
        assertEquals(Duration.ofSeconds(30), down.igmp().queryInterval());
        assertEquals(Duration.ofSeconds(60), down.mld().queryInterval(), "defaults' mld-query-interval wins");
        assertEquals(4, down.mld().robustness());
        assertEquals(4, down.mld().startupQueryCount(), "derived from MLD's robustness");
        assertEquals(2, down.igmp().startupQueryCount());
    }

    @Test
    void everyListTakesIpv6PrefixesMixedWithIpv4Ones() throws ConfigException {
        McgateConfig c = ConfigLoader.parse("""
                interface up0 {
                    role upstream
                    upstream-groups 239.0.0.0/8 ff3e::/32
                }
                interface down0 {
                    role downstream
                    altnet 10.0.0.0/8 2001:db8:1::/48
                    allow-group 224.0.0.0/4 ff3e::/16
                    deny-group ff3e::1:0/112
                    allow-source 0.0.0.0/0 2001:db8::/32
                    deny-source 2001:db8::bad/128
                    boundary ff15::/16 239.192.0.0/14
                }
                """, "t.conf", Format.NATIVE).config();
        InterfaceConfig down = c.interfaceFor("down0");
        assertEquals(prefixes("239.0.0.0/8", "ff3e::/32"), c.interfaceFor("up0").upstreamGroups());
        assertEquals(prefixes("10.0.0.0/8", "2001:db8:1::/48"), down.altnets());
        assertEquals(prefixes("ff15::/16", "239.192.0.0/14"), down.scopeBoundaries());
        PrefixFilter groups = down.groupFilter();
        assertTrue(groups.permits(Ip6.parse("ff3e::2:1")));
        assertFalse(groups.permits(Ip6.parse("ff3e::1:1")), "denied");
        assertFalse(groups.permits(Ip6.parse("ff05::1")), "not allowed");
        assertTrue(groups.permits(Ip4.parse("239.1.1.1")));
        PrefixFilter sources = down.sourceFilter();
        assertTrue(sources.permits(Ip6.parse("2001:db8::1")));
        assertFalse(sources.permits(Ip6.parse("2001:db8::bad")));
        assertFalse(sources.permits(Ip6.parse("2001:db9::1")), "an allow list is taken literally");
        assertTrue(sources.permits(Ip4.parse("192.0.2.1")));
        assertEquals(prefixes("2001:db8::/32"), PrefixLists.of(IpFamily.IPV6, sources.allow()));
    }

    @Test
    void theDefaultFiltersPassBothFamilies() throws ConfigException {
        InterfaceConfig down = parse("", "").interfaceFor("down0");
        assertTrue(down.groupFilter().permits(Ip6.parse("ff3e::8000:1")));
        assertTrue(down.groupFilter().permits(Ip4.parse("232.1.1.1")));
        assertTrue(down.sourceFilter().permits(Ip6.parse("2001:db8::1")));
        assertTrue(down.sourceFilter().permits(Ip4.parse("10.1.1.1")));
        assertFalse(down.groupFilter().only(IpFamily.IPV4).permits(Ip6.parse("ff3e::8000:1")));
        assertTrue(down.groupFilter().only(IpFamily.IPV6).permits(Ip6.parse("ff3e::8000:1")));
    }

    @Test
    void overlappingIpv6UpstreamRangesAreAConflictButRangesOfTheOtherFamilyAreNot() throws ConfigException {
        String text = """
                interface up0 {
                    role upstream
                    upstream-groups ff3e::/32
                }
                interface up1 {
                    role upstream
                    upstream-groups 239.0.0.0/8 %s
                }
                """;
        McgateConfig apart = ConfigLoader.parse(text.formatted("ff3f::/32"), "t.conf", Format.NATIVE)
                .config();
        assertEquals(
                prefixes("239.0.0.0/8", "ff3f::/32"), apart.interfaceFor("up1").upstreamGroups());
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> ConfigLoader.parse(text.formatted("ff3e:0:8000::/48"), "t.conf", Format.NATIVE));
        assertEquals(1, e.errors().size(), e.getMessage());
        assertEquals(7, e.errors().get(0).line(), e.getMessage());
        assertTrue(
                e.getMessage().contains("upstream-groups ff3e:0:8000::/48 of up1 overlaps upstream-groups ff3e::/32"),
                e.getMessage());
    }

    @Test
    void igmpproxyFilesStayIpv4Only() throws ConfigException {
        McgateConfig c = ConfigLoader.load(Path.of("src/test/resources/config/igmpproxy.conf"), Format.AUTO)
                .config();
        for (InterfaceConfig i : c.interfaces()) {
            assertEquals(Set.of(IpFamily.IPV4), i.families(), i.name());
        }
        assertFalse(c.interfaceFor("unnamed0").runsIpv6(), "nor do the interfaces defaultdown adds");
    }

    @Test
    void roundTripsWithEveryIpv6Setting() throws ConfigException {
        McgateConfig config = ConfigLoader.parse("""
                defaults {
                    mld-version 1
                    mld-query-interval 60s
                    mld-startup-query-count 4
                    deny-group ff3e::1:0/112
                }
                interface up0 {
                    role upstream
                    ipv4 off
                    upstream-groups ff3e::/32
                }
                interface down0 {
                    role downstream
                    mld-query-interval 125s
                    altnet 2001:db8:1::/48 10.0.0.0/8
                    allow-source ::/0
                    deny-source 2001:db8::bad/128
                    boundary ff15::/16
                }
                interface down1 {
                    role downstream
                    ipv6 off
                    mld-robustness 3
                }
                """, "t.conf", Format.NATIVE).config();
        // down0 writes MLD's query interval equal to IGMP's: it must still beat the defaults' 60s when read back.
        assertEquals(Duration.ofSeconds(125), config.interfaceFor("down0").mld().queryInterval());
        String text = EffectiveConfigRenderer.render(config);
        McgateConfig again =
                ConfigLoader.parse(text, "rendered.conf", Format.AUTO).config();
        assertEquals(config, again, text);
        assertEquals(text, EffectiveConfigRenderer.render(again));
    }

    @Test
    void equalityTellsTheNewSettingsApart() throws ConfigException {
        // Guards the round trip above: configs that differ only in an IPv6 setting must not compare equal.
        McgateConfig plain = parse("", "");
        assertNotEquals(plain, parse("", "    ipv6 off"));
        assertNotEquals(plain, parse("", "    mld-version 1"));
        assertNotEquals(plain, parse("", "    mld-query-interval 60"));
        assertNotEquals(plain, parse("", "    altnet 2001:db8::/32"));
    }

    @Test
    void checkConfigShowsFamiliesMldVersionOverridesAndIpv6Prefixes() throws ConfigException {
        String text = EffectiveConfigRenderer.render(parse(
                "    mld-version 1\n    mld-query-interval 60s",
                "    ipv4 off\n    allow-group ff3e::/16\n    mld-query-response-interval 5s"));
        String down = text.substring(text.indexOf("interface down0 {"));
        assertTrue(down.startsWith("interface down0 {\n    # runs IPv6 (MLDv1)\n"), down);
        assertTrue(down.contains("\n    ipv4 off\n    ipv6 on\n    mld-version 1\n"), down);
        assertTrue(down.contains("\n    mld-query-interval 60s\n"), down);
        assertTrue(down.contains("\n    mld-query-response-interval 5s\n"), down);
        assertTrue(
                down.contains("\n    mld-startup-query-interval 15s\n"), "derived from MLD's query interval\n" + down);
        assertTrue(down.contains("\n    allow-group ff3e::/16\n"), down);
        assertFalse(down.contains("mld-robustness"), "not overridden: not written\n" + down);
        String up = text.substring(text.indexOf("interface up0 {"), text.indexOf("interface down0 {"));
        assertTrue(up.contains("# runs IPv4 (IGMPv3) and IPv6 (MLDv1)\n"), up);
    }

    @Test
    void aReloadNamesTheChangedFamilyAndMldSettings() throws ConfigException {
        InterfaceConfig before = parse("", "").interfaceFor("down0");
        InterfaceConfig after = parse("    query-interval 60s", "    ipv6 off\n    mld-version 1\n    mld-robustness 3")
                .interfaceFor("down0");
        assertEquals(
                List.of(
                        "query-interval 125s -> 60s",
                        "startup-query-interval 31250ms -> 15s",
                        "ipv6 on -> off",
                        "mld-version 2 -> 1",
                        "mld-robustness 2 -> 3",
                        "mld-last-member-query-count 2 -> 3",
                        "mld-startup-query-count 2 -> 3"),
                ConfigDiff.settingsChanged(before, after),
                "a shared timer's change is listed once, not again as an mld- line");
    }
}
