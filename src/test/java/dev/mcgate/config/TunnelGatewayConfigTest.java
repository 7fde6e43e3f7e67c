package dev.mcgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The two documented tunnel gateway samples parse cleanly and give each side the roles their comments describe. */
class TunnelGatewayConfigTest {

    private static McgateConfig load(String file) throws ConfigException {
        LoadedConfig loaded = ConfigLoader.load(Path.of("conf", file), Format.AUTO);
        assertEquals(List.of(), loaded.warnings(), file);
        return loaded.config();
    }

    @Test
    void gatewayAQueriesOnTheTunnel() throws ConfigException {
        McgateConfig a = load("vxlan-gateway-a.conf");
        assertEquals(
                List.of("eth0"),
                a.withRole(Role.UPSTREAM).stream().map(InterfaceConfig::name).toList());
        assertEquals(
                List.of("vx0"),
                a.withRole(Role.DOWNSTREAM).stream().map(InterfaceConfig::name).toList());
        assertEquals(Role.DISABLED, a.interfaceFor("eth1").role());
        assertEquals(Duration.ofMillis(500), a.interfaceFor("vx0").igmp().lastMemberQueryInterval());
    }

    @Test
    void gatewayBReportsAcrossTheTunnel() throws ConfigException {
        McgateConfig b = load("vxlan-gateway-b.conf");
        assertEquals(
                List.of("vx0"),
                b.withRole(Role.UPSTREAM).stream().map(InterfaceConfig::name).toList());
        assertEquals(
                List.of("eth2", "eth3"),
                b.withRole(Role.DOWNSTREAM).stream().map(InterfaceConfig::name).toList());
        assertEquals(Role.DISABLED, b.interfaceFor("eth1").role());
    }
}
