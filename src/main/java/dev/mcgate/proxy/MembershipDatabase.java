package dev.mcgate.proxy;

import dev.mcgate.net.IpAddress;
import dev.mcgate.net.Subscription;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The proxy's membership database (RFC 4605 §4.1): what each downstream interface wants of each group, as its router
 * side reported it and after that interface's filters, and per group the merge over all downstream interfaces.
 *
 * <p>Only non-NONE entries are kept. Not thread-safe: the loop thread owns it.
 */
public final class MembershipDatabase {

    /** As reported by the router side, before filters (kept so that a reload can filter again). */
    private final Map<String, Map<IpAddress, Subscription>> wanted = new TreeMap<>();
    /** After the interface's filters: what the interface is given. */
    private final Map<String, Map<IpAddress, Subscription>> filtered = new TreeMap<>();
    /** Per group, which interfaces want it and how (filtered), for merging. */
    private final Map<IpAddress, Map<String, Subscription>> byGroup = new TreeMap<>();

    private final Map<IpAddress, Subscription> merged = new TreeMap<>();
    private Function<String, InterfaceFilter> filterOf;

    public MembershipDatabase(Function<String, InterfaceFilter> filterOf) {
        this.filterOf = filterOf;
    }

    /**
     * Records what an interface now wants of a group.
     *
     * @return true if what the interface is given (after filters) changed, so a new snapshot is due
     */
    public boolean update(String interfaceName, IpAddress group, Subscription now) {
        put(wanted, interfaceName, group, now);
        return refilter(interfaceName, group);
    }

    /** Forgets an interface (gone, or no longer downstream); returns the groups it had. */
    public Set<IpAddress> removeInterface(String interfaceName) {
        Map<IpAddress, Subscription> had = wanted.remove(interfaceName);
        if (had == null) {
            return Set.of();
        }
        Set<IpAddress> groups = new TreeSet<>(had.keySet());
        for (IpAddress group : groups) {
            refilter(interfaceName, group);
        }
        return groups;
    }

    /** Applies new filters (after a reload) to everything known; returns true if anything given changed. */
    public boolean refilterAll(Function<String, InterfaceFilter> newFilterOf) {
        this.filterOf = newFilterOf;
        boolean changed = false;
        for (Map.Entry<String, Map<IpAddress, Subscription>> e :
                Map.copyOf(wanted).entrySet()) {
            for (IpAddress group : Set.copyOf(e.getValue().keySet())) {
                changed |= refilter(e.getKey(), group);
            }
        }
        return changed;
    }

    /** The merge over all interfaces of what they are given; NONE if no interface wants the group. */
    public Subscription merged(IpAddress group) {
        return merged.getOrDefault(group, Subscription.NONE);
    }

    /** Every group some interface wants, with its merged subscription, in address order (read-only view). */
    public Map<IpAddress, Subscription> mergedGroups() {
        return Collections.unmodifiableMap(merged);
    }

    /** What an interface is given, after filters, in group order (read-only view; empty if nothing). */
    public Map<IpAddress, Subscription> filtered(String interfaceName) {
        return Collections.unmodifiableMap(filtered.getOrDefault(interfaceName, Map.of()));
    }

    /** What an interface asked for, before filters (read-only view). */
    public Map<IpAddress, Subscription> wanted(String interfaceName) {
        return Collections.unmodifiableMap(wanted.getOrDefault(interfaceName, Map.of()));
    }

    /** The interfaces that are given something, in name order (read-only view). */
    public Set<String> interfaces() {
        return Collections.unmodifiableSet(filtered.keySet());
    }

    private boolean refilter(String interfaceName, IpAddress group) {
        Subscription raw = wanted.getOrDefault(interfaceName, Map.of()).getOrDefault(group, Subscription.NONE);
        Subscription now = filterOf.apply(interfaceName).apply(group, raw);
        Subscription before = filtered.getOrDefault(interfaceName, Map.of()).getOrDefault(group, Subscription.NONE);
        if (before.equals(now)) {
            return false;
        }
        put(filtered, interfaceName, group, now);
        Map<String, Subscription> members = byGroup.computeIfAbsent(group, g -> new TreeMap<>());
        if (now.isNone()) {
            members.remove(interfaceName);
        } else {
            members.put(interfaceName, now);
        }
        Subscription m = MembershipMerge.mergeAll(members.values());
        if (m.isNone()) {
            byGroup.remove(group);
            merged.remove(group);
        } else {
            merged.put(group, m);
        }
        return true;
    }

    private static void put(
            Map<String, Map<IpAddress, Subscription>> table, String interfaceName, IpAddress group, Subscription s) {
        if (s.isNone()) {
            Map<IpAddress, Subscription> row = table.get(interfaceName);
            if (row != null) {
                row.remove(group);
                if (row.isEmpty()) {
                    table.remove(interfaceName);
                }
            }
        } else {
            table.computeIfAbsent(interfaceName, n -> new TreeMap<>()).put(group, s);
        }
    }
}
