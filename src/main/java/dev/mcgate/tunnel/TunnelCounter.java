package dev.mcgate.tunnel;

import dev.mcgate.counters.Counter;
import dev.mcgate.counters.CounterSpec;
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

    private final CounterSpec spec;

    TunnelCounter(String metric, String help, List<String> labels) {
        this.spec = new CounterSpec(metric, help, labels);
    }

    @Override
    public CounterSpec spec() {
        return spec;
    }
}
