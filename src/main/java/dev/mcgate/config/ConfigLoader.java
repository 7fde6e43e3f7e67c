package dev.mcgate.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/** Entry point of the config package: reads a file in either syntax, resolves defaults and validates it. */
public final class ConfigLoader {

    private ConfigLoader() {}

    /**
     * Loads a configuration file.
     *
     * @throws ConfigException with every error of the file in line order, or one error if the file cannot be read
     */
    public static LoadedConfig load(Path path, Format format) throws ConfigException {
        String file = path.toString();
        String text;
        try {
            if (Files.isDirectory(path)) {
                throw failure(file, "cannot read the configuration: it is a directory");
            }
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw failure(file, "cannot read the configuration: no such file");
        } catch (AccessDeniedException e) {
            throw failure(file, "cannot read the configuration: permission denied");
        } catch (CharacterCodingException e) {
            throw failure(file, "cannot read the configuration: it is not UTF-8 text");
        } catch (IOException e) {
            throw failure(file, "cannot read the configuration: " + e.getMessage());
        }
        return parse(text, file, format);
    }

    /**
     * Parses configuration text; {@code fileName} is only used in messages.
     *
     * @throws ConfigException with every error found, in line order
     */
    public static LoadedConfig parse(String text, String fileName, Format format) throws ConfigException {
        ConfigLines.Text lines = ConfigLines.split(text);
        Format actual = format == Format.AUTO ? detect(lines) : format;
        Problems problems = new Problems(fileName);
        ConfigDraft draft = actual == Format.IGMPPROXY
                ? new IgmpproxyParser(problems).parse(lines)
                : new NativeParser(problems).parse(lines);
        McgateConfig config = new ConfigResolver(problems).resolve(draft);
        if (problems.hasErrors()) {
            throw new ConfigException(problems.errors());
        }
        return new LoadedConfig(config, actual, problems.warnings());
    }

    /** The syntax of a text: igmpproxy if its first keyword is one only igmpproxy.conf has, else native. */
    public static Format detect(String text) {
        return detect(ConfigLines.split(text));
    }

    private static Format detect(ConfigLines.Text lines) {
        List<ConfigLines.Line> all = lines.lines();
        return !all.isEmpty() && IgmpproxyParser.KEYWORDS.contains(all.get(0).keyword())
                ? Format.IGMPPROXY
                : Format.NATIVE;
    }

    private static ConfigException failure(String file, String message) {
        return new ConfigException(List.of(new ConfigError(file, 0, message)));
    }
}
