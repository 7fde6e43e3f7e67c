package dev.mcgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mcgate.fuzz.FuzzTally;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;

/**
 * Coverage-guided fuzzing of the configuration parsers (native syntax and igmpproxy.conf; the first input byte picks
 * the format, or detection): a file is a configuration or a {@link ConfigException} that names its lines, never
 * another exception; and what loads prints (as {@code check-config} does) to native text that loads as the same
 * configuration and prints the same again.
 */
class ConfigParserFuzzTest {

    private static final FuzzTally TALLY = new FuzzTally("config");
    private static final Format[] FORMATS = {Format.AUTO, Format.NATIVE, Format.IGMPPROXY};

    @FuzzTest(maxDuration = "10m")
    void parse(byte[] input) throws ConfigException {
        if (input.length == 0) {
            return;
        }
        Format format = FORMATS[(input[0] & 0xff) % FORMATS.length];
        String text = new String(Arrays.copyOfRange(input, 1, input.length), StandardCharsets.UTF_8);
        McgateConfig config;
        try {
            config = ConfigLoader.parse(text, "fuzz.conf", format).config();
        } catch (ConfigException e) {
            for (ConfigError error : e.errors()) {
                assertEquals("fuzz.conf", error.file());
            }
            TALLY.count("refused");
            return;
        }
        TALLY.count("loaded");
        String printed = EffectiveConfigRenderer.render(config);
        LoadedConfig again = ConfigLoader.parse(printed, "printed.conf", Format.AUTO);
        assertEquals(Format.NATIVE, again.detected());
        assertEquals(config, again.config(), printed);
        assertEquals(printed, EffectiveConfigRenderer.render(again.config()));
    }

    @AfterAll
    static void tally() {
        TALLY.print();
    }
}
