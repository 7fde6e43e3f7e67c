package dev.mcgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The effective configuration printed in native syntax reads back as an equal configuration. */
class RoundTripTest {

    @Test
    void sampleConfigRoundTrips() throws ConfigException {
        assertRoundTrip(
                ConfigLoader.load(Path.of("conf/mcgate.conf"), Format.AUTO).config());
    }

    @Test
    void igmpproxyConfigRoundTripsThroughNativeSyntax() throws ConfigException {
        McgateConfig fromIgmpproxy = ConfigLoader.load(Path.of("src/test/resources/config/igmpproxy.conf"), Format.AUTO)
                .config();
        assertRoundTrip(fromIgmpproxy);
    }

    @Test
    void nonDefaultValuesEverywhereRoundTrip() throws ConfigException {
        McgateConfig config = ConfigLoader.parse("""
                control-socket /tmp/other.sock
                metrics-listen [::1]:9310
                log-level trace
                unlisted-interfaces downstream
                packet-io af-xdp
                xdp-mode native
                user mc-gate_1
                defaults {
                    igmp-version 1
                    robustness 5
                    query-interval 2m
                    query-response-interval 12.5s
                    last-member-query-interval 300ms
                    startup-query-interval 7.5s
                    fast-leave on
                    ttl-threshold 16
                    allow-group 239.0.0.0/8
                    deny-group 239.9.9.9
                    allow-source 10.0.0.0/8
                    deny-source 10.9.0.0/16
                    boundary 239.192.0.0/14
                    repair-udp-checksum yes
                    capture-buffer 1536k
                }
                interface up0 {
                    role upstream
                    upstream-groups 239.1.0.0/16 239.2.0.0/16
                    deny-group none
                    capture-buffer 65537
                }
                interface down0 {
                    role downstream
                    altnet 0.0.0.0/0
                    query-interval 1s
                    query-response-interval 0.5s
                    boundary none
                    repair-udp-checksum no
                }
                """, "t.conf", Format.NATIVE).config();
        assertEquals(
                java.util.Optional.of(new ListenAddress("::1", 9310)),
                config.global().metricsListen());
        assertRoundTrip(config);
    }

    @Test
    void noMetricsListenByDefaultAndNoneWritten() throws ConfigException {
        McgateConfig config = ConfigLoader.parse("interface a {\n role upstream\n}\n", "t.conf", Format.NATIVE)
                .config();
        assertEquals(java.util.Optional.empty(), config.global().metricsListen());
        assertFalse(EffectiveConfigRenderer.render(config).contains("metrics-listen"));
        McgateConfig on = ConfigLoader.parse(
                        "metrics-listen 0.0.0.0:9310\ninterface a {\n role upstream\n}\n", "t.conf", Format.NATIVE)
                .config();
        assertTrue(EffectiveConfigRenderer.render(on).contains("\nmetrics-listen 0.0.0.0:9310\n"));
    }

    @Test
    void renderedTextWritesEveryDefault() throws ConfigException {
        McgateConfig config = ConfigLoader.parse(
                        "interface a {\n role upstream\n}\ninterface b {\n role downstream\n}\n",
                        "t.conf",
                        Format.NATIVE)
                .config();
        String text = EffectiveConfigRenderer.render(config);
        assertTrue(text.contains("""
                interface b {
                    # runs IPv4 (IGMPv3) and IPv6 (MLDv2)
                    role downstream
                    igmp-version 3
                    robustness 2
                    query-interval 125s
                    query-response-interval 10s
                    last-member-query-interval 1s
                    last-member-query-count 2
                    startup-query-interval 31.25s
                    startup-query-count 2
                    ipv4 on
                    ipv6 on
                    mld-version 2
                    fast-leave no
                    ttl-threshold 1
                    allow-group 224.0.0.0/4 ff00::/8
                    deny-group none
                    allow-source 0.0.0.0/0 ::/0
                    deny-source none
                    boundary none
                    repair-udp-checksum no
                    capture-buffer auto
                    max-groups 1024
                    max-sources 64
                    max-hosts 64
                    igmp-rate-limit 1000
                    max-adopted-robustness 4
                    max-adopted-query-interval 250s
                }
                """), text);
        assertTrue(text.contains("control-socket /run/mcgate/mcgate.sock\n"), text);
    }

    @Test
    void equalityIsNotTrivial() throws ConfigException {
        // Guards the round-trip tests: configs that differ in one value must not compare equal.
        McgateConfig a = ConfigLoader.parse("interface a {\n role upstream\n}\n", "t.conf", Format.NATIVE)
                .config();
        McgateConfig b = ConfigLoader.parse(
                        "interface a {\n role upstream\n ttl-threshold 2\n}\n", "t.conf", Format.NATIVE)
                .config();
        assertNotEquals(a, b);
    }

    private static void assertRoundTrip(McgateConfig config) throws ConfigException {
        String text = EffectiveConfigRenderer.render(config);
        LoadedConfig again = ConfigLoader.parse(text, "rendered.conf", Format.AUTO);
        assertEquals(Format.NATIVE, again.detected());
        assertEquals(config, again.config(), text);
        // Rendering is stable: the re-read config prints the same text.
        assertEquals(text, EffectiveConfigRenderer.render(again.config()));
    }
}
