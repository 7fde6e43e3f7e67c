package dev.mcgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.net.Ip4Prefix;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How interfaces inherit from the defaults block, and how the RFC-derived defaults follow the effective values. */
class InheritanceTest {

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

    @Test
    void withNothingWrittenEverythingIsTheRfcDefault() throws ConfigException {
        McgateConfig c = parse("", "");
        IgmpSettings igmp = c.interfaceFor("down0").igmp();
        assertEquals(3, igmp.version());
        assertEquals(2, igmp.robustness());
        assertEquals(Duration.ofSeconds(125), igmp.queryInterval());
        assertEquals(Duration.ofSeconds(10), igmp.queryResponseInterval());
        assertEquals(Duration.ofSeconds(1), igmp.lastMemberQueryInterval());
        assertEquals(2, igmp.lastMemberQueryCount());
        assertEquals(Duration.ofMillis(31_250), igmp.startupQueryInterval());
        assertEquals(2, igmp.startupQueryCount());
        assertEquals(Duration.ofSeconds(260), igmp.groupMembershipInterval());
        assertEquals(Duration.ofSeconds(255), igmp.otherQuerierPresentInterval());
        assertEquals(Duration.ofSeconds(2), igmp.lastMemberQueryTime());
        assertEquals(1, c.interfaceFor("down0").ttlThreshold());
        assertEquals(InterfaceDefaults.BUILT_IN, c.defaults());
    }

    @Test
    void countsFollowTheEffectiveRobustness() throws ConfigException {
        McgateConfig c = parse("    robustness 3", "    robustness 4");
        assertEquals(3, c.interfaceFor("up0").igmp().lastMemberQueryCount());
        assertEquals(3, c.interfaceFor("up0").igmp().startupQueryCount());
        assertEquals(4, c.interfaceFor("down0").igmp().lastMemberQueryCount());
        assertEquals(4, c.interfaceFor("down0").igmp().startupQueryCount());
        assertEquals(3, c.defaults().igmp().startupQueryCount());
    }

    @Test
    void explicitValuesInDefaultsAreInheritedAsWritten() throws ConfigException {
        McgateConfig c = parse(
                "    startup-query-count 5\n    startup-query-interval 20s",
                "    robustness 4\n" + "    query-interval 100");
        assertEquals(5, c.interfaceFor("down0").igmp().startupQueryCount());
        assertEquals(Duration.ofSeconds(20), c.interfaceFor("down0").igmp().startupQueryInterval());
        assertEquals(4, c.interfaceFor("down0").igmp().lastMemberQueryCount());
    }

    @Test
    void startupQueryIntervalIsAQuarterOfTheEffectiveQueryInterval() throws ConfigException {
        McgateConfig c = parse("    query-interval 200s", "    query-interval 30");
        assertEquals(Duration.ofSeconds(50), c.interfaceFor("up0").igmp().startupQueryInterval());
        assertEquals(Duration.ofMillis(7_500), c.interfaceFor("down0").igmp().startupQueryInterval());
    }

    @Test
    void scalarOverridesAndListReplacement() throws ConfigException {
        McgateConfig c = parse("""
                    ttl-threshold 4
                    fast-leave yes
                    boundary 239.0.0.0/8
                    deny-group 239.1.1.1
                    deny-group 239.2.2.2
                """, """
                    ttl-threshold 9
                    boundary 239.192.0.0/14
                    deny-group none
                """);
        InterfaceConfig up = c.interfaceFor("up0");
        InterfaceConfig down = c.interfaceFor("down0");
        assertEquals(4, up.ttlThreshold());
        assertEquals(9, down.ttlThreshold());
        assertEquals(true, down.fastLeave());
        assertEquals(List.of(Ip4Prefix.parse("239.0.0.0/8")), up.scopeBoundaries());
        assertEquals(List.of(Ip4Prefix.parse("239.192.0.0/14")), down.scopeBoundaries());
        // Several lines of one list add up; "none" replaces the inherited list by an empty one.
        assertEquals(
                List.of(Ip4Prefix.parse("239.1.1.1/32"), Ip4Prefix.parse("239.2.2.2/32")),
                up.groupFilter().deny());
        assertEquals(List.of(), down.groupFilter().deny());
    }

    @Test
    void inheritedValuesThatConflictAreReportedAtTheInterfaceLineThatCausedIt() {
        ConfigException e = assertThrows(
                ConfigException.class, () -> parse("    query-response-interval 20s", "    query-interval 15s"));
        assertEquals(
                List.of("t.conf:9: query-response-interval 20s must be less than query-interval 15s on "
                        + "interface down0 (RFC 3376 §8.3)"),
                e.errors().stream().map(ConfigError::toString).toList());
    }

    @Test
    void duplicateDefaultsBlock() {
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> ConfigLoader.parse(
                        "defaults {\n}\ndefaults {\n}\ninterface a {\n role upstream\n}\n", "t.conf", Format.NATIVE));
        assertEquals("t.conf:3: the defaults block is already given at line 1", e.getMessage());
    }

    @Test
    void roleInTheInterfaceHeaderGetsAHint() {
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> ConfigLoader.parse(
                        "interface eth0 upstream {\n}\ninterface a {\n role upstream\n}\n", "t.conf", Format.NATIVE));
        assertEquals(
                "t.conf:1: write 'interface eth0 {' and the role inside the block: 'role upstream'", e.getMessage());
    }

    @Test
    void repairUdpChecksumIsOffByDefaultInheritedAndOverriddenPerInterface() throws ConfigException {
        McgateConfig none = parse("", "");
        assertEquals(false, none.interfaceFor("up0").repairUdpChecksum());
        assertEquals(false, none.interfaceFor("down0").repairUdpChecksum());
        assertEquals(false, none.defaults().repairUdpChecksum());

        McgateConfig inherited = parse("    repair-udp-checksum yes", "");
        assertEquals(true, inherited.defaults().repairUdpChecksum());
        assertEquals(true, inherited.interfaceFor("up0").repairUdpChecksum());
        assertEquals(true, inherited.interfaceFor("down0").repairUdpChecksum());

        McgateConfig overridden = parse("    repair-udp-checksum yes", "    repair-udp-checksum no");
        assertEquals(true, overridden.interfaceFor("up0").repairUdpChecksum());
        assertEquals(false, overridden.interfaceFor("down0").repairUdpChecksum());

        McgateConfig own = parse("", "    repair-udp-checksum on");
        assertEquals(false, own.interfaceFor("up0").repairUdpChecksum());
        assertEquals(true, own.interfaceFor("down0").repairUdpChecksum());
    }

    @Test
    void repairUdpChecksumTakesOnlyABoolean() {
        ConfigException e = assertThrows(ConfigException.class, () -> parse("", "    repair-udp-checksum maybe"));
        assertTrue(e.getMessage().contains("repair-udp-checksum: 'maybe' is not yes or no"), e.getMessage());
    }
}
