package dev.mcgate.relay;

import dev.mcgate.net.IpAddress;
import java.nio.ByteBuffer;

/**
 * One UDP datagram for the local consumers of its group. The payload is one read-only copy shared by every consumer:
 * take {@link ByteBuffer#duplicate()} (or a slice) before moving its position; keep it as long as needed.
 *
 * @param arrivalNanos when the forwarder handed it over, on {@code System.nanoTime}'s clock
 */
public record RelayDatagram(
        IpAddress source,
        IpAddress group,
        int sourcePort,
        int destinationPort,
        ByteBuffer payload,
        long arrivalNanos) {}
