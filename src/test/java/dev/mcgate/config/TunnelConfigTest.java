package dev.mcgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.net.Ip4;
import dev.mcgate.net.Ip6;
import dev.mcgate.net.IpFamily;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tunnel blocks: values, defaults, errors at their line, the rendered form reads back, the samples parse. */
class TunnelConfigTest {

    @TempDir
    Path dir;

    private Path key;

    @BeforeEach
    void key() throws Exception {
        key = dir.resolve("t.key");
        Files.writeString(key, Base64.getEncoder().encodeToString(new byte[32]) + "\n");
    }

    private McgateConfig parse(String text) throws ConfigException {
        return ConfigLoader.parse(text.replace("KEY", key.toString()), "t.conf", Format.NATIVE)
                .config();
    }

    private ConfigException errors(String text) {
        return assertThrows(ConfigException.class, () -> parse(text));
    }

    private static final String B = """
            interface down1 {
                role downstream
            }
            tunnel exch {
                role upstream
                local 10.9.2.1:7400
                peer 10.9.1.1:7401
                key-file KEY
                keepalive 200ms
                dead-interval 2s
                mtu 1400
                ttl 8
                remap 239.100.0.1 239.1.1.1
            }
            """;

    @Test
    void theTunnelRunsTheFamiliesTheDefaultsGiveEveryInterface() throws Exception {
        // The tunnel carries both families: its interface runs what the defaults say, as any interface does.
        assertEquals(
                Set.of(IpFamily.IPV4, IpFamily.IPV6),
                parse(B).tunnel("exch").orElseThrow().asInterface().families());
        assertEquals(
                Set.of(IpFamily.IPV4),
                parse("defaults {\n    ipv6 off\n}\n" + B)
                        .tunnel("exch")
                        .orElseThrow()
                        .asInterface()
                        .families());
    }

    @Test
    void ipv6GroupsRemapWithinTheirFamilyAndAreAskedForUnderTheFarSideName() throws Exception {
        TunnelConfig t = parse(B.replace("remap 239.100.0.1 239.1.1.1", "remap ff3e::100:1 ff3e::1:1"))
                .tunnel("exch")
                .orElseThrow();
        Ip6 remote = Ip6.parse("ff3e::100:1");
        Ip6 local = Ip6.parse("ff3e::1:1");
        assertEquals(local, t.localGroup(remote));
        assertEquals(remote, t.remoteGroup(local));
        assertEquals(null, t.remoteGroup(remote), "a remapped group is not asked for as itself");
        Ip6 other = Ip6.parse("ff0e::9");
        assertEquals(other, t.remoteGroup(other));
    }

    @Test
    void aRemapAcrossFamiliesOrToALinkScopeGroupIsAnErrorAtItsLine() {
        String across = String.join(
                "\n",
                errors(B.replace("remap 239.100.0.1 239.1.1.1", "remap 239.100.0.1 ff3e::1:1")).errors().stream()
                        .map(x -> x.line() + ": " + x.message())
                        .toList());
        assertTrue(across.contains("13: remap: 239.100.0.1 and ff3e::1:1 are of different families"), across);
        String linkScope = String.join(
                "\n",
                errors(B.replace("remap 239.100.0.1 239.1.1.1", "remap ff3e::100:1 ff02::1:3")).errors().stream()
                        .map(x -> x.line() + ": " + x.message())
                        .toList());
        assertTrue(linkScope.contains("13: remap: ff02::1:3 is not a routable multicast group"), linkScope);
    }

    @Test
    void aTunnelIsAnInterfaceOfItsRoleWithItsSettings() throws Exception {
        McgateConfig c = parse(B);
        TunnelConfig t = c.tunnel("exch").orElseThrow();
        assertEquals(Role.UPSTREAM, t.role());
        assertEquals(Ip4.parse("10.9.2.1"), t.localAddress());
        assertEquals(7401, t.peerPort());
        assertEquals(Duration.ofMillis(200), t.keepalive());
        assertEquals(1400, t.mtu());
        assertEquals(8, t.ttl());
        assertEquals(Ip4.parse("239.1.1.1"), t.localGroup(Ip4.parse("239.100.0.1")));
        assertEquals(Ip4.parse("239.100.0.1"), t.remoteGroup(Ip4.parse("239.1.1.1")));
        assertEquals(null, t.remoteGroup(Ip4.parse("239.100.0.1")), "a remapped group is not asked for as itself");
        // The only upstream: it owns every group, and the proxy sees it as an upstream.
        assertEquals("exch", c.upstreamFor(Ip4.parse("239.5.5.5")).orElseThrow().name());
        assertEquals(Role.UPSTREAM, c.interfaceFor("exch").role());
    }

    @Test
    void defaultsFillTheRest() throws Exception {
        TunnelConfig t = parse("""
                interface eth0 {
                    role upstream
                }
                tunnel floor {
                    role downstream
                    local 0.0.0.0:7400
                    peer 192.0.2.2:7400
                    key-file KEY
                }
                """).tunnel("floor").orElseThrow();
        assertEquals(TunnelConfig.DEFAULT_KEEPALIVE, t.keepalive());
        assertEquals(TunnelConfig.DEFAULT_DEAD_INTERVAL, t.deadInterval());
        assertEquals(TunnelConfig.DEFAULT_MTU, t.mtu());
        assertEquals(0, t.ttl());
    }

    @Test
    void theRenderedConfigurationReadsBackEqual() throws Exception {
        McgateConfig c = parse(B);
        String rendered = EffectiveConfigRenderer.render(c);
        assertTrue(rendered.contains("tunnel exch {"), rendered);
        assertEquals(c, ConfigLoader.parse(rendered, "r.conf", Format.NATIVE).config());
    }

    @Test
    void mistakesAreReportedAtTheirLine() {
        ConfigException e = errors("""
                interface down1 {
                    role downstream
                }
                tunnel down1 {
                    role upstream
                }
                tunnel t2 {
                    role sideways
                    local 10.0.0.1
                    peer 224.0.0.5:1
                    key-file relative.key
                    keepalive 1s
                    dead-interval 1s
                    colour blue
                }
                tunnel t3 {
                    role downstream
                    local 10.0.0.1:7400
                    peer 10.0.0.2:7400
                    key-file KEY
                    remap 239.1.1.1 239.2.2.2
                    ttl 4
                }
                """);
        List<String> lines =
                e.errors().stream().map(x -> x.line() + ": " + x.message()).toList();
        String all = String.join("\n", lines);
        assertTrue(all.contains("4: tunnel down1: the name is already used by the interface at line 1"), all);
        assertTrue(all.contains("8: a tunnel's role is upstream"), all);
        assertTrue(all.contains("9: local: write ADDRESS:PORT"), all);
        assertTrue(all.contains("10: peer must be a unicast address"), all);
        assertTrue(all.contains("11: key-file must be an absolute path"), all);
        assertTrue(all.contains("13: tunnel t2: dead-interval 1s must be at least twice keepalive 1s"), all);
        assertTrue(all.contains("14: unknown keyword 'colour' in tunnel t2"), all);
        assertTrue(all.contains("21: remap belongs on the receiving side"), all);
        assertTrue(all.contains("22: ttl belongs on the receiving side"), all);
    }

    @Test
    void aKeyFileThatIsMissingOrTheWrongLengthIsAnError() throws Exception {
        Path shortKey = dir.resolve("short.key");
        Files.writeString(shortKey, Base64.getEncoder().encodeToString(new byte[16]));
        String text = B.replace("KEY", shortKey.toString());
        ConfigException e =
                assertThrows(ConfigException.class, () -> ConfigLoader.parse(text, "t.conf", Format.NATIVE));
        assertTrue(
                e.getMessage().contains("t.conf:8: key-file " + shortKey + ": the key is 16 octets; it must be 32"),
                e.getMessage());
        String missing = B.replace("KEY", dir.resolve("none.key").toString());
        e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(missing, "t.conf", Format.NATIVE));
        assertTrue(e.getMessage().contains("no such file"), e.getMessage());
    }

    @Test
    void aChangedTunnelIsListedByTheDiff() throws Exception {
        McgateConfig before = parse(B);
        McgateConfig after = parse(B.replace("ttl 8", "ttl 9"));
        assertEquals(List.of("exch"), ConfigDiff.between(before, after).changed());
        McgateConfig without = parse(B.replace("tunnel exch", "tunnel exch2"));
        ConfigDiff d = ConfigDiff.between(before, without);
        assertEquals(List.of("exch2"), d.added());
        assertEquals(List.of("exch"), d.removed());
    }

    @Test
    void theSampleConfigurationsParse() throws Exception {
        for (String name : List.of("conf/tunnel-exchange.conf", "conf/tunnel-trading-floor.conf")) {
            String text = Files.readString(Path.of(name)).replace("/etc/mcgate/tunnel.key", key.toString());
            McgateConfig c = ConfigLoader.parse(text, name, Format.AUTO).config();
            assertEquals(1, c.tunnels().size(), name);
        }
    }

    @Test
    void aKeyFileOthersCanWriteOrALinkToOneIsAnErrorAtItsLine() throws Exception {
        Files.setPosixFilePermissions(key, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-rw-"));
        String writable = errors(B).getMessage();
        assertTrue(writable.contains("8: key-file " + key + ": can be written by its group or by others"), writable);

        Files.setPosixFilePermissions(key, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----"));
        Path link = Files.createSymbolicLink(dir.resolve("link.key"), key);
        String linked = assertThrows(
                        ConfigException.class,
                        () -> ConfigLoader.parse(B.replace("KEY", link.toString()), "t.conf", Format.NATIVE))
                .getMessage();
        assertTrue(linked.contains("8: key-file " + link + ": is a symbolic link"), linked);
    }

    @Test
    void aCredentialKeyOutsideSystemdSaysWhatIsMissing() {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("CREDENTIALS_DIRECTORY") == null);
        String message = errors(B.replace("KEY", "credential:tunnel.key")).getMessage();
        assertTrue(message.contains("8: key-file credential:tunnel.key: $CREDENTIALS_DIRECTORY is not set"), message);
    }
}
