package dev.mcgate.cli;

import dev.mcgate.control.ControlRequest;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mcgate groups}: group records per downstream with their timers, and what is reported upstream. */
@Command(
        name = "groups",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Show the group records of each downstream (filter mode, group timer, sources and their "
                    + "timers, compatibility mode) and the groups reported on each upstream.",
            "Exit status: 0, 64 not an open upstream or downstream interface, 69 no daemon answers."
        })
final class GroupsCommand extends ControlClientCommand {

    @Option(
            names = {"-i", "--interface"},
            paramLabel = "IF",
            description = "Only this interface.")
    String interfaceName;

    @Override
    ControlRequest request(boolean json) {
        try {
            return new ControlRequest(json, "groups", Optional.ofNullable(interfaceName));
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--interface: " + e.getMessage());
        }
    }
}
