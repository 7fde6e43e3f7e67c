package dev.mcgate.config;

import dev.mcgate.net.Ip4;
import dev.mcgate.net.IpAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One mcgate-to-mcgate tunnel, every default filled in.
 *
 * @param name         the tunnel's name: its interface name in forwarding tables, membership and logs
 * @param role         {@code downstream} on the side with the sources (the tunnel is one of its downstreams: it sends
 *                     the flows the peer wants), {@code upstream} on the side with the receivers
 * @param localAddress the address to bind the UDP socket to (0.0.0.0: any)
 * @param localPort    the UDP port to bind
 * @param peerAddress  the peer's address; messages from anywhere else are dropped
 * @param peerPort     the peer's UDP port
 * @param keyFile      the file holding the pre-shared key: 32 random octets in base64
 * @param keepalive    how often a keepalive (or the membership) is sent, and the handshake retry period
 * @param deadInterval the peer is down after this long without an authentic message
 * @param mtu          the path MTU between the two ends; datagrams that do not fit after encapsulation are dropped
 * @param ttl          on the upstream side: the TTL (IPv4) or hop limit (IPv6) datagrams leave with (0: as they
 *                     arrived, minus one)
 * @param remap        on the upstream side: group on the far side to the group it is sent as here, each pair of one
 *                     family
 * @param asInterface  the tunnel as an interface of its role, with the interface defaults (TTL threshold, filters)
 */
public record TunnelConfig(
        String name,
        Role role,
        Ip4 localAddress,
        int localPort,
        Ip4 peerAddress,
        int peerPort,
        Path keyFile,
        Duration keepalive,
        Duration deadInterval,
        int mtu,
        int ttl,
        SortedMap<IpAddress, IpAddress> remap,
        InterfaceConfig asInterface) {

    public static final Duration DEFAULT_KEEPALIVE = Duration.ofSeconds(1);
    public static final Duration DEFAULT_DEAD_INTERVAL = Duration.ofSeconds(5);
    public static final int DEFAULT_MTU = 1500;

    public TunnelConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(keyFile, "keyFile");
        remap = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(remap));
        remap.forEach((remote, local) -> {
            if (remote.family() != local.family()) {
                throw new IllegalArgumentException("remap " + remote + " " + local + ": families differ");
            }
        });
    }

    /** The group a far-side group is sent as here (itself unless remapped). */
    public IpAddress localGroup(IpAddress remote) {
        return remap.getOrDefault(remote, remote);
    }

    /** The far-side group to ask for when {@code local} is wanted here. */
    public IpAddress remoteGroup(IpAddress local) {
        for (Map.Entry<IpAddress, IpAddress> e : remap.entrySet()) {
            if (e.getValue().equals(local)) {
                return e.getKey();
            }
        }
        return remap.containsKey(local) ? null : local;
    }
}
