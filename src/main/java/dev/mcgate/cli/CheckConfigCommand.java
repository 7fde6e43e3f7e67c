package dev.mcgate.cli;

import dev.mcgate.config.EffectiveConfigRenderer;
import dev.mcgate.config.LoadedConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code mcgate check-config}: parses and validates a configuration and prints the effective one, defaults filled in.
 */
@Command(
        name = "check-config",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Parse and validate a configuration file and print the effective configuration.",
            "Exit status: 0 valid, 78 (EX_CONFIG) not valid."
        })
public final class CheckConfigCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ConfigOptions options;

    @CommandLine.Option(
            names = {"-q", "--quiet"},
            description = "Print only errors and warnings.")
    boolean quiet;

    @Override
    public Integer call() {
        LoadedConfig loaded = options.load(spec.commandLine().getErr(), spec.qualifiedName());
        if (loaded == null) {
            return ExitCodes.CONFIG;
        }
        if (!quiet) {
            spec.commandLine()
                    .getOut()
                    .println("# " + options.file + " ("
                            + loaded.detected().name().toLowerCase(java.util.Locale.ROOT)
                            + " format): valid. Effective configuration:");
            spec.commandLine().getOut().print(EffectiveConfigRenderer.render(loaded.config()));
            spec.commandLine().getOut().flush();
        }
        return ExitCodes.OK;
    }
}
