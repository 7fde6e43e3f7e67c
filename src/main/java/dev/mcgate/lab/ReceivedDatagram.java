package dev.mcgate.lab;

import dev.mcgate.net.Ip4;
import dev.mcgate.net.IpAddress;
import java.nio.ByteBuffer;

/**
 * One datagram as {@link LinuxMulticastSocket#receive} returns it: the payload and what the kernel said about it.
 * Mutable and reused for every datagram so the receive loop allocates nothing; read it before the next receive.
 */
final class ReceivedDatagram {

    ByteBuffer payload;
    IpAddress source = Ip4.ANY;
    /** IPv4 TTL (IP_TTL) or IPv6 hop limit (IPV6_HOPLIMIT) from the control messages, -1 when absent. */
    int ttl = -1;
    /** Kernel arrival time (SO_TIMESTAMPNS) in µs since the epoch, -1 when absent. */
    long kernelMicros = -1;
    /** The socket's drop counter (SO_RXQ_OVFL), -1 until the kernel first reports it. */
    long socketDrops = -1;
    /** The datagram was longer than the buffer and was cut. */
    boolean truncated;

    ByteBuffer payload() {
        return payload;
    }
}
