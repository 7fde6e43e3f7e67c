package dev.mcgate.config;

import dev.mcgate.net.Ip4Prefix;
import java.util.List;
import java.util.Objects;

/**
 * The effective configuration of one interface, every inherited default filled in.
 *
 * @param name            the Linux interface name
 * @param role            upstream, downstream or disabled
 * @param igmp            IGMP router parameters (RFC 3376 §8), used where mcgate is the querier: downstreams
 * @param ttlThreshold    a data packet leaves through this interface only if its TTL is above this (1..255)
 * @param fastLeave       on a downstream, stop forwarding a group as soon as the last known member leaves, without
 *                        last member queries (igmpproxy's quickleave)
 * @param altnets         extra source subnets that count as local to this interface (RPF) besides its own subnets
 * @param groupFilter     which groups may be joined or forwarded through this interface
 * @param sourceFilter    which sources may be forwarded through this interface
 * @param scopeBoundaries group ranges never forwarded into or out of this interface (RFC 2365 boundaries)
 * @param upstreamGroups  on an upstream: the group ranges this upstream serves (empty: none beyond the default; the
 *                        first upstream also serves every group no upstream claims)
 * @param repairUdpChecksum recompute the UDP checksum of datagrams arriving on this interface whose checksum is wrong
 *                        (a sender in a namespace with TX checksum offload on a veth puts a partial one on the wire)
 * @param captureBuffer   how much the kernel may hold for this interface's capture while mcgate is not reading it
 *                        (auto: by role, when the port opens); a change applies when the port next opens
 * @param limits          how much IGMP state and traffic the interface's hosts may cost
 */
public record InterfaceConfig(
        String name,
        Role role,
        IgmpSettings igmp,
        int ttlThreshold,
        boolean fastLeave,
        List<Ip4Prefix> altnets,
        PrefixFilter groupFilter,
        PrefixFilter sourceFilter,
        List<Ip4Prefix> scopeBoundaries,
        List<Ip4Prefix> upstreamGroups,
        boolean repairUdpChecksum,
        CaptureBuffer captureBuffer,
        MembershipLimits limits) {

    public InterfaceConfig {
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(captureBuffer, "captureBuffer");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(igmp, "igmp");
        Objects.requireNonNull(groupFilter, "groupFilter");
        Objects.requireNonNull(sourceFilter, "sourceFilter");
        altnets = List.copyOf(altnets);
        scopeBoundaries = List.copyOf(scopeBoundaries);
        upstreamGroups = List.copyOf(upstreamGroups);
    }
}
