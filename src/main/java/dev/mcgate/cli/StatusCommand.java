package dev.mcgate.cli;

import dev.mcgate.control.ControlRequest;
import picocli.CommandLine.Command;

/** {@code mcgate status}: interfaces, querier state, counters, uptime, group and flow totals. */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Show the running daemon's interfaces (role, state, address, link type, IGMP version, "
                    + "querier, frame counters), uptime, version and totals.",
            "Exit status: 0, 69 no daemon answers on the socket (or permission denied)."
        })
final class StatusCommand extends ControlClientCommand {
    @Override
    ControlRequest request(boolean json) {
        return new ControlRequest(json, "status", none());
    }
}
