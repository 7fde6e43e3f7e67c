package dev.mcgate.cli;

import dev.mcgate.control.ControlRequest;
import picocli.CommandLine.Command;

/** {@code mcgate routes}: the flows being forwarded, with their egress interfaces, counters and rates. */
@Command(
        name = "routes",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Show every flow (source, group, ingress) with its egress interfaces, packets, bytes and "
                    + "rates over the last one-second sample.",
            "Exit status: 0, 69 no daemon answers."
        })
final class RoutesCommand extends ControlClientCommand {
    @Override
    ControlRequest request(boolean json) {
        return new ControlRequest(json, "routes", none());
    }
}
