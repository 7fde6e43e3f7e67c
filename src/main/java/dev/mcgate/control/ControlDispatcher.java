package dev.mcgate.control;

import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers control requests: takes a snapshot (the daemon gathers it on its loop), renders it as text or JSON on the
 * calling control thread, and runs {@code reload} through {@link Reloading}.
 */
public final class ControlDispatcher implements RequestHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ControlDispatcher.class);

    private final Callable<DaemonSnapshot> snapshots;
    private final Reloading reloading;

    public ControlDispatcher(Callable<DaemonSnapshot> snapshots, Reloading reloading) {
        this.snapshots = snapshots;
        this.reloading = reloading;
    }

    @Override
    public ControlResponse handle(ControlRequest request) {
        if (request.command().equals("reload")) {
            return reload(request.json());
        }
        DaemonSnapshot s;
        try {
            s = snapshots.call();
        } catch (Exception e) {
            LOG.warn("control: {} not answered: {}", request.command(), e.toString());
            return failure(
                    request,
                    ControlResponse.UNAVAILABLE,
                    "mcgate could not take a snapshot in time (" + e.getMessage() + ")");
        }
        Optional<String> only = request.argument();
        if (only.isPresent() && !s.hasMembershipSide(only.get())) {
            return failure(
                    request,
                    ControlResponse.BAD_REQUEST,
                    only.get() + " is not an open upstream or downstream interface (mcgate status lists them)");
        }
        boolean json = request.json();
        String body = switch (request.command()) {
            case "status" -> json ? JsonReport.status(s) : TextReport.status(s);
            case "groups" -> json ? JsonReport.groups(s, only) : TextReport.groups(s, only);
            case "routes" -> json ? JsonReport.routes(s) : TextReport.routes(s);
            case "counters" -> json ? JsonReport.counters(s) : TextReport.counters(s);
            default -> throw new IllegalArgumentException("no handler for " + request.command());
        };
        return new ControlResponse(ControlResponse.OK, body);
    }

    /** Applied: exit 0. Refused (the file does not load): exit 78, the message being the configuration error. */
    private ControlResponse reload(boolean json) {
        Reloading.Outcome outcome = reloading.reload();
        int exit = outcome.applied() ? ControlResponse.OK : ControlResponse.CONFIG;
        String body = json
                ? JsonReport.reload(outcome)
                : outcome.applied() ? TextReport.reload(outcome) : outcome.message() + "\n";
        return new ControlResponse(exit, body);
    }

    private static ControlResponse failure(ControlRequest request, int exit, String message) {
        return new ControlResponse(
                exit, request.json() ? JsonReport.error(request.command(), message) : message + "\n");
    }
}
