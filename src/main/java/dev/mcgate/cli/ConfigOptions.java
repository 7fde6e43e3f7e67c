package dev.mcgate.cli;

import dev.mcgate.config.ConfigException;
import dev.mcgate.config.ConfigLoader;
import dev.mcgate.config.Format;
import dev.mcgate.config.LoadedConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The options that name a configuration file and its format, shared by run and check-config.
 */
final class ConfigOptions {

    static final String DEFAULT_FILE = "/etc/mcgate/mcgate.conf";

    @Option(
            names = {"-c", "--config"},
            paramLabel = "FILE",
            defaultValue = DEFAULT_FILE,
            description = "Configuration file (default: ${DEFAULT-VALUE}); mcgate's own format or an igmpproxy.conf.")
    Path file;

    @Option(
            names = "--format",
            paramLabel = "FORMAT",
            defaultValue = "auto",
            description = "auto (recognise the file), native or igmpproxy (default: ${DEFAULT-VALUE}).")
    Format format;

    /** Loads the file; on errors prints each (FILE:LINE: message) and returns null. Warnings are printed too. */
    LoadedConfig load(PrintWriter err, String command) {
        try {
            LoadedConfig loaded = ConfigLoader.load(file, format);
            for (String warning : loaded.warnings()) {
                err.println("warning: " + warning);
            }
            err.flush();
            return loaded;
        } catch (ConfigException e) {
            err.println(e.getMessage().strip());
            err.println(command + ": " + file + ": configuration not valid");
            err.flush();
            return null;
        }
    }
}
