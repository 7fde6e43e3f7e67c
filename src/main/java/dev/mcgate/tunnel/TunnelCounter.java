package dev.mcgate.tunnel;

import dev.mcgate.counters.Counter;
import java.util.List;

/** What each mcgate tunnel end counts, by tunnel name. */
public enum TunnelCounter implements Counter {
    HANDSHAKES("tunnel_handshakes", "Sessions established with the tunnel's peer", List.of("tunnel")),
    MESSAGES(
            "tunnel_messages",
            "Tunnel messages sent and received (authentic and new), data or control (handshake, "
                    + "keepalive, membership)",
            List.of("tunnel", "kind", "direction")),
    SEND_ERRORS("tunnel_send_errors", "Tunnel messages the UDP socket refused", List.of("tunnel")),
    DROPS(
            "tunnel_drops",
            "Tunnel messages received and refused (direction in) and datagrams not sent into the "
                    + "tunnel (out), by reason",
            List.of("tunnel", "direction", "reason"));

    private final String metric;
    private final String help;
    private final List<String> labels;

    TunnelCounter(String metric, String help, List<String> labels) {
        this.metric = metric;
        this.help = help;
        this.labels = labels;
    }

    @Override
    public String metric() {
        return metric;
    }

    @Override
    public String help() {
        return help;
    }

    @Override
    public List<String> labelNames() {
        return labels;
    }
}
