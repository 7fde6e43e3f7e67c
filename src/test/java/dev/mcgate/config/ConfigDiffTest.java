package dev.mcgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What a reload has to redo. */
class ConfigDiffTest {

    private static McgateConfig parse(String text) throws ConfigException {
        return ConfigLoader.parse(text, "t.conf", Format.NATIVE).config();
    }

    private static final String BEFORE = """
            interface up0 {
                role upstream
            }
            interface down0 {
                role downstream
            }
            interface down1 {
                role downstream
            }
            """;

    @Test
    void sameConfigIsEmpty() throws ConfigException {
        assertTrue(ConfigDiff.between(parse(BEFORE), parse(BEFORE)).isEmpty());
    }

    @Test
    void addedRemovedAndChangedInterfaces() throws ConfigException {
        McgateConfig after = parse("""
                log-level debug
                interface up0 {
                    role upstream
                }
                interface down0 {
                    role downstream
                    fast-leave yes
                }
                interface down2 {
                    role downstream
                }
                """);
        ConfigDiff diff = ConfigDiff.between(parse(BEFORE), after);
        assertEquals(List.of("down2"), diff.added());
        assertEquals(List.of("down1"), diff.removed());
        assertEquals(List.of("down0"), diff.changed());
        assertTrue(diff.logLevelChanged());
        assertFalse(diff.controlSocketChanged());
        assertFalse(diff.unlistedChanged());
        assertFalse(diff.isEmpty());
    }

    @Test
    void changedDefaultsChangeInterfacesAndUnlisted() throws ConfigException {
        ConfigDiff diff = ConfigDiff.between(parse(BEFORE), parse("defaults {\n    robustness 3\n}\n" + BEFORE));
        assertEquals(List.of("up0", "down0", "down1"), diff.changed());
        assertTrue(diff.unlistedChanged());
    }

    @Test
    void settingsReadOnlyAtStartAreListedWithOldAndNewValues() throws ConfigException {
        ConfigDiff diff = ConfigDiff.between(
                parse(BEFORE),
                parse("packet-io af-xdp\nxdp-mode generic\nuser mcgate\nmetrics-listen 127.0.0.1:9310\n" + BEFORE));
        assertEquals(
                List.of(
                        "packet-io pcap -> af-xdp",
                        "xdp-mode auto -> generic",
                        "user (not set) -> mcgate",
                        "metrics-listen (not set) -> 127.0.0.1:9310"),
                diff.restartNeeded());
        assertFalse(diff.isEmpty(), "a reload must say something");
        assertTrue(diff.added().isEmpty()
                && diff.changed().isEmpty()
                && diff.removed().isEmpty());

        ConfigDiff back = ConfigDiff.between(
                parse("packet-io af-packet\nmetrics-listen 127.0.0.1:9310\n" + BEFORE),
                parse("metrics-listen 127.0.0.1:9311\n" + BEFORE));
        assertEquals(
                List.of("packet-io af-packet -> pcap", "metrics-listen 127.0.0.1:9310 -> 127.0.0.1:9311"),
                back.restartNeeded());
        assertTrue(ConfigDiff.between(parse("user mcgate\n" + BEFORE), parse("user mcgate\n" + BEFORE))
                .restartNeeded()
                .isEmpty());
    }
}
