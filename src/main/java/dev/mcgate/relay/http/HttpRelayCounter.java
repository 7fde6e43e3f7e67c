package dev.mcgate.relay.http;

import dev.mcgate.counters.Counter;
import dev.mcgate.counters.CounterSpec;
import java.util.List;

/** What the HTTP relay counts: clients served and refused, what was sent to them and what they lost. */
public enum HttpRelayCounter implements Counter {
    CLIENTS("http_relay_clients", "Clients that were served a stream", List.of()),
    REFUSED("http_relay_refused", "Requests refused (4xx/5xx, nothing joined), by reason", List.of("reason")),
    SLOW_CLIENTS(
            "http_relay_slow_clients",
            "Clients disconnected because their queue was full (they read slower than the stream)",
            List.of()),
    BUDGET_CUTS(
            "http_relay_budget_cuts",
            "Clients disconnected because all queues together were over the relay's budget (most queued first)",
            List.of()),
    RELOAD_CUTS(
            "http_relay_reload_cuts",
            "Streaming clients disconnected because a reload's http-allow or filters no longer pass them",
            List.of()),
    ACCEPT_FAILURES(
            "http_relay_accept_failures",
            "Connections the relay could not accept (out of file descriptors): it stops accepting for a second",
            List.of()),
    DATAGRAMS("http_relay_datagrams", "Datagram payloads written to clients", List.of()),
    BYTES("http_relay_bytes", "Payload bytes written to clients", List.of()),
    DROPS("http_relay_drops", "Datagrams a client did not get, by reason", List.of("reason"));

    private final CounterSpec spec;

    HttpRelayCounter(String metric, String help, List<String> labels) {
        this.spec = new CounterSpec(metric, help, labels);
    }

    @Override
    public CounterSpec spec() {
        return spec;
    }
}
