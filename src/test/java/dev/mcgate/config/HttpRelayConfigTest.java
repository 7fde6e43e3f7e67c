package dev.mcgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.net.IpAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The HTTP relay's statements: defaults, the listen forms, errors at their line, rendering and reload diffs. */
class HttpRelayConfigTest {

    private static final String INTERFACES = """
            defaults {
                deny-group 239.9.0.0/16
            }
            interface up0 {
                role upstream
            }
            """;

    private static LoadedConfig load(String globals) throws ConfigException {
        return ConfigLoader.parse(globals + INTERFACES, "t.conf", Format.NATIVE);
    }

    private static McgateConfig parse(String globals) throws ConfigException {
        return load(globals).config();
    }

    @Test
    void theIptvExampleLoadsAsItsCommentsSay() throws Exception {
        LoadedConfig loaded = ConfigLoader.load(java.nio.file.Path.of("conf/iptv-http-relay.conf"), Format.AUTO);
        assertEquals(List.of(), loaded.warnings());
        McgateConfig c = loaded.config();
        HttpRelayConfig h = c.global().httpRelay().orElseThrow();
        assertEquals("192.168.1.1:4022", h.listen().toString());
        assertTrue(h.allows(IpAddress.parse("192.168.2.30")));
        assertFalse(h.allows(IpAddress.parse("10.0.0.1")));
        InterfaceConfig relay = c.httpRelayInterface().orElseThrow();
        assertTrue(relay.groupFilter().permits(IpAddress.parse("239.255.1.1")));
        assertFalse(relay.groupFilter().permits(IpAddress.parse("239.255.255.250")));
        assertEquals(Role.DISABLED, c.interfaceFor("wlan0").role());
    }

    @Test
    void anUpstreamAndTheRelayAloneAreAWholeConfiguration() throws ConfigException {
        LoadedConfig relayOnly =
                ConfigLoader.parse("http-listen 8080\ninterface up0 {\n role upstream\n}\n", "t.conf", Format.NATIVE);
        assertEquals(List.of(), relayOnly.warnings(), "the relay is a downstream: something is forwarded");
        LoadedConfig nothing = ConfigLoader.parse("interface up0 {\n role upstream\n}\n", "t.conf", Format.NATIVE);
        assertTrue(
                nothing.warnings().toString().contains("no downstream interface"),
                nothing.warnings().toString());
    }

    @Test
    void offUnlessHttpListenIsWritten() throws ConfigException {
        McgateConfig c = parse("");
        assertTrue(c.global().httpRelay().isEmpty());
        assertTrue(c.httpRelayInterface().isEmpty());
        assertEquals(
                Role.DISABLED, c.interfaceFor(HttpRelayConfig.INTERFACE_NAME).role());
    }

    @Test
    void aBarePortListensOnLoopbackForLoopbackClientsWithTheDocumentedDefaults() throws ConfigException {
        HttpRelayConfig h = parse("http-listen 8080\n").global().httpRelay().orElseThrow();
        assertEquals("127.0.0.1:8080", h.listen().toString());
        assertTrue(h.allows(IpAddress.parse("127.0.0.1")));
        assertTrue(h.allows(IpAddress.parse("::1")));
        assertFalse(h.allows(IpAddress.parse("192.168.1.20")));
        assertEquals(Duration.ofSeconds(3), h.linger());
        assertEquals(256, h.maxClients());
        assertEquals(64, h.maxClientsPerGroup());
        assertEquals(1024, h.clientQueue());
        assertEquals(256 * 1024, h.clientQueueBytes());
        assertEquals(8, h.maxClientsPerAddress());
        assertEquals(10, h.joinRate());
        assertEquals(Duration.ofSeconds(5), h.firstDatagramTimeout());
        assertEquals(32L * 1024 * 1024, h.queueBudget());
    }

    @Test
    void theGlobalQueueBudgetTakesASizeAndWarnsWhenOneClientsQueueIsLarger() throws ConfigException {
        LoadedConfig big = load("http-listen 8080\nhttp-queue-budget 6GB\n");
        assertEquals(6L << 30, big.config().global().httpRelay().orElseThrow().queueBudget());
        assertEquals(List.of(), big.warnings());
        LoadedConfig small = load("http-listen 8080\nhttp-client-queue-bytes 1MB\nhttp-queue-budget 524288\n");
        assertEquals(
                512 * 1024, small.config().global().httpRelay().orElseThrow().queueBudget());
        assertEquals(
                List.of("t.conf:3: http-queue-budget 524288 is less than http-client-queue-bytes 1048576: a client"
                        + " that falls behind is cut by the budget (http_relay_budget_cuts) before it counts as slow"),
                small.warnings().stream().map(Object::toString).toList());
    }

    @Test
    void theHostileClientLimitsTakeSizesRatesAndDurations() throws ConfigException {
        HttpRelayConfig h = parse("http-listen 8080\nhttp-client-queue-bytes 2MB\nhttp-max-clients-per-address 3\n"
                        + "http-join-rate 4\nhttp-first-datagram-timeout 2500ms\n")
                .global()
                .httpRelay()
                .orElseThrow();
        assertEquals(2L * 1024 * 1024, h.clientQueueBytes());
        assertEquals(3, h.maxClientsPerAddress());
        assertEquals(4, h.joinRate());
        assertEquals(Duration.ofMillis(2500), h.firstDatagramTimeout());
        assertEquals(
                300_000,
                parse("http-listen 8080\nhttp-client-queue-bytes 300000\n")
                        .global()
                        .httpRelay()
                        .orElseThrow()
                        .clientQueueBytes());
    }

    @Test
    void anExplicitAddressServesEveryoneUnlessHttpAllowSaysOtherwiseAndWarns() throws ConfigException {
        LoadedConfig open = load("http-listen 0.0.0.0:8080\n");
        assertTrue(open.config().global().httpRelay().orElseThrow().allows(IpAddress.parse("192.168.1.20")));
        assertTrue(
                open.warnings().stream().anyMatch(w -> w.toString().contains("without http-allow")),
                open.warnings().toString());
        HttpRelayConfig listed = parse("http-listen [::]:8080\nhttp-allow 192.168.1.0/24\nhttp-allow 2001:db8::/32\n")
                .global()
                .httpRelay()
                .orElseThrow();
        assertEquals("[::]:8080", listed.listen().toString());
        assertTrue(listed.allows(IpAddress.parse("192.168.1.20")));
        assertTrue(listed.allows(IpAddress.parse("2001:db8::5")));
        assertFalse(listed.allows(IpAddress.parse("10.0.0.1")));
        assertFalse(listed.allows(IpAddress.parse("127.0.0.1")));
    }

    @Test
    void theRelayIsADownstreamWithTheDefaultsBlocksFilters() throws ConfigException {
        McgateConfig c = parse("http-listen 8080\n");
        InterfaceConfig relay = c.interfaceFor(HttpRelayConfig.INTERFACE_NAME);
        assertEquals(Role.DOWNSTREAM, relay.role());
        assertFalse(relay.groupFilter().permits(IpAddress.parse("239.9.1.1")));
        assertTrue(relay.groupFilter().permits(IpAddress.parse("239.1.1.1")));
        assertTrue(c.withRole(Role.DOWNSTREAM).contains(relay));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "http-listen localhost:80 | t.conf:1: http-listen must be PORT (on 127.0.0.1) or ADDRESS:PORT with an IP"
                        + " address and a port 1..65535 (8080, 0.0.0.0:8080, [::]:8080), not 'localhost:80'",
                "http-listen 70000 | t.conf:1: http-listen must be PORT (on 127.0.0.1) or ADDRESS:PORT with an IP"
                        + " address and a port 1..65535 (8080, 0.0.0.0:8080, [::]:8080), not '70000'",
                "http-linger soon | t.conf:1: http-linger: 'soon' is not a duration (write e.g. 125, 125s, 1.5s, 100ms)",
                "http-max-clients 0 | t.conf:1: http-max-clients 0 is out of range 1..100000",
                "http-max-clients-per-group x | t.conf:1: http-max-clients-per-group: 'x' is not a whole number",
                "http-client-queue 4 | t.conf:1: http-client-queue 4 is out of range 16..1000000",
                "http-client-queue-bytes 2TB | t.conf:1: http-client-queue-bytes: '2TB' is not a size (262144, 256KB,"
                        + " 2MB)",
                "http-client-queue-bytes 1KB | t.conf:1: http-client-queue-bytes 1KB is out of range"
                        + " 16384..1073741824 bytes",
                "http-join-rate 0 | t.conf:1: http-join-rate 0 is out of range 1..100000",
                "http-queue-budget 100KB | t.conf:1: http-queue-budget 100KB is out of range 262144..68719476736 bytes",
                "http-queue-budget 65GB | t.conf:1: http-queue-budget 65GB is out of range 262144..68719476736 bytes",
                "http-queue-budget lots | t.conf:1: http-queue-budget: 'lots' is not a size (262144, 256KB, 2MB)",
                "http-queue-budget 99999999999999 | t.conf:1: http-queue-budget: '99999999999999' is not a size"
                        + " (262144, 256KB, 2MB)",
                "http-first-datagram-timeout 10m | t.conf:1: http-first-datagram-timeout 10m is out of range 0.1s..60s",
                "http-allow 239.0.0.0/8 | t.conf:1: http-allow 239.0.0.0/8 is a multicast range; sources are unicast"
                        + " addresses",
            })
    void badValuesAreReportedAtTheirLine(String statement, String expected) {
        ConfigException e = assertThrows(ConfigException.class, () -> parse(statement + "\n"));
        assertEquals(
                List.of(expected),
                e.errors().stream().map(ConfigError::toString).toList());
    }

    @Test
    void repeatedOrInsideABlockIsAnError() {
        ConfigException twice = assertThrows(ConfigException.class, () -> parse("http-listen 80\nhttp-listen 81\n"));
        assertEquals(
                List.of("t.conf:2: 'http-listen' is already set at line 1"),
                twice.errors().stream().map(ConfigError::toString).toList());
        ConfigException inBlock = assertThrows(
                ConfigException.class,
                () -> ConfigLoader.parse(
                        "interface up0 {\n role upstream\n http-linger 5\n}\n", "t.conf", Format.NATIVE));
        assertEquals(
                List.of("t.conf:3: 'http-linger' is a global setting; write it outside any block"),
                inBlock.errors().stream().map(ConfigError::toString).toList());
    }

    @Test
    void settingsWithoutHttpListenWarnThatTheRelayIsOff() throws ConfigException {
        LoadedConfig c = load("http-linger 5\n");
        assertTrue(c.config().global().httpRelay().isEmpty());
        assertTrue(
                c.warnings().stream()
                        .anyMatch(w -> w.toString().contains("t.conf:1: http-* settings without http-listen")),
                c.warnings().toString());
    }

    @Test
    void renderedAndReadBackEqualAndAReloadSeesTheChange() throws ConfigException {
        McgateConfig off = parse("");
        McgateConfig on = parse("http-listen 10.0.0.1:8080\nhttp-allow 10.0.0.0/8\nhttp-linger 1500ms\n"
                + "http-max-clients 10\nhttp-max-clients-per-group 5\nhttp-client-queue 64\n"
                + "http-queue-budget 1536KB\n");
        String text = EffectiveConfigRenderer.render(on);
        assertTrue(
                text.contains("http-listen 10.0.0.1:8080\nhttp-allow 10.0.0.0/8\nhttp-linger 1.5s\n"
                        + "http-max-clients 10\nhttp-max-clients-per-group 5\nhttp-client-queue 64\n"),
                text);
        assertTrue(text.contains("http-queue-budget 1536KB\n"), text);
        assertTrue(EffectiveConfigRenderer.render(parse("http-listen 8080\n")).contains("http-queue-budget 32MB\n"));
        assertEquals(on, ConfigLoader.parse(text, "t.conf", Format.NATIVE).config());
        McgateConfig defaulted = parse("http-listen 8080\n");
        assertTrue(EffectiveConfigRenderer.render(defaulted).contains("# default: http-allow 127.0.0.0/8 ::1/128\n"));
        assertEquals(
                defaulted,
                ConfigLoader.parse(EffectiveConfigRenderer.render(defaulted), "t.conf", Format.NATIVE)
                        .config());

        assertEquals(
                List.of(HttpRelayConfig.INTERFACE_NAME),
                ConfigDiff.between(off, on).added());
        assertEquals(
                List.of(HttpRelayConfig.INTERFACE_NAME),
                ConfigDiff.between(on, off).removed());
        assertEquals(
                List.of(HttpRelayConfig.INTERFACE_NAME),
                ConfigDiff.between(on, defaulted).changed());
        assertTrue(ConfigDiff.between(on, on).isEmpty());
    }
}
