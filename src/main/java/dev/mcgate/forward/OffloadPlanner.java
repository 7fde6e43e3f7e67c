package dev.mcgate.forward;

import dev.mcgate.net.Ip4;
import dev.mcgate.net.Ip4Prefix;
import dev.mcgate.net.IpAddress;
import dev.mcgate.net.MacAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Turns a {@link ForwardingTable} into the {@link OffloadPlan} the kernel can carry out by itself: only what
 * {@link ForwardingTable#route} would decide the same way for every packet the rule matches, everything else stays in
 * user space.
 *
 * <p>Taken: data arriving on the upstream that owns the group (remote sources, RFC 4605 §4.2), with RPF kept by
 * handing back to user space every source inside another forwarding interface's subnet or altnet (user space drops
 * or forwards those by the full rule). RFC 3376 §6.3 source lists become (S,G) routes, one per listed source, beside a
 * (*,G) route for the other sources when some member is in EXCLUDE mode. Left to user space: local sources (arrival on
 * a downstream), groups whose ingress or egress interface the kernel cannot serve (no Ethernet MAC, not capable),
 * groups an ingress or egress source filter applies to, 224.0.0.0/24 (never forwarded anyway), and every IPv6 group
 * (the engine's rules are IPv4 rules; each IPv6 group is listed as not offloaded, with that reason).
 */
public final class OffloadPlanner {

    /** What the kernel can do with an interface: forward to and from it by nft netdev rules. */
    @FunctionalInterface
    public interface Capability {
        /** Empty if the interface can carry kernel routes, else why not (one short phrase). */
        Optional<String> refusal(String interfaceName);
    }

    /** Why every IPv6 group stays in user space (the daemon logs it; status shows it). */
    static final String IPV6_REFUSAL = "IPv6 is forwarded in user space only (the nft engine is IPv4-only)";

    private final ForwardingTable table;
    private final Capability capability;

    OffloadPlanner(ForwardingTable table, Capability capability) {
        this.table = table;
        this.capability = capability;
    }

    OffloadPlan plan() {
        List<KernelRoute> routes = new ArrayList<>();
        Map<IpAddress, String> notOffloaded = new LinkedHashMap<>();
        Map<String, List<Ip4Prefix>> userSpaceSources = new LinkedHashMap<>();
        List<GroupRoute> groups = table.groups().all();
        groups.sort((a, b) -> a.address.compareTo(b.address));
        for (GroupRoute members : groups) {
            String refusal = members.isIpv6()
                    // The nft rules match IPv4 headers only; IPv6 flows are all forwarded by the user-space path.
                    ? IPV6_REFUSAL
                    : planGroup(members, routes, userSpaceSources);
            if (refusal != null) {
                notOffloaded.put(members.address, refusal);
            }
        }
        return new OffloadPlan(routes, userSpaceSources, notOffloaded);
    }

    /** Adds the group's routes, or returns why the group stays in user space (then adds nothing). */
    private String planGroup(
            GroupRoute members, List<KernelRoute> routes, Map<String, List<Ip4Prefix>> userSpaceSources) {
        int group = members.group;
        if ((group >>> 8) == 0xE00000) {
            return "224.0.0.0/24 is never forwarded";
        }
        int owner = table.upstreams().ownerOf(group);
        if (owner < 0) {
            return "no upstream for the group";
        }
        ForwardingInterface in = table.interfaceAt(owner);
        Optional<String> inRefusal = capability.refusal(in.name());
        if (inRefusal.isPresent()) {
            return in.name() + ": " + inRefusal.get();
        }
        if (in.isBoundaryFor(group) || !in.permitsGroup(group)) {
            return null; // nothing is accepted from the upstream: no route, user space drops and counts
        }
        if (!in.permitsEverySource()) {
            return in.name() + " has a source filter";
        }
        List<Ip4Prefix> handedBack = handedBack(owner);
        // Every source a member lists gets a decision of its own; the rest share the (*,G) decision.
        TreeSet<Integer> listed = new TreeSet<>(Integer::compareUnsigned);
        boolean anyExclude = false;
        for (SourceFilter f : members.filters) {
            anyExclude |= f.isExclude();
        }
        for (int i = 0; i < members.members.length; i++) {
            members.subscriptions().get(members.members[i]).sources().ip4List().forEach(s -> listed.add(s.bits()));
        }
        List<KernelRoute> planned = new ArrayList<>();
        for (int source : listed) {
            if (isHandedBack(handedBack, source)) {
                continue;
            }
            List<KernelRoute.Egress> egress = new ArrayList<>();
            String refusal = egressFor(members, owner, source, egress);
            if (refusal != null) {
                return refusal;
            }
            if (!egress.isEmpty() || anyExclude) {
                planned.add(new KernelRoute(in.name(), new Ip4(group), Optional.of(new Ip4(source)), egress));
            }
        }
        if (anyExclude) {
            List<KernelRoute.Egress> egress = new ArrayList<>();
            String refusal = egressFor(members, owner, -1, egress);
            if (refusal != null) {
                return refusal;
            }
            if (!egress.isEmpty()) {
                planned.add(new KernelRoute(in.name(), new Ip4(group), Optional.empty(), egress));
            }
        }
        if (planned.stream().allMatch(r -> r.egress().isEmpty())) {
            return null; // no member wants any source: nothing to forward, user space counts it as not wanted
        }
        routes.addAll(planned);
        userSpaceSources.putIfAbsent(in.name(), handedBack);
        return null;
    }

    /**
     * The copies for one source ({@code -1}: any unlisted source), by the members' filters and the egress checks of
     * {@link ForwardingTable#route}; or why the group cannot be offloaded.
     */
    private String egressFor(GroupRoute members, int arrival, int source, List<KernelRoute.Egress> out) {
        for (int i = 0; i < members.members.length; i++) {
            int member = members.members[i];
            SourceFilter filter = members.filters[i];
            boolean wants = source == -1 ? filter.isExclude() : filter.wants(source);
            if (member == arrival || !wants) {
                continue;
            }
            ForwardingInterface e = table.interfaceAt(member);
            if (source == -1 && !e.permitsEverySource()) {
                return e.name() + " has a source filter";
            }
            if (table.egressVerdict(member, source == -1 ? 0 : source, members.group) != null) {
                continue; // boundary, group or source filter, not querier: no copy, as in user space
            }
            Optional<String> refusal = capability.refusal(e.name());
            if (refusal.isPresent()) {
                return e.name() + ": " + refusal.get();
            }
            if (e.macBits() < 0) {
                return e.name() + ": no Ethernet MAC";
            }
            out.add(new KernelRoute.Egress(e.name(), new MacAddress(e.macBits()), e.ttlThreshold()));
        }
        return null;
    }

    /** The subnets and altnets of every other forwarding interface: their sources fail RPF here or need the LPM rule. */
    private List<Ip4Prefix> handedBack(int arrival) {
        List<Ip4Prefix> out = new ArrayList<>();
        for (ForwardingInterface fi : table.interfaces()) {
            if (fi.index() != arrival && fi.isForwardingRole()) {
                for (Ip4Prefix p : fi.localPrefixes()) {
                    if (!out.contains(p)) {
                        out.add(p);
                    }
                }
            }
        }
        return out;
    }

    private static boolean isHandedBack(List<Ip4Prefix> prefixes, int source) {
        Ip4 s = new Ip4(source);
        return prefixes.stream().anyMatch(p -> p.contains(s));
    }
}
