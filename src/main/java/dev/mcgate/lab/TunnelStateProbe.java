package dev.mcgate.lab;

import dev.mcgate.control.ControlClient;
import dev.mcgate.control.ControlRequest;
import dev.mcgate.control.ControlResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Asks a running mcgate for one tunnel's peer state on its control socket ({@code status --json}, the tunnel's
 * {@code "state"}: connecting, up, down or not-open), so that the lab waits for a session without reading the log.
 */
final class TunnelStateProbe {

    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(5);

    private TunnelStateProbe() {}

    /** The tunnel's state now; empty if the daemon does not answer yet or has no such tunnel. */
    static Optional<String> state(Path socket, String tunnel) {
        ControlResponse answer;
        try {
            answer = ControlClient.exchange(socket, new ControlRequest(true, "status", Optional.empty()), ASK_TIMEOUT);
        } catch (ControlClient.UnavailableException e) {
            return Optional.empty();
        }
        return answer.exitCode() == 0 ? stateIn(answer.body(), tunnel) : Optional.empty();
    }

    /** The named tunnel's state in a {@code status --json} document. */
    static Optional<String> stateIn(String statusJson, String tunnel) {
        Object doc = dev.mcgate.control.MiniJson.parse(statusJson);
        if (!(doc instanceof Map<?, ?> top) || !(top.get("tunnels") instanceof List<?> tunnels)) {
            return Optional.empty();
        }
        for (Object t : tunnels) {
            if (t instanceof Map<?, ?> m && tunnel.equals(m.get("name")) && m.get("state") instanceof String s) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
