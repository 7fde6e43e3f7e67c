package dev.mcgate.forward;

import dev.mcgate.config.InterfaceConfig;
import dev.mcgate.io.NetInterface;
import dev.mcgate.net.Ip6Prefix;
import dev.mcgate.net.IpFamily;
import java.util.List;
import java.util.Objects;

/**
 * What the table builder needs to know of one interface: the system's view of it, its effective configuration, and
 * the runtime and forwarding settings that do not come from the file (yet).
 *
 * @param netInterface          the interface as the system describes it (MAC, subnets, MTU)
 * @param config                its effective configuration (role, TTL threshold, altnets, filters, boundaries)
 * @param querier               on a downstream: whether mcgate won the IGMP querier election there (RFC 9776
 *                              §6.6.2); ignored on an upstream
 * @param forwardWhenNotQuerier on a downstream: forward to and from it even while another router is querier (off by
 *                              default: with two routers on one LAN, only the querier forwards, RFC 4605 §4.2)
 * @param repairUdpChecksum     recompute the UDP checksum of datagrams arriving here whose checksum was found wrong
 *                              (senders with TX checksum offload on a veth put a partial checksum on the wire)
 * @param carriesLocalSources   on an upstream: whether datagrams of sources on the downstream LANs go out of it (RFC
 *                              4605 §4.2); false for an mcgate tunnel, whose far side asks for the flows it wants and
 *                              never asks this side for any (it would drop them: RPF); ignored on a downstream
 * @param ipv6Subnets           the interface's on-link IPv6 prefixes (its global and ULA addresses' subnets), local
 *                              networks for IPv6 RPF as its IPv4 subnets are for IPv4; empty until the daemon reads
 *                              them (then IPv6 sources count as local only through IPv6 altnets)
 * @param querier6              on a downstream: whether mcgate won the MLD querier election there (RFC 9777 §7.6.2):
 *                              each family elects its own querier, and only the querier of a family forwards it
 */
public record InterfaceSpec(
        NetInterface netInterface,
        InterfaceConfig config,
        boolean querier,
        boolean forwardWhenNotQuerier,
        boolean repairUdpChecksum,
        boolean carriesLocalSources,
        List<Ip6Prefix> ipv6Subnets,
        boolean querier6) {

    public InterfaceSpec {
        ipv6Subnets = List.copyOf(ipv6Subnets);
        Objects.requireNonNull(netInterface, "netInterface");
        Objects.requireNonNull(config, "config");
        if (!netInterface.name().equals(config.name())) {
            throw new IllegalArgumentException(
                    "interface " + netInterface.name() + " given the configuration of " + config.name());
        }
    }

    /** Without IPv6 subnets, querier (or not) for both families alike. */
    public InterfaceSpec(
            NetInterface netInterface,
            InterfaceConfig config,
            boolean querier,
            boolean forwardWhenNotQuerier,
            boolean repairUdpChecksum,
            boolean carriesLocalSources) {
        this(
                netInterface,
                config,
                querier,
                forwardWhenNotQuerier,
                repairUdpChecksum,
                carriesLocalSources,
                List.of(),
                querier);
    }

    /**
     * Querier, no forwarding when not querier, no checksum repair, local sources sent upstream; the IPv6 subnets are
     * those of the interface's IPv6 addresses that are not link-local (a link-local source is never forwarded: RFC
     * 4291 §2.5.6).
     */
    public static InterfaceSpec of(NetInterface netInterface, InterfaceConfig config) {
        List<Ip6Prefix> subnets = netInterface.ipv6().stream()
                .filter(a -> !a.address().isLinkLocalUnicast())
                .map(NetInterface.Address6::prefix)
                .distinct()
                .toList();
        return new InterfaceSpec(netInterface, config, true, false, false, true, subnets, true);
    }

    /** Querier, or not, for both families. */
    public InterfaceSpec withQuerier(boolean isQuerier) {
        return withQuerier(IpFamily.IPV4, isQuerier).withQuerier(IpFamily.IPV6, isQuerier);
    }

    /** Querier, or not, for one family. */
    public InterfaceSpec withQuerier(IpFamily family, boolean isQuerier) {
        boolean v4 = family == IpFamily.IPV4 ? isQuerier : querier;
        boolean v6 = family == IpFamily.IPV6 ? isQuerier : querier6;
        return new InterfaceSpec(
                netInterface,
                config,
                v4,
                forwardWhenNotQuerier,
                repairUdpChecksum,
                carriesLocalSources,
                ipv6Subnets,
                v6);
    }

    public InterfaceSpec withForwardWhenNotQuerier(boolean forward) {
        return new InterfaceSpec(
                netInterface, config, querier, forward, repairUdpChecksum, carriesLocalSources, ipv6Subnets, querier6);
    }

    public InterfaceSpec withRepairUdpChecksum(boolean repair) {
        return new InterfaceSpec(
                netInterface,
                config,
                querier,
                forwardWhenNotQuerier,
                repair,
                carriesLocalSources,
                ipv6Subnets,
                querier6);
    }

    public InterfaceSpec withCarriesLocalSources(boolean carries) {
        return new InterfaceSpec(
                netInterface,
                config,
                querier,
                forwardWhenNotQuerier,
                repairUdpChecksum,
                carries,
                ipv6Subnets,
                querier6);
    }

    public InterfaceSpec withIpv6Subnets(List<Ip6Prefix> subnets) {
        return new InterfaceSpec(
                netInterface,
                config,
                querier,
                forwardWhenNotQuerier,
                repairUdpChecksum,
                carriesLocalSources,
                subnets,
                querier6);
    }

    public String name() {
        return netInterface.name();
    }
}
