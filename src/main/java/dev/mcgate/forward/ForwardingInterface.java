package dev.mcgate.forward;

import dev.mcgate.config.InterfaceConfig;
import dev.mcgate.config.Role;
import dev.mcgate.io.NetInterface;
import dev.mcgate.net.Ip4Prefix;
import dev.mcgate.net.IpPrefix;
import java.util.ArrayList;
import java.util.List;

/**
 * One interface as the forwarding path sees it, for both families: role, TTL (hop limit) threshold, MTU, local
 * networks for RPF, scope boundaries,
 * filters and the querier rule, all compiled so that checking a packet against them allocates nothing.
 */
public final class ForwardingInterface {

    private final int index;
    private final String name;
    private final Role role;
    private final int ttlThreshold;
    private final int mtu;
    private final long macBits;
    private final PrefixSet localNetworks;
    private final List<Ip4Prefix> localPrefixes;
    private final PrefixSet scopeBoundaries;
    private final AddressFilter groupFilter;
    private final AddressFilter sourceFilter;
    private final boolean querier;
    private final boolean querier6;
    private final boolean forwardWhenNotQuerier;
    private final boolean repairUdpChecksum;
    private final boolean carriesLocalSources;

    ForwardingInterface(int index, InterfaceSpec spec) {
        NetInterface nif = spec.netInterface();
        InterfaceConfig config = spec.config();
        this.index = index;
        this.name = nif.name();
        this.role = config.role();
        this.ttlThreshold = config.ttlThreshold();
        this.mtu = nif.mtu();
        this.macBits = nif.mac().map(m -> m.bits()).orElse(-1L);
        List<IpPrefix> local = new ArrayList<>();
        nif.addresses().forEach(a -> local.add(a.subnet()));
        local.addAll(spec.ipv6Subnets());
        local.addAll(config.altnets());
        this.localNetworks = new PrefixSet(local);
        this.localPrefixes = local.stream()
                .filter(Ip4Prefix.class::isInstance)
                .map(Ip4Prefix.class::cast)
                .toList();
        this.scopeBoundaries = new PrefixSet(config.scopeBoundaries());
        this.groupFilter = new AddressFilter(config.groupFilter());
        this.sourceFilter = new AddressFilter(config.sourceFilter());
        this.querier = spec.querier();
        this.querier6 = spec.querier6();
        this.forwardWhenNotQuerier = spec.forwardWhenNotQuerier();
        this.repairUdpChecksum = spec.repairUdpChecksum();
        this.carriesLocalSources = spec.carriesLocalSources();
    }

    public int index() {
        return index;
    }

    public String name() {
        return name;
    }

    public Role role() {
        return role;
    }

    /** A copy leaves through this interface only if the packet's TTL on arrival is above this (as Linux's ipmr). */
    public int ttlThreshold() {
        return ttlThreshold;
    }

    public int mtu() {
        return mtu;
    }

    /** The interface's MAC as 48 bits, or -1 for a raw-IP interface. */
    public long macBits() {
        return macBits;
    }

    public boolean querier() {
        return querier;
    }

    public boolean forwardWhenNotQuerier() {
        return forwardWhenNotQuerier;
    }

    public boolean repairUdpChecksum() {
        return repairUdpChecksum;
    }

    /** On an upstream: whether downstream sources' datagrams go out of it (see {@link InterfaceSpec}). */
    public boolean carriesLocalSources() {
        return carriesLocalSources;
    }

    /**
     * Upstreams always forward; a downstream forwards a family while mcgate is that family's querier there, or when
     * configured to anyway.
     */
    public boolean forwards(boolean ipv6) {
        return role == Role.UPSTREAM
                || (role == Role.DOWNSTREAM && ((ipv6 ? querier6 : querier) || forwardWhenNotQuerier));
    }

    boolean isForwardingRole() {
        return role == Role.UPSTREAM || role == Role.DOWNSTREAM;
    }

    /** IPv4 subnets and altnets as prefixes (the nft rules hand these sources back to user space on other arrivals). */
    List<Ip4Prefix> localPrefixes() {
        return localPrefixes;
    }

    PrefixSet localNetworks() {
        return localNetworks;
    }

    boolean isBoundaryFor(int group) {
        return scopeBoundaries.contains(group);
    }

    boolean permitsGroup(int group) {
        return groupFilter.permits(group);
    }

    /** No source filter: the decision for a group does not depend on the source (a (*,G) kernel rule suffices). */
    boolean permitsEverySource() {
        return sourceFilter.permitsAll();
    }

    boolean permitsSource(int source) {
        return sourceFilter.permits(source);
    }

    boolean isBoundaryFor(FlowKey key) {
        return scopeBoundaries.contains(key, true);
    }

    boolean permitsGroup(FlowKey key) {
        return groupFilter.permits(key, true);
    }

    boolean permitsSource(FlowKey key) {
        return sourceFilter.permits(key, false);
    }

    /** The length of this interface's longest local network holding the key's source, or -1. */
    int localMatch(FlowKey key) {
        return key.ipv6
                ? localNetworks.longestMatch(key.sourceHigh, key.sourceLow)
                : localNetworks.longestMatch(key.source);
    }

    @Override
    public String toString() {
        return name + " (" + role.keyword() + ", ttl-threshold " + ttlThreshold + ", mtu " + mtu
                + (role == Role.DOWNSTREAM ? querier ? ", querier" : ", not querier" : "") + ")";
    }
}
