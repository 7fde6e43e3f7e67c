package dev.mcgate.tunnel;

import dev.mcgate.counters.CounterRecorder;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * A tunnel end as an operator sees it (for {@code mcgate status}): the peer's state and since when, when it was last
 * heard, the age of the session, and the counters.
 *
 * @param name            the tunnel's name
 * @param peer            the peer as ADDR:PORT
 * @param role            "downstream" (sends data) or "upstream" (sends membership)
 * @param state           CONNECTING until the first session, then UP or DOWN; NOT_OPEN while its socket or key
 *                        cannot be had (then every counter is 0)
 * @param stateFor        how long the peer has been in this state
 * @param lastHeard       time since the last authentic message from the peer, empty if never
 * @param sessionAge      age of the current session, empty if there is none
 * @param handshakes      sessions established (as initiator or responder)
 * @param groups          groups in the membership (received from the peer on the downstream side, sent on the other)
 * @param dataSent        data datagrams sealed and sent into the tunnel
 * @param dataReceived    data datagrams received, authentic and new
 * @param controlSent     handshake, keepalive and membership messages sent
 * @param controlReceived handshake, keepalive and membership messages received, authentic and new
 * @param sendErrors      messages the socket refused
 * @param drops           dropped messages by reason (zero counts left out)
 * @param innerMtu        the largest inner datagram the tunnel carries
 * @param notOpenReason   why it is not open (NOT_OPEN only), as {@code cannot bind 10.9.2.1:7400: Cannot assign
 *                        requested address}
 */
public record TunnelStatus(
        String name,
        String peer,
        String role,
        PeerState state,
        Duration stateFor,
        Optional<Duration> lastHeard,
        Optional<Duration> sessionAge,
        long handshakes,
        int groups,
        long dataSent,
        long dataReceived,
        long controlSent,
        long controlReceived,
        long sendErrors,
        Map<TunnelDrop, Long> drops,
        int innerMtu,
        Optional<String> notOpenReason) {

    /** The peer's state; NOT_OPEN: the tunnel itself is not open yet (no socket or no key), so there is no peer. */
    public enum PeerState {
        CONNECTING,
        UP,
        DOWN,
        NOT_OPEN
    }

    public TunnelStatus {
        drops = Map.copyOf(drops);
        if ((state == PeerState.NOT_OPEN) != notOpenReason.isPresent()) {
            throw new IllegalArgumentException("a reason goes with NOT_OPEN, and only with it");
        }
    }

    /** An open tunnel's status. */
    public TunnelStatus(
            String name,
            String peer,
            String role,
            PeerState state,
            Duration stateFor,
            Optional<Duration> lastHeard,
            Optional<Duration> sessionAge,
            long handshakes,
            int groups,
            long dataSent,
            long dataReceived,
            long controlSent,
            long controlReceived,
            long sendErrors,
            Map<TunnelDrop, Long> drops,
            int innerMtu) {
        this(
                name,
                peer,
                role,
                state,
                stateFor,
                lastHeard,
                sessionAge,
                handshakes,
                groups,
                dataSent,
                dataReceived,
                controlSent,
                controlReceived,
                sendErrors,
                drops,
                innerMtu,
                Optional.empty());
    }

    /** A configured tunnel that is not open, for {@code notFor}, and why. */
    public static TunnelStatus notOpen(
            String name, String peer, String role, Duration notFor, int innerMtu, String reason) {
        return new TunnelStatus(
                name,
                peer,
                role,
                PeerState.NOT_OPEN,
                notFor,
                Optional.empty(),
                Optional.empty(),
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                Map.of(),
                innerMtu,
                Optional.of(reason));
    }

    /** Every {@link TunnelCounter} of this tunnel, zeros (and a tunnel not open) included. */
    public void recordInto(CounterRecorder out) {
        out.record(TunnelCounter.HANDSHAKES, handshakes, name);
        out.record(TunnelCounter.MESSAGES, dataSent, name, "data", "sent");
        out.record(TunnelCounter.MESSAGES, dataReceived, name, "data", "received");
        out.record(TunnelCounter.MESSAGES, controlSent, name, "control", "sent");
        out.record(TunnelCounter.MESSAGES, controlReceived, name, "control", "received");
        out.record(TunnelCounter.SEND_ERRORS, sendErrors, name);
        for (boolean outgoing : new boolean[] {false, true}) {
            for (TunnelDrop reason : TunnelDrop.VALUES) {
                if (reason.outgoing() == outgoing) {
                    out.record(
                            TunnelCounter.DROPS,
                            drops.getOrDefault(reason, 0L),
                            name,
                            outgoing ? "out" : "in",
                            reason.keyword());
                }
            }
        }
    }

    /** A duration as logs give it: seconds with one decimal ("2.0 s", not ISO-8601's "PT2S"). */
    public static String seconds(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    /** One line for logs. */
    public String describe() {
        if (state == PeerState.NOT_OPEN) {
            return name + ": not open for " + seconds(stateFor) + ": " + notOpenReason.orElse("");
        }
        return name + ": peer " + peer + " " + state + " for " + seconds(stateFor) + ", " + handshakes
                + (handshakes == 1 ? " session" : " sessions") + ", data sent " + dataSent + " received " + dataReceived
                + ", control sent " + controlSent
                + " received " + controlReceived + ", send errors " + sendErrors + ", drops " + drops;
    }
}
