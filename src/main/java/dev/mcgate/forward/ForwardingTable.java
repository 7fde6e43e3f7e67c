package dev.mcgate.forward;

import dev.mcgate.config.Role;
import dev.mcgate.net.IpAddress;
import dev.mcgate.net.Subscription;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An immutable snapshot of everything the data plane decides with: the interfaces, which upstream owns each group,
 * and the downstream subscriptions per group. The loop builds one with {@link ForwardingTableBuilder} and publishes it
 * to the {@link Forwarder}; capture threads only read it.
 *
 * <p>{@link #route} is the decision for one (arrival interface, source, group), RPF first (RFC 4605 §4.2, DESIGN):
 * <ul>
 *   <li>a source on a downstream's subnet or altnet is accepted only on that downstream, and only if mcgate forwards
 *       there (querier, or configured to forward anyway); it goes to the upstream that owns the group and to the other
 *       downstreams whose subscription wants it;</li>
 *   <li>a source on an upstream's subnet or altnet is accepted only on that upstream, any other (remote) source only on
 *       the upstream that owns the group; it goes to the downstreams whose subscription wants it;</li>
 *   <li>"wants" is RFC 3376 §6.3 per interface: INCLUDE forwards the listed sources, EXCLUDE all but the listed;</li>
 *   <li>never back out of the arrival interface; group and source filters and scope boundaries apply on the way in and
 *       on the way out; a downstream where another router is querier gets no copies unless configured to.</li>
 * </ul>
 * The same rule serves both families (IPv6 sources are local by the interfaces' IPv6 subnets and altnets).
 * TTL and MTU depend on the packet, not the flow, and are checked by the forwarder per copy.
 */
public final class ForwardingTable {

    /** The table before anything is known: no interfaces, so every packet is dropped. */
    public static final ForwardingTable EMPTY = new ForwardingTableBuilder().build();

    private final long generation;
    private final ForwardingInterface[] interfaces;
    private final Map<String, Integer> indexOfName;
    private final UpstreamSelector upstreams;
    private final GroupIndex groups;
    /** Flows the kernel forwards (the nft engine); the user-space forwarder drops its copy as OFFLOADED. */
    private final OffloadCover offload;

    ForwardingTable(
            long generation,
            ForwardingInterface[] interfaces,
            Map<String, Integer> indexOfName,
            UpstreamSelector upstreams,
            GroupIndex groups) {
        this(generation, interfaces, indexOfName, upstreams, groups, OffloadCover.NONE);
    }

    private ForwardingTable(
            long generation,
            ForwardingInterface[] interfaces,
            Map<String, Integer> indexOfName,
            UpstreamSelector upstreams,
            GroupIndex groups,
            OffloadCover offload) {
        this.generation = generation;
        this.interfaces = interfaces;
        this.indexOfName = indexOfName;
        this.upstreams = upstreams;
        this.groups = groups;
        this.offload = offload;
    }

    /**
     * The same table, with the flows {@code cover} covers left to the kernel. A new object, so that every cached
     * per-flow decision is made again against it.
     */
    public ForwardingTable withOffload(OffloadCover cover) {
        return new ForwardingTable(generation, interfaces, indexOfName, upstreams, groups, cover);
    }

    /** The routes the kernel could forward by itself, for the nft engine (see {@link OffloadPlanner}). */
    public OffloadPlan offloadPlan(OffloadPlanner.Capability capability) {
        return new OffloadPlanner(this, capability).plan();
    }

    UpstreamSelector upstreams() {
        return upstreams;
    }

    GroupIndex groups() {
        return groups;
    }

    /** A number the builder was given, to tell tables apart in logs and status. */
    public long generation() {
        return generation;
    }

    public List<ForwardingInterface> interfaces() {
        return List.of(interfaces);
    }

    /** The table index of an interface, or -1 if the table does not have it. */
    public int indexOf(String name) {
        Integer index = indexOfName.get(name);
        return index == null ? -1 : index;
    }

    int interfaceCount() {
        return interfaces.length;
    }

    ForwardingInterface interfaceAt(int index) {
        return interfaces[index];
    }

    /** How many groups have at least one downstream subscription. */
    public int groupCount() {
        return groups.size();
    }

    /** Per group (IPv4 first), the downstream interfaces' subscriptions (for status). */
    public Map<IpAddress, Map<String, Subscription>> memberships() {
        Map<IpAddress, Map<String, Subscription>> all = new TreeMap<>();
        for (GroupRoute route : groups.all()) {
            Map<String, Subscription> byName = new LinkedHashMap<>();
            route.subscriptions().forEach((index, s) -> byName.put(interfaces[index].name(), s));
            all.put(route.address, Collections.unmodifiableMap(byName));
        }
        return Collections.unmodifiableMap(new LinkedHashMap<>(all));
    }

    /** The upstream that owns a group of either family, if it is in the table. */
    public Optional<String> upstreamFor(IpAddress group) {
        int owner = upstreams.ownerOf(FlowKey.of(group, group));
        return owner < 0 ? Optional.empty() : Optional.of(interfaces[owner].name());
    }

    /** The decision for one flow as a value: for tests, status and "why is my stream not forwarded". */
    public record Decision(List<String> egress, Optional<DropReason> drop, Map<String, DropReason> skipped) {}

    /** {@link #route} for an interface name and a source and group of one family, as a value (allocates). */
    public Decision decide(String arrival, IpAddress source, IpAddress group) {
        Route route = new Route(interfaces.length);
        route(indexOf(arrival), FlowKey.of(source, group), route);
        List<String> egress = new ArrayList<>();
        for (int i = 0; i < route.egressCount; i++) {
            egress.add(interfaces[route.egress[i]].name());
        }
        Map<String, DropReason> skipped = new LinkedHashMap<>();
        for (int i = 0; i < route.skippedCount; i++) {
            skipped.put(interfaces[route.skipped[i]].name(), route.skippedReason[i]);
        }
        return new Decision(List.copyOf(egress), Optional.ofNullable(route.drop), Collections.unmodifiableMap(skipped));
    }

    /**
     * Decides where the flow {@code key} (either family: one rule, the per-family work is in the compiled prefix sets
     * and filters) arriving on interface {@code arrival} goes, into {@code out} (reset first). Does not allocate once
     * {@code out} has room for every interface.
     */
    void route(int arrival, FlowKey key, Route out) {
        out.reset(interfaces.length);
        out.madeFor = this;
        if (arrival < 0 || !interfaces[arrival].isForwardingRole()) {
            out.drop = DropReason.NOT_FORWARDING_INTERFACE;
            return;
        }
        ForwardingInterface in = interfaces[arrival];
        if (in.isBoundaryFor(key)) {
            out.drop = DropReason.SCOPE_BOUNDARY;
            return;
        }
        if (!in.permitsGroup(key)) {
            out.drop = DropReason.GROUP_FILTERED;
            return;
        }
        if (!in.permitsSource(key)) {
            out.drop = DropReason.SOURCE_FILTERED;
            return;
        }
        int owner = upstreams.ownerOf(key);
        int home = homeOf(key);
        if (home >= 0 && interfaces[home].role() == Role.DOWNSTREAM) {
            // A local source: RFC 4605 §4.2 forwards it upstream (unless that is an mcgate tunnel, whose far side only
            // wants what it asked for) and to the other downstreams with members.
            if (arrival != home) {
                out.drop = DropReason.RPF_FAILED;
                return;
            }
            if (!in.forwards(key.ipv6)) {
                // Another router is querier on this LAN and forwards for it: one forwarder per LAN.
                out.drop = DropReason.NOT_QUERIER;
                return;
            }
            if (owner >= 0 && interfaces[owner].carriesLocalSources()) {
                consider(owner, key, out);
            }
        } else {
            // A source behind an upstream: accepted on the upstream whose network holds it, else on the group's owner.
            int expected = home >= 0 ? home : owner;
            if (arrival != expected) {
                out.drop = DropReason.RPF_FAILED;
                return;
            }
        }
        GroupRoute members = groups.get(key);
        if (members != null) {
            for (int i = 0; i < members.members.length; i++) {
                int member = members.members[i];
                if (member != arrival && members.filters[i].wants(key)) {
                    consider(member, key, out);
                }
            }
        }
        if (out.egressCount == 0) {
            out.drop = DropReason.NOT_WANTED;
        } else if (!key.ipv6 && offload.covers(in.name(), key.source, key.group)) {
            // The kernel's rules forward this flow; a second copy from here would reach every member twice. (The nft
            // engine is IPv4-only: IPv6 flows are always forwarded here.)
            out.drop = DropReason.OFFLOADED;
            out.egressCount = 0;
            out.skippedCount = 0;
        }
    }

    /** {@link #consider} for the planner (IPv4): null if the egress gets a copy of (source, group), else why not. */
    DropReason egressVerdict(int egress, int source, int group) {
        Route probe = new Route(interfaces.length);
        consider(egress, new FlowKey(source, group), probe);
        return probe.egressCount == 1 ? null : probe.skippedReason[0];
    }

    /** {@link #homeOf}, for the planner (IPv4). */
    int home(int source) {
        return homeOf(new FlowKey(source, 0));
    }

    /** An egress that wants the packet gets it unless its boundary, its filters or the querier rule say no. */
    private void consider(int egress, FlowKey key, Route out) {
        ForwardingInterface e = interfaces[egress];
        if (e.isBoundaryFor(key)) {
            out.skip(egress, DropReason.SCOPE_BOUNDARY);
        } else if (!e.permitsGroup(key)) {
            out.skip(egress, DropReason.GROUP_FILTERED);
        } else if (!e.permitsSource(key)) {
            out.skip(egress, DropReason.SOURCE_FILTERED);
        } else if (!e.forwards(key.ipv6)) {
            out.skip(egress, DropReason.NOT_QUERIER);
        } else {
            out.addEgress(egress);
        }
    }

    /** The interface whose subnet or altnet holds the key's source most specifically (longest prefix), or -1. */
    private int homeOf(FlowKey key) {
        int best = -1;
        int bestLength = -1;
        for (ForwardingInterface candidate : interfaces) {
            if (!candidate.isForwardingRole()) {
                continue;
            }
            int length = candidate.localMatch(key);
            if (length > bestLength) {
                best = candidate.index();
                bestLength = length;
            }
        }
        return best;
    }

    @Override
    public String toString() {
        return "ForwardingTable#" + generation + " " + List.of(interfaces) + " " + groups.all();
    }
}
