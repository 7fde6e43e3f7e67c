package dev.mcgate.cli;

import dev.mcgate.control.ControlRequest;
import picocli.CommandLine.Command;

/** {@code mcgate counters}: frames per port, drops by interface and reason, IGMP messages by kind, every counter. */
@Command(
        name = "counters",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Show frame counters per interface, the forwarder's drops by interface and reason, IGMP "
                    + "messages heard by kind (malformed ones by reason), internal counters, then every other counter "
                    + "mcgate keeps (--json: all of them, zeros included).",
            "Exit status: 0, 69 no daemon answers."
        })
final class CountersCommand extends ControlClientCommand {
    @Override
    ControlRequest request(boolean json) {
        return new ControlRequest(json, "counters", none());
    }
}
