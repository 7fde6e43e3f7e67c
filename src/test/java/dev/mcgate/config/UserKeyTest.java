package dev.mcgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The global {@code user} key: read, defaulted, rendered, and left alone by the igmpproxy format. */
class UserKeyTest {

    private static final String INTERFACES =
            "interface up0 {\n role upstream\n}\ninterface down0 {\n role downstream\n}\n";

    @Test
    void aUserNameIsRead() throws ConfigException {
        McgateConfig config = ConfigLoader.parse("user mcgate\n" + INTERFACES, "t.conf", Format.NATIVE)
                .config();
        assertEquals(Optional.of("mcgate"), config.global().user());
        assertTrue(EffectiveConfigRenderer.render(config).contains("\nuser mcgate\n"));
    }

    @Test
    void withoutTheKeyThereIsNoUserAndTheRendererSaysSoInAComment() throws ConfigException {
        McgateConfig config =
                ConfigLoader.parse(INTERFACES, "t.conf", Format.NATIVE).config();
        assertEquals(Optional.empty(), config.global().user());
        String text = EffectiveConfigRenderer.render(config);
        assertFalse(text.contains("\nuser "), text);
        assertTrue(text.contains("# user: not set"), text);
    }

    @Test
    void namesUseraddAcceptsAreValidAndOthersAreNot() {
        for (String ok : new String[] {"mcgate", "_mcgate", "mc-gate.1", "Admin", "machine$", "a"}) {
            assertTrue(NativeParser.validUserName(ok), ok);
        }
        for (String bad : new String[] {"", "0", "65534", "-x", ".x", "a/b", "a b", "a:b", "x".repeat(33)}) {
            assertFalse(NativeParser.validUserName(bad), bad);
        }
    }

    @Test
    void igmpproxyUserStaysIgnoredWithAWarningThatSaysWhereItGoes() throws ConfigException {
        LoadedConfig loaded = ConfigLoader.load(Path.of("src/test/resources/config/igmpproxy.conf"), Format.AUTO);
        assertEquals(Optional.empty(), loaded.config().global().user());
        assertTrue(
                loaded.warnings().stream().anyMatch(w -> w.contains("user is ignored: ") && w.contains("--user")),
                loaded.warnings().toString());
    }
}
