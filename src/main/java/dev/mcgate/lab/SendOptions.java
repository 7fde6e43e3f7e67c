package dev.mcgate.lab;

import dev.mcgate.net.IpAddress;
import dev.mcgate.net.IpFamily;
import java.net.NetworkInterface;
import java.time.Duration;

/**
 * What {@link MulticastSender} sends: validated when built, so the sender itself never sees a bad value.
 *
 * @param group destination group, IPv4 or IPv6, must be multicast
 * @param port destination UDP port
 * @param source local address to send from, of the group's family, or null to let the kernel pick the interface's
 *     address
 * @param networkInterface interface to send on, or null to use the source's interface or the route for the group
 * @param rate datagrams per second; 0 = as fast as possible
 * @param size UDP payload bytes, at least {@link LabPayload#HEADER_SIZE}
 * @param ttl IPv4 TTL or IPv6 hop limit of the datagrams, 0-255 (a router forwards only TTL >= 2)
 * @param count datagrams to send; 0 = no limit
 * @param duration how long to send; null = no limit
 * @param loopback whether this host's own sockets receive the datagrams too (IP_MULTICAST_LOOP)
 */
public record SendOptions(
        IpAddress group,
        int port,
        IpAddress source,
        NetworkInterface networkInterface,
        double rate,
        int size,
        int ttl,
        long count,
        Duration duration,
        boolean loopback) {

    public SendOptions {
        LabOptionChecks.group(group);
        LabOptionChecks.sameFamily(group, source);
        LabOptionChecks.port(port);
        if (!(rate >= 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException(
                    "--rate " + LabOptionChecks.number(rate) + " must be >= 0 datagrams per second (0 = no limit)");
        }
        if (size < LabPayload.HEADER_SIZE || size > LabPayload.MAX_SIZE) {
            throw new IllegalArgumentException("--size " + size + " must be " + LabPayload.HEADER_SIZE + ".."
                    + LabPayload.MAX_SIZE + " bytes (the lab header takes " + LabPayload.HEADER_SIZE + ")");
        }
        if (ttl < 0 || ttl > 255) {
            // --ttl and --hop-limit are one option; name the one that fits the group's family.
            String option = group.family() == IpFamily.IPV6 ? "--hop-limit " : "--ttl ";
            throw new IllegalArgumentException(option + ttl + " must be 0..255");
        }
        LabOptionChecks.count(count);
        LabOptionChecks.duration("--duration", duration);
    }
}
