package dev.mcgate.lab;

import java.util.Arrays;

/**
 * One offered rate of the HTTP relay search, measured: the datagrams the source sent, the body octets each client got
 * meanwhile, and the router CPU time spent. A client has lost what it did not get of the payload octets sent (the
 * relay streams UDP payloads and nothing else), so the step needs no sequence numbers in the payload.
 *
 * @param offeredPps the rate asked of the sender
 * @param sent datagrams the source's interface sent
 * @param sendingSeconds how long the sender sent, from its first frame to the stop: what its rate is over
 * @param deliverySeconds from the sender's first frame to the later of its end (trafgen gone) and the last octet any
 *                        client got: the time the relay's throughput is over
 * @param lagSeconds how long after the sender's end the last octet arrived, 0 if before
 * @param payload UDP payload octets per datagram
 * @param received the body octets each client got during the step, drained
 * @param routerCpuNanos the router CPU's busy time during the step
 */
record HttpRelayStep(
        double offeredPps,
        long sent,
        double sendingSeconds,
        double deliverySeconds,
        double lagSeconds,
        int payload,
        long[] received,
        long routerCpuNanos) {

    HttpRelayStep {
        if (received.length == 0 || !(sendingSeconds > 0) || payload <= 0) {
            throw new IllegalArgumentException("a step needs clients, a sending time and a payload size");
        }
        if (!(deliverySeconds > 0) || lagSeconds < 0) {
            throw new IllegalArgumentException("delivery " + deliverySeconds + " s, lag " + lagSeconds + " s");
        }
        received = received.clone();
    }

    /** The rate the source reached, datagrams per second (to each client). */
    double sentPps() {
        return sent / sendingSeconds;
    }

    /**
     * The share of the sent payload octets that the client which got the least received; 0 when nothing was sent, at
     * most 1 (a datagram sent just before the step can arrive in it).
     */
    double worstDelivered() {
        if (sent == 0) {
            return 0;
        }
        long least = Arrays.stream(received).min().orElseThrow();
        return Math.min(1, least / ((double) sent * payload));
    }

    /**
     * What the search judges: the worst client's loss, so that a pass means every client got the rest. A relay that
     * fell behind and worked off its clients' queues after the sender's end (they hold 1024 datagrams each by default,
     * much of a short step) passes too, but its throughput is over the longer time it took ({@link #totalMbps}).
     */
    double loss() {
        return 1 - worstDelivered();
    }

    /** Datagrams delivered to all clients together (whole payloads). */
    long deliveredDatagrams() {
        return Arrays.stream(received).sum() / payload;
    }

    /** The relay's delivered throughput over all clients, Mbit/s of payload (the HTTP body), over the delivery. */
    double totalMbps() {
        return Arrays.stream(received).sum() * 8.0 / deliverySeconds / 1e6;
    }

    double perClientMbps() {
        return totalMbps() / received.length;
    }

    /** Router CPU per datagram delivered to a client: a datagram sent to 50 clients counts 50 times. */
    double cpuNanosPerDatagram() {
        return routerCpuNanos / (double) Math.max(1, deliveredDatagrams());
    }
}
