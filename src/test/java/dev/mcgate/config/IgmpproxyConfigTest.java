package dev.mcgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.net.Ip4;
import dev.mcgate.net.Ip4Prefix;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** An unchanged igmpproxy.conf using every keyword, and how each one maps onto mcgate's configuration. */
class IgmpproxyConfigTest {

    private static final String FILE = "src/test/resources/config/igmpproxy.conf";
    private static LoadedConfig loaded;
    private static McgateConfig config;

    @BeforeAll
    static void load() throws ConfigException {
        loaded = ConfigLoader.load(Path.of(FILE), Format.AUTO);
        config = loaded.config();
    }

    @Test
    void recognisedAsIgmpproxy() {
        assertEquals(Format.IGMPPROXY, loaded.detected());
    }

    @Test
    void ignoredOptionsWarnWithFileLineAndReason() {
        List<String> w = loaded.warnings();
        assertEquals(6, w.size(), w.toString());
        assertTrue(w.get(0).startsWith(FILE + ":15: rescanvif is ignored: "), w.get(0));
        assertTrue(w.get(1).startsWith(FILE + ":16: chroot is ignored: "), w.get(1));
        assertTrue(w.get(1).contains("systemd"), w.get(1));
        assertTrue(w.get(2).startsWith(FILE + ":17: user is ignored: "), w.get(2));
        assertTrue(w.get(2).contains("User="), w.get(2));
        assertTrue(w.get(3).startsWith(FILE + ":18: hashtablesize is ignored: "), w.get(3));
        assertTrue(w.get(4).startsWith(FILE + ":23: ratelimit is ignored: "), w.get(4));
        assertTrue(w.get(5).startsWith(FILE + ":31: ratelimit is ignored: "), w.get(5));
    }

    @Test
    void phyintRoles() {
        assertEquals(
                List.of("eth0", "eth1", "eth2", "eth3"),
                config.interfaces().stream().map(InterfaceConfig::name).toList());
        assertEquals(
                List.of(Role.UPSTREAM, Role.DOWNSTREAM, Role.DOWNSTREAM, Role.DISABLED),
                config.interfaces().stream().map(InterfaceConfig::role).toList());
    }

    @Test
    void thresholdIsTheTtlThreshold() {
        assertEquals(1, config.interfaceFor("eth0").ttlThreshold());
        assertEquals(3, config.interfaceFor("eth1").ttlThreshold());
        assertEquals(8, config.interfaceFor("eth2").ttlThreshold());
        assertEquals(1, config.interfaceFor("eth3").ttlThreshold());
    }

    @Test
    void altnetLinesBelongToThePhyintAboveOrOnTheSameLine() {
        assertEquals(
                List.of(Ip4Prefix.parse("10.0.0.0/8"), Ip4Prefix.parse("192.168.1.0/24")),
                config.interfaceFor("eth0").altnets());
        assertEquals(List.of(), config.interfaceFor("eth1").altnets());
        assertEquals(
                List.of(Ip4Prefix.parse("172.16.0.0/16")),
                config.interfaceFor("eth2").altnets());
    }

    @Test
    void whitelistAndBlacklistRestrictTheGroups() {
        PrefixFilter up = config.interfaceFor("eth0").groupFilter();
        assertEquals(List.of(Ip4Prefix.parse("239.1.0.0/16")), up.allow());
        assertFalse(up.permits(Ip4.parse("239.2.0.1")));
        PrefixFilter down = config.interfaceFor("eth1").groupFilter();
        assertEquals(List.of(Ip4Prefix.parse("239.2.0.0/16"), Ip4Prefix.parse("239.3.3.3/32")), down.allow());
        assertEquals(List.of(Ip4Prefix.parse("239.2.2.0/24")), down.deny());
        assertTrue(down.permits(Ip4.parse("239.2.1.1")));
        assertFalse(down.permits(Ip4.parse("239.2.2.1")));
        assertTrue(down.permits(Ip4.parse("239.3.3.3")));
        // No whitelist: every group.
        assertEquals(PrefixFilter.ALL_GROUPS, config.interfaceFor("eth2").groupFilter());
    }

    @Test
    void quickleaveIsFastLeaveOnDownstreamsOnly() {
        assertFalse(config.interfaceFor("eth0").fastLeave());
        assertTrue(config.interfaceFor("eth1").fastLeave());
        assertTrue(config.interfaceFor("eth2").fastLeave());
        assertFalse(config.interfaceFor("eth3").fastLeave());
        // Interfaces added by defaultdown are downstreams too.
        assertTrue(config.interfaceFor("eth7").fastLeave());
    }

    @Test
    void defaultdownMakesUnlistedInterfacesDownstream() {
        assertEquals(Role.DOWNSTREAM, config.global().unlistedRole());
        assertEquals(Role.DOWNSTREAM, config.interfaceFor("eth7").role());
    }

    @Test
    void timersAreTheRfcDefaults() {
        for (InterfaceConfig i : config.interfaces()) {
            assertEquals(IgmpSettings.RFC_DEFAULTS, i.igmp(), i.name());
        }
    }

    @Test
    void withoutQuickleaveAndDefaultdown() throws ConfigException {
        McgateConfig c = ConfigLoader.parse(
                        "phyint eth0 upstream\nphyint eth1 downstream\n", "x.conf", Format.IGMPPROXY)
                .config();
        assertFalse(c.interfaceFor("eth1").fastLeave());
        assertEquals(Role.DISABLED, c.global().unlistedRole());
        assertEquals(Role.DISABLED, c.interfaceFor("eth5").role());
    }

    @Test
    void forcedFormatOverridesDetection() {
        // The same text read as native fails on its first keyword.
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(
                ConfigException.class, () -> ConfigLoader.parse("phyint eth0 upstream\n", "x.conf", Format.NATIVE));
        assertEquals("x.conf:1: unknown keyword 'phyint'", e.errors().get(0).toString());
    }
}
