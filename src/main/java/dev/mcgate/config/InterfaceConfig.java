package dev.mcgate.config;

import dev.mcgate.net.IpFamily;
import dev.mcgate.net.IpPrefix;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The effective configuration of one interface, every inherited default filled in.
 *
 * @param name            the Linux interface name
 * @param role            upstream, downstream or disabled
 * @param igmp            IGMP router parameters (RFC 3376 §8), used where mcgate is the querier: downstreams
 * @param mld             MLD router parameters (RFC 9777 §9), the IPv6 counterpart of {@code igmp}; its version is a
 *                        generation numbered as IGMP's (MLDv1 = 2, MLDv2 = 3, see {@code igmp.Query})
 * @param families        the address families the interface runs (IPv4 with IGMP, IPv6 with MLD), never empty; a
 *                        family runs only where the interface has an address of it (IPv6: a link-local one)
 * @param ttlThreshold    a data packet leaves through this interface only if its TTL is above this (1..255)
 * @param fastLeave       on a downstream, stop forwarding a group as soon as the last known member leaves, without
 *                        last member queries (igmpproxy's quickleave)
 * @param altnets         extra source subnets (either family) that count as local to this interface (RPF) besides its own subnets
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
        IgmpSettings mld,
        Set<IpFamily> families,
        int ttlThreshold,
        boolean fastLeave,
        List<IpPrefix> altnets,
        PrefixFilter groupFilter,
        PrefixFilter sourceFilter,
        List<IpPrefix> scopeBoundaries,
        List<IpPrefix> upstreamGroups,
        boolean repairUdpChecksum,
        CaptureBuffer captureBuffer,
        MembershipLimits limits) {

    public InterfaceConfig {
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(captureBuffer, "captureBuffer");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(igmp, "igmp");
        Objects.requireNonNull(mld, "mld");
        if (families.isEmpty()) {
            throw new IllegalArgumentException(name + " runs no address family");
        }
        families = Set.copyOf(families);
        Objects.requireNonNull(groupFilter, "groupFilter");
        Objects.requireNonNull(sourceFilter, "sourceFilter");
        altnets = List.copyOf(altnets);
        scopeBoundaries = List.copyOf(scopeBoundaries);
        upstreamGroups = List.copyOf(upstreamGroups);
    }

    /** Whether the interface runs IPv4 (IGMP). */
    public boolean runsIpv4() {
        return families.contains(IpFamily.IPV4);
    }

    /** Whether the interface runs IPv6 (MLD) where it has a link-local address. */
    public boolean runsIpv6() {
        return families.contains(IpFamily.IPV6);
    }

    /** The router parameters of a family: {@link #igmp} for IPv4, {@link #mld} for IPv6. */
    public IgmpSettings settings(IpFamily family) {
        return family == IpFamily.IPV4 ? igmp : mld;
    }
}
