package dev.mcgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code max-adopted-robustness}, {@code max-adopted-query-interval}: values, errors, inheritance, reload. */
class QuerierAdoptionConfigTest {

    /** Line 2 is in the defaults block, line 9 in down0's. */
    private static String file(String inDefaults, String inDown0) {
        return """
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
                """.formatted(inDefaults, inDown0);
    }

    private static McgateConfig parse(String text) throws ConfigException {
        return ConfigLoader.parse(text, "t.conf", Format.NATIVE).config();
    }

    @Test
    void fourAnd250sUnlessWrittenAndForIgmpproxyFiles() throws ConfigException {
        QuerierAdoption d = parse(file("", "")).interfaceFor("down0").igmp().adoption();
        assertEquals(4, d.maxRobustness());
        assertEquals(Duration.ofSeconds(250), d.maxQueryInterval());
        McgateConfig igmpproxy = ConfigLoader.parse(
                        "phyint eth0 upstream\nphyint eth1 downstream\n", "igmpproxy.conf", Format.IGMPPROXY)
                .config();
        assertEquals(d, igmpproxy.interfaceFor("eth0").igmp().adoption());
    }

    @Test
    void inheritedFromDefaultsEachOverriddenByTheInterface() throws ConfigException {
        McgateConfig c = parse("unlisted-interfaces downstream\n"
                + file(
                        "max-adopted-robustness 3\n    max-adopted-query-interval 10m",
                        "max-adopted-query-interval 130s"));
        assertEquals(
                new QuerierAdoption(3, Duration.ofSeconds(600)),
                c.interfaceFor("up0").igmp().adoption(),
                "the upstream host side takes them too");
        assertEquals(
                new QuerierAdoption(3, Duration.ofSeconds(130)),
                c.interfaceFor("down0").igmp().adoption());
        assertEquals(
                new QuerierAdoption(3, Duration.ofSeconds(600)),
                c.interfaceFor("eth7").igmp().adoption(),
                "an unlisted one");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "max-adopted-robustness 0 | t.conf:9: max-adopted-robustness 0 is out of range 1..7",
                "max-adopted-robustness 8 | t.conf:9: max-adopted-robustness 8 is out of range 1..7",
                "max-adopted-query-interval 0s | t.conf:9: max-adopted-query-interval 0s is out of range 1s..31744s",
                "max-adopted-query-interval 40000s | t.conf:9: max-adopted-query-interval 40000s is out of range 1s..31744s",
                "max-adopted-query-interval 1500ms | t.conf:9: max-adopted-query-interval 1500ms is not a whole number"
                        + " of seconds (QQIC carries seconds, RFC 3376 §4.1.7)",
            })
    void badValuesAreReportedAtTheirLine(String statement, String expected) {
        ConfigException e = assertThrows(ConfigException.class, () -> parse(file("", statement)));
        assertEquals(
                List.of(expected),
                e.errors().stream().map(ConfigError::toString).toList());
    }

    @Test
    void renderedAndReadBackEqualAndAChangeIsNamed() throws ConfigException {
        McgateConfig before = parse(file("", ""));
        McgateConfig after = parse(file("max-adopted-robustness 5", "max-adopted-query-interval 30s"));
        String text = EffectiveConfigRenderer.render(after);
        assertTrue(text.contains("    max-adopted-robustness 5\n    max-adopted-query-interval 30s\n"), text);
        assertEquals(after, parse(text));
        assertEquals(
                List.of("max-adopted-robustness 4 -> 5", "max-adopted-query-interval 250s -> 30s"),
                ConfigDiff.settingsChanged(before.interfaceFor("down0"), after.interfaceFor("down0")));
    }
}
