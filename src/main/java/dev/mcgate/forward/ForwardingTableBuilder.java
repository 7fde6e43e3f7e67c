package dev.mcgate.forward;

import dev.mcgate.config.InterfaceConfig;
import dev.mcgate.config.McgateConfig;
import dev.mcgate.config.Role;
import dev.mcgate.net.IpAddress;
import dev.mcgate.net.Subscription;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Builds a {@link ForwardingTable} from the interfaces and the downstream memberships. Pure: no I/O, no clock; the loop
 * calls it whenever membership, querier state or interfaces change and publishes the result.
 *
 * <p>Membership is per downstream interface, group to {@link Subscription} (an interface's EXCLUDE(X, Y) router state
 * is EXCLUDE(Y), see Subscription), for groups of both families. Memberships of interfaces that are not downstreams,
 * INCLUDE{} subscriptions and link-local groups (224.0.0.0/24; IPv6 scopes 0 to 2) are ignored.
 */
public final class ForwardingTableBuilder {

    private final List<InterfaceSpec> interfaces = new ArrayList<>();
    private final Map<String, Map<? extends IpAddress, Subscription>> membership = new LinkedHashMap<>();
    private List<InterfaceConfig> upstreamOrder;
    private long generation;

    /** A builder whose group ownership follows {@code McgateConfig.upstreamFor} for this configuration. */
    public static ForwardingTableBuilder forConfig(McgateConfig config) {
        return new ForwardingTableBuilder().upstreamOrder(config.withRole(Role.UPSTREAM));
    }

    /**
     * The upstreams in configuration order, present or not, for the group ownership rule (first upstream whose
     * upstream-groups hold the group, else the first). Without it, the upstreams added, in the order added.
     */
    public ForwardingTableBuilder upstreamOrder(List<InterfaceConfig> upstreamsInConfigOrder) {
        this.upstreamOrder = List.copyOf(upstreamsInConfigOrder);
        return this;
    }

    public ForwardingTableBuilder add(InterfaceSpec spec) {
        Objects.requireNonNull(spec, "spec");
        if (interfaces.stream().anyMatch(i -> i.name().equals(spec.name()))) {
            throw new IllegalArgumentException("interface " + spec.name() + " added twice");
        }
        interfaces.add(spec);
        return this;
    }

    /** Sets the subscriptions of one downstream interface, replacing any given before. */
    public ForwardingTableBuilder membership(String downstream, Map<? extends IpAddress, Subscription> groups) {
        membership.put(downstream, Map.copyOf(groups));
        return this;
    }

    public ForwardingTableBuilder generation(long tableGeneration) {
        this.generation = tableGeneration;
        return this;
    }

    public ForwardingTable build() {
        ForwardingInterface[] compiled = new ForwardingInterface[interfaces.size()];
        Map<String, Integer> indexOfName = new HashMap<>();
        for (int i = 0; i < compiled.length; i++) {
            compiled[i] = new ForwardingInterface(i, interfaces.get(i));
            indexOfName.put(compiled[i].name(), i);
        }
        List<InterfaceConfig> upstreams = upstreamOrder != null
                ? upstreamOrder
                : interfaces.stream()
                        .map(InterfaceSpec::config)
                        .filter(c -> c.role() == Role.UPSTREAM)
                        .toList();
        UpstreamSelector selector = new UpstreamSelector(upstreams, indexOfName);

        // Group -> (member index -> subscription), in a stable order so equal inputs give equal tables.
        Map<IpAddress, Map<Integer, Subscription>> byGroup = new TreeMap<>();
        for (Map.Entry<String, Map<? extends IpAddress, Subscription>> entry : membership.entrySet()) {
            Integer index = indexOfName.get(entry.getKey());
            if (index == null || compiled[index].role() != Role.DOWNSTREAM) {
                continue;
            }
            for (Map.Entry<? extends IpAddress, Subscription> group :
                    entry.getValue().entrySet()) {
                IpAddress g = group.getKey();
                if (!g.isMulticast()
                        || g.isLinkLocalMulticast()
                        || group.getValue().isNone()) {
                    continue;
                }
                byGroup.computeIfAbsent(g, k -> new TreeMap<>()).put(index, group.getValue());
            }
        }
        List<GroupRoute> routes = new ArrayList<>();
        byGroup.forEach((group, members) -> {
            int[] indexes =
                    members.keySet().stream().mapToInt(Integer::intValue).toArray();
            routes.add(new GroupRoute(group, indexes, members.values().toArray(new Subscription[0])));
        });
        return new ForwardingTable(generation, compiled, Map.copyOf(indexOfName), selector, new GroupIndex(routes));
    }
}
