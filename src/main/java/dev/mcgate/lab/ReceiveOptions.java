package dev.mcgate.lab;

import dev.mcgate.net.Ip4;
import java.net.NetworkInterface;
import java.time.Duration;

/**
 * What {@link MulticastReceiver} joins and when it stops; validated when built.
 *
 * @param group the group to join, must be multicast
 * @param port UDP port to bind
 * @param source for a source-specific join, the only source to receive from; null for any source
 * @param networkInterface interface to join on; null lets the kernel pick by the route to the group
 * @param count stop after this many lab datagrams; 0 = no limit
 * @param duration stop after this long; null = no limit
 * @param idleTimeout stop this long after the last datagram (counted from the first one on); null = never
 * @param receiveBufferBytes socket receive buffer to ask for
 */
public record ReceiveOptions(
        Ip4 group,
        int port,
        Ip4 source,
        NetworkInterface networkInterface,
        long count,
        Duration duration,
        Duration idleTimeout,
        int receiveBufferBytes) {

    public ReceiveOptions {
        if (group == null || !group.isMulticast()) {
            throw new IllegalArgumentException("--group " + group + " is not a multicast address (224.0.0.0/4)");
        }
        if (source != null && (source.isMulticast() || source.equals(Ip4.ANY) || source.bits() == -1)) {
            throw new IllegalArgumentException("--source " + source + " is not a unicast address");
        }
        LabOptionChecks.port(port);
        LabOptionChecks.count(count);
        LabOptionChecks.duration("--duration", duration);
        LabOptionChecks.duration("--idle-timeout", idleTimeout);
        if (receiveBufferBytes < 1024) {
            throw new IllegalArgumentException("--rcvbuf " + receiveBufferBytes + " must be at least 1024 bytes");
        }
    }
}
