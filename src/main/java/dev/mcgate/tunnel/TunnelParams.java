package dev.mcgate.tunnel;

import dev.mcgate.net.Ip4;
import java.time.Duration;
import java.util.Objects;

/**
 * What one tunnel end needs to know to run the protocol.
 *
 * @param name         the tunnel's name (its interface name in forwarding tables and logs); bound into the handshake
 * @param local        the address the socket is bound to (0.0.0.0: any); the handshake checks the peer addressed it
 * @param localPort    the UDP port the socket is bound to
 * @param peer         the peer's address; messages from anywhere else are dropped
 * @param peerPort     the peer's UDP port; messages from another port are dropped
 * @param downstream   true on the side whose tunnel is a downstream (it has the sources and sends data), false on
 *                     the side with the receivers (it sends membership); the two ends must differ
 * @param keepalive    how often a message is sent when there is nothing else to say, and the handshake retry period
 * @param deadInterval the peer is down after this long without an authentic message
 * @param pathMtu      the largest IPv4 packet the path between the two ends carries unfragmented
 */
public record TunnelParams(
        String name,
        Ip4 local,
        int localPort,
        Ip4 peer,
        int peerPort,
        boolean downstream,
        Duration keepalive,
        Duration deadInterval,
        int pathMtu) {

    /** The smallest path MTU: an inner IPv4 header, UDP header and a little payload must still fit. */
    public static final int MIN_PATH_MTU = 576;

    public TunnelParams {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(peer, "peer");
        if (keepalive.isNegative() || keepalive.isZero() || deadInterval.compareTo(keepalive) <= 0) {
            throw new IllegalArgumentException("keepalive must be positive and below the dead interval");
        }
        if (pathMtu < MIN_PATH_MTU || pathMtu > 65535) {
            throw new IllegalArgumentException("path MTU must be " + MIN_PATH_MTU + "..65535, not " + pathMtu);
        }
    }

    /** Whether a handshake that names {@code address}:{@code port} as this end's endpoint means this end. */
    public boolean isLocal(Ip4 address, int port) {
        return port == localPort && (local.equals(Ip4.ANY) || local.equals(address));
    }

    /** The largest inner packet (IPv4 or IPv6): the path MTU minus IPv4, UDP and the tunnel's own header and tag. */
    public int innerMtu() {
        return TunnelWire.innerMtu(pathMtu);
    }

    /** The largest tunnel message (UDP payload). */
    public int maxMessage() {
        return pathMtu - TunnelWire.IP_UDP;
    }
}
