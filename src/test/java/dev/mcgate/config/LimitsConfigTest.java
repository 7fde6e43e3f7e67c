package dev.mcgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code max-groups}, {@code max-sources}, {@code max-hosts}, {@code igmp-rate-limit}: values, errors, inheritance. */
class LimitsConfigTest {

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
    void defaultsUnlessWrittenAndForIgmpproxyFiles() throws ConfigException {
        assertEquals(new MembershipLimits(1024, 64, 64, 1000), MembershipLimits.DEFAULTS);
        McgateConfig c = parse(file("", ""));
        assertEquals(MembershipLimits.DEFAULTS, c.interfaceFor("down0").limits());
        McgateConfig igmpproxy = ConfigLoader.parse(
                        "phyint eth0 upstream\nphyint eth1 downstream\n", "igmpproxy.conf", Format.IGMPPROXY)
                .config();
        assertEquals(MembershipLimits.DEFAULTS, igmpproxy.interfaceFor("eth1").limits());
    }

    @Test
    void inheritedFromDefaultsEachOverriddenByTheInterface() throws ConfigException {
        McgateConfig c = parse("unlisted-interfaces downstream\n"
                + file("max-groups 500\n    igmp-rate-limit 50", "max-sources 8\n    max-hosts 4\n    max-groups 9"));
        assertEquals(
                new MembershipLimits(500, 64, 64, 50), c.interfaceFor("up0").limits());
        assertEquals(new MembershipLimits(9, 8, 4, 50), c.interfaceFor("down0").limits());
        assertEquals(
                new MembershipLimits(500, 64, 64, 50), c.interfaceFor("eth7").limits(), "an unlisted one");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "max-groups 0 | t.conf:9: max-groups 0 is out of range 1..1000000",
                "max-sources 65537 | t.conf:9: max-sources 65537 is out of range 1..65536",
                "max-hosts -1 | t.conf:9: max-hosts: '-1' is not a whole number",
                "igmp-rate-limit many | t.conf:9: igmp-rate-limit: 'many' is not a whole number",
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
        McgateConfig after = parse(file("max-hosts 7", "max-groups 100"));
        String text = EffectiveConfigRenderer.render(after);
        assertTrue(
                text.contains("    max-groups 100\n    max-sources 64\n    max-hosts 7\n    igmp-rate-limit 1000\n"));
        assertEquals(after, parse(text));
        assertEquals(
                List.of("max-groups 1024 -> 100", "max-hosts 64 -> 7"),
                ConfigDiff.settingsChanged(before.interfaceFor("down0"), after.interfaceFor("down0")));
    }
}
