package dev.mcgate.lab;

import dev.mcgate.net.IpAddress;
import java.net.NetworkInterface;
import java.time.Duration;

/**
 * What {@link MulticastReceiver} joins and when it stops; validated when built.
 *
 * @param group the group to join, IPv4 or IPv6, must be multicast
 * @param port UDP port to bind
 * @param source for a source-specific join, the only source to receive from (of the group's family); null for any
 *     source
 * @param networkInterface interface to join on; null lets the kernel pick by the route to the group
 * @param count stop after this many lab datagrams; 0 = no limit
 * @param duration stop after this long; null = no limit
 * @param idleTimeout stop this long after the last datagram (counted from the first one on); null = never
 * @param receiveBufferBytes socket receive buffer to ask for
 */
public record ReceiveOptions(
        IpAddress group,
        int port,
        IpAddress source,
        NetworkInterface networkInterface,
        long count,
        Duration duration,
        Duration idleTimeout,
        int receiveBufferBytes) {

    public ReceiveOptions {
        LabOptionChecks.group(group);
        if (source != null && !LabOptionChecks.isUnicast(source)) {
            throw new IllegalArgumentException("--source " + source + " is not a unicast address");
        }
        LabOptionChecks.sameFamily(group, source);
        LabOptionChecks.port(port);
        LabOptionChecks.count(count);
        LabOptionChecks.duration("--duration", duration);
        LabOptionChecks.duration("--idle-timeout", idleTimeout);
        if (receiveBufferBytes < 1024) {
            throw new IllegalArgumentException("--rcvbuf " + receiveBufferBytes + " must be at least 1024 bytes");
        }
    }
}
