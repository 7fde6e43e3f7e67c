package dev.mcgate.cli;

import dev.mcgate.control.ControlRequest;
import picocli.CommandLine.Command;

/** {@code mcgate reload}: the running daemon re-reads its configuration file and applies what changed. */
@Command(
        name = "reload",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Ask the running daemon to read its configuration file again and apply what changed; a file "
                    + "with errors changes nothing.",
            "Exit status: 0 applied, 78 the file was refused (the message says why), 69 no daemon answers."
        })
final class ReloadCommand extends ControlClientCommand {
    @Override
    ControlRequest request(boolean json) {
        return new ControlRequest(json, "reload", none());
    }
}
