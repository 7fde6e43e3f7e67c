package dev.mcgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code capture-buffer} statement: its values, its errors at file:line, inheritance, rendering and diffs. */
class CaptureBufferConfigTest {

    private static final String NOT_A_SIZE = "is not a size (write auto, or bytes with an optional K or M: 4M, 512K)";

    /** Line 3 is in the defaults block, line 10 in down0's. */
    private static String file(String inDefaults, String inDown0) {
        return """
                defaults {
                    fast-leave no
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

    private static List<String> errors(String text) {
        ConfigException e = assertThrows(ConfigException.class, () -> parse(text));
        return e.errors().stream().map(ConfigError::toString).toList();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "auto, 0",
        "AUTO, 0",
        "4M, 4194304",
        "4m, 4194304",
        "512K, 524288",
        "512k, 524288",
        "1048576, 1048576",
        "64K, 65536",
        "65536, 65536",
        "1024M, 1073741824",
        "1048576K, 1073741824"
    })
    void sizesWithBinaryUnits(String written, int bytes) throws ConfigException {
        McgateConfig c = parse(file("", "capture-buffer " + written));
        assertEquals(new CaptureBuffer(bytes), c.interfaceFor("down0").captureBuffer());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "capture-buffer 65535 | t.conf:10: capture-buffer 65535 is out of range 64K..1024M",
                "capture-buffer 16K | t.conf:10: capture-buffer 16K is out of range 64K..1024M",
                "capture-buffer 0 | t.conf:10: capture-buffer 0 is out of range 64K..1024M",
                "capture-buffer 1025M | t.conf:10: capture-buffer 1025M is out of range 64K..1024M",
                "capture-buffer 99999999999K | t.conf:10: capture-buffer: '99999999999K' " + NOT_A_SIZE,
                "capture-buffer 4G | t.conf:10: capture-buffer: '4G' " + NOT_A_SIZE,
                "capture-buffer 4MB | t.conf:10: capture-buffer: '4MB' " + NOT_A_SIZE,
                "capture-buffer 1.5M | t.conf:10: capture-buffer: '1.5M' " + NOT_A_SIZE,
                "capture-buffer -4M | t.conf:10: capture-buffer: '-4M' " + NOT_A_SIZE,
                "capture-buffer M | t.conf:10: capture-buffer: 'M' " + NOT_A_SIZE,
                "capture-buffer | t.conf:10: missing value for 'capture-buffer'",
                "capture-buffer 4M 8M | t.conf:10: too many values for 'capture-buffer': expected one, got 4M 8M"
            })
    void badSizesAreReportedAtTheirLine(String statement, String expected) {
        assertEquals(List.of(expected), errors(file("", statement)));
    }

    @Test
    void tooManyDigitsIsNotASizeRatherThanAnOverflow() {
        // Eleven digits: refused before any multiplication could wrap round into the range.
        assertEquals(
                List.of("t.conf:3: capture-buffer: '17592186044416K' " + NOT_A_SIZE),
                errors(file("capture-buffer 17592186044416K", "")));
    }

    @Test
    void inDefaultsItIsReportedThereAndWithTheOtherErrors() {
        assertEquals(
                List.of(
                        "t.conf:3: capture-buffer 1K is out of range 64K..1024M",
                        "t.conf:10: capture-buffer: 'lots' " + NOT_A_SIZE),
                errors(file("capture-buffer 1K", "capture-buffer lots")));
    }

    @Test
    void autoUnlessWritten() throws ConfigException {
        McgateConfig c = parse(file("", ""));
        assertEquals(CaptureBuffer.AUTO, c.defaults().captureBuffer());
        assertEquals(CaptureBuffer.AUTO, c.interfaceFor("up0").captureBuffer());
        assertEquals(CaptureBuffer.AUTO, c.interfaceFor("down0").captureBuffer());
        assertEquals(CaptureBuffer.AUTO, InterfaceDefaults.BUILT_IN.captureBuffer());
    }

    @Test
    void inheritedFromDefaultsOverriddenByTheInterface() throws ConfigException {
        McgateConfig c = parse("unlisted-interfaces downstream\n" + file("capture-buffer 2M", "capture-buffer auto"));
        assertEquals(new CaptureBuffer(2 << 20), c.interfaceFor("up0").captureBuffer());
        assertEquals(CaptureBuffer.AUTO, c.interfaceFor("down0").captureBuffer(), "auto written overrides 2M");
        assertEquals(new CaptureBuffer(2 << 20), c.interfaceFor("eth7").captureBuffer(), "an unlisted interface");
    }

    @Test
    void igmpproxyFilesGetAuto() throws ConfigException {
        McgateConfig c = ConfigLoader.parse(
                        "phyint eth0 upstream\nphyint eth1 downstream\n", "igmpproxy.conf", Format.IGMPPROXY)
                .config();
        assertEquals(CaptureBuffer.AUTO, c.interfaceFor("eth0").captureBuffer());
        assertEquals(CaptureBuffer.AUTO, c.interfaceFor("eth1").captureBuffer());
    }

    @Test
    void renderedInTheLargestUnitThatDividesAndReadBackEqual() throws ConfigException {
        assertEquals("auto", CaptureBuffer.AUTO.keyword());
        assertEquals("4M", new CaptureBuffer(4 << 20).keyword());
        assertEquals("1536K", new CaptureBuffer(1536 << 10).keyword());
        assertEquals("988800", new CaptureBuffer(988_800).keyword());
        McgateConfig c = parse(file("capture-buffer 1536k", "capture-buffer 988800"));
        String text = EffectiveConfigRenderer.render(c);
        assertTrue(
                text.contains(
                        "\n    capture-buffer 1536K\n    max-groups 1024\n    max-sources 64\n    max-hosts 64\n    igmp-rate-limit 1000\n    max-adopted-robustness 4\n    max-adopted-query-interval 250s\n}\n\ninterface up0"),
                text);
        assertTrue(
                text.contains(
                        "\n    capture-buffer 988800\n    max-groups 1024\n    max-sources 64\n    max-hosts 64\n    igmp-rate-limit 1000\n    max-adopted-robustness 4\n    max-adopted-query-interval 250s\n}\n"),
                text);
        assertEquals(c, parse(text));
    }

    @Test
    void outOfRangeValuesCannotBeBuiltInCodeEither() {
        assertThrows(IllegalArgumentException.class, () -> new CaptureBuffer(CaptureBuffer.MIN_BYTES - 1));
        assertThrows(IllegalArgumentException.class, () -> new CaptureBuffer(CaptureBuffer.MAX_BYTES + 1));
        assertThrows(IllegalArgumentException.class, () -> new CaptureBuffer(-1));
    }

    @Test
    void aChangeIsAChangedInterfaceAndNamedWithBothValues() throws ConfigException {
        McgateConfig before = parse(file("", ""));
        McgateConfig after = parse(file("", "capture-buffer 4M"));
        ConfigDiff diff = ConfigDiff.between(before, after);
        assertEquals(List.of("down0"), diff.changed());
        assertEquals(
                List.of("capture-buffer auto -> 4M"),
                ConfigDiff.settingsChanged(before.interfaceFor("down0"), after.interfaceFor("down0")));
        assertTrue(diff.restartNeeded().isEmpty(), "not a setting read only at start");
    }

    @Test
    void aChangeInDefaultsChangesEveryInterfaceThatInheritsIt() throws ConfigException {
        ConfigDiff diff = ConfigDiff.between(
                parse(file("", "capture-buffer 4M")), parse(file("capture-buffer 8M", "capture-buffer 4M")));
        assertEquals(List.of("up0"), diff.changed());
        assertTrue(diff.unlistedChanged(), "unlisted interfaces take the defaults too");
    }
}
