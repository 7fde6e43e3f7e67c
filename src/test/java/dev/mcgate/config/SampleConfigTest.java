package dev.mcgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.net.Ip4;
import dev.mcgate.net.Ip4Prefix;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The documented sample conf/mcgate.conf must parse, and mean what its comments say. */
class SampleConfigTest {

    private static LoadedConfig loaded;
    private static McgateConfig config;

    @BeforeAll
    static void load() throws ConfigException {
        loaded = ConfigLoader.load(Path.of("conf/mcgate.conf"), Format.AUTO);
        config = loaded.config();
    }

    @Test
    void isNativeWithoutWarnings() {
        assertEquals(Format.NATIVE, loaded.detected());
        assertEquals(List.of(), loaded.warnings());
    }

    @Test
    void globals() {
        assertEquals(Path.of("/run/mcgate/mcgate.sock"), config.global().controlSocket());
        assertEquals(LogLevel.INFO, config.global().logLevel());
        assertEquals(Role.DISABLED, config.global().unlistedRole());
        assertEquals(PacketIoEngine.PCAP, config.global().packetIo());
    }

    @Test
    void packetIoIsPcapUnlessChosen() throws ConfigException {
        String body = "interface a {\n role upstream\n}\n";
        assertEquals(
                PacketIoEngine.PCAP,
                ConfigLoader.parse(body, "t.conf", Format.NATIVE)
                        .config()
                        .global()
                        .packetIo());
        assertEquals(
                PacketIoEngine.AF_PACKET,
                ConfigLoader.parse("packet-io af-packet\n" + body, "t.conf", Format.NATIVE)
                        .config()
                        .global()
                        .packetIo());
        assertEquals(
                PacketIoEngine.PCAP,
                ConfigLoader.parse("packet-io pcap\n" + body, "t.conf", Format.NATIVE)
                        .config()
                        .global()
                        .packetIo());
    }

    @Test
    void xdpModeIsAutoUnlessChosen() throws ConfigException {
        String body = "packet-io af-xdp\ninterface a {\n role upstream\n}\n";
        assertEquals(
                XdpMode.AUTO,
                ConfigLoader.parse(body, "t.conf", Format.NATIVE)
                        .config()
                        .global()
                        .xdpMode());
        assertEquals(
                XdpMode.GENERIC,
                ConfigLoader.parse("xdp-mode generic\n" + body, "t.conf", Format.NATIVE)
                        .config()
                        .global()
                        .xdpMode());
        assertEquals(XdpMode.AUTO, config.global().xdpMode(), "the sample shows the default");
    }

    @Test
    void interfacesInFileOrderWithTheirRoles() {
        assertEquals(
                List.of("eth0", "wg0", "eth1", "eth2", "eth3"),
                config.interfaces().stream().map(InterfaceConfig::name).toList());
        assertEquals(
                List.of(Role.UPSTREAM, Role.UPSTREAM, Role.DOWNSTREAM, Role.DOWNSTREAM, Role.DISABLED),
                config.interfaces().stream().map(InterfaceConfig::role).toList());
    }

    @Test
    void upstreamInheritsRfcTimersFromDefaults() {
        assertEquals(IgmpSettings.RFC_DEFAULTS, config.interfaceFor("eth0").igmp());
        assertEquals(
                List.of(Ip4Prefix.parse("10.0.0.0/8"), Ip4Prefix.parse("192.168.100.0/24")),
                config.interfaceFor("eth0").altnets());
    }

    @Test
    void overriddenQueryIntervalDerivesTheStartupQueryInterval() {
        IgmpSettings igmp = config.interfaceFor("eth2").igmp();
        assertEquals(2, igmp.version());
        assertEquals(Duration.ofSeconds(60), igmp.queryInterval());
        assertEquals(Duration.ofSeconds(5), igmp.queryResponseInterval());
        assertEquals(Duration.ofSeconds(15), igmp.startupQueryInterval());
        assertEquals(2, igmp.startupQueryCount());
        assertEquals(2, igmp.lastMemberQueryCount());
        assertEquals(Duration.ofSeconds(1), igmp.lastMemberQueryInterval());
    }

    @Test
    void groupFiltersInheritAndOverride() {
        InterfaceConfig eth1 = config.interfaceFor("eth1");
        // eth1 writes no group list: it inherits both lists of the defaults block.
        assertTrue(eth1.groupFilter().permits(Ip4.parse("239.1.2.3")));
        assertFalse(eth1.groupFilter().permits(Ip4.parse("239.255.255.250")));
        InterfaceConfig eth2 = config.interfaceFor("eth2");
        // eth2 replaces the allow list, and still inherits the deny list.
        assertEquals(
                List.of(Ip4Prefix.parse("232.0.0.0/8"), Ip4Prefix.parse("233.0.0.0/8")),
                eth2.groupFilter().allow());
        assertEquals(
                List.of(Ip4Prefix.parse("239.255.255.250/32")),
                eth2.groupFilter().deny());
        assertFalse(eth2.groupFilter().permits(Ip4.parse("239.1.2.3")));
        assertFalse(eth2.sourceFilter().permits(Ip4.parse("192.168.100.13")));
        assertTrue(eth2.sourceFilter().permits(Ip4.parse("192.168.100.14")));
    }

    @Test
    void fastLeaveBoundaryAndThreshold() {
        assertTrue(config.interfaceFor("eth1").fastLeave());
        assertFalse(config.interfaceFor("eth2").fastLeave());
        assertEquals(
                List.of(Ip4Prefix.parse("239.0.0.0/8")),
                config.interfaceFor("eth1").scopeBoundaries());
        assertEquals(List.of(), config.interfaceFor("eth2").scopeBoundaries());
        assertEquals(1, config.interfaceFor("eth1").ttlThreshold());
    }

    @Test
    void groupRangesChooseTheUpstream() {
        assertEquals(
                "wg0",
                config.upstreamFor(Ip4.parse("239.193.1.1")).orElseThrow().name());
        assertEquals(
                "eth0", config.upstreamFor(Ip4.parse("232.1.1.1")).orElseThrow().name());
    }

    @Test
    void unlistedInterfaceGetsTheDefaultsDisabled() {
        InterfaceConfig other = config.interfaceFor("eth9");
        assertEquals(Role.DISABLED, other.role());
        assertEquals(IgmpSettings.RFC_DEFAULTS, other.igmp());
    }
}
