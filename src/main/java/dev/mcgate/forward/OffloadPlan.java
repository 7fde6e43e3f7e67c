package dev.mcgate.forward;

import dev.mcgate.net.Ip4;
import dev.mcgate.net.Ip4Prefix;
import dev.mcgate.net.IpAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the kernel forwards for one {@link ForwardingTable}: the {@link KernelRoute}s, the source networks each arrival
 * leaves to user space (their RPF is decided there), and, per group the kernel does not take, why.
 *
 * <p>{@link #covers} is the one definition both sides use: the kernel rules match exactly the packets it covers, and
 * the user-space forwarder skips exactly those, so that no packet is forwarded twice or by neither.
 *
 * @param routes      every kernel route, exceptions (empty egress) included, in a stable order
 * @param userSpaceSources per arrival interface, the source prefixes its ingress rules hand back to user space
 * @param notOffloaded group to the reason it stays in user space
 */
public record OffloadPlan(
        List<KernelRoute> routes, Map<String, List<Ip4Prefix>> userSpaceSources, Map<IpAddress, String> notOffloaded) {

    /** Nothing offloaded: the plan of an empty table, and of the user-space engines. */
    public static final OffloadPlan EMPTY = new OffloadPlan(List.of(), Map.of(), Map.of());

    public OffloadPlan {
        routes = List.copyOf(routes);
        Map<String, List<Ip4Prefix>> copy = new LinkedHashMap<>();
        userSpaceSources.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        userSpaceSources = Collections.unmodifiableMap(copy);
        notOffloaded = Collections.unmodifiableMap(new LinkedHashMap<>(notOffloaded));
    }

    /** Whether the kernel forwards (source, group) arriving on {@code arrival} under this plan. */
    public boolean covers(String arrival, Ip4 source, Ip4 group) {
        for (Ip4Prefix p : userSpaceSources.getOrDefault(arrival, List.of())) {
            if (p.contains(source)) {
                return false;
            }
        }
        KernelRoute any = null;
        for (KernelRoute r : routes) {
            if (!r.arrival().equals(arrival) || !r.group().equals(group)) {
                continue;
            }
            if (r.source().isPresent()) {
                if (r.source().get().equals(source)) {
                    return !r.egress().isEmpty();
                }
            } else {
                any = r;
            }
        }
        return any != null;
    }

    /** The routes with at least one egress (exceptions left out). */
    public List<KernelRoute> forwardingRoutes() {
        return routes.stream().filter(r -> !r.egress().isEmpty()).toList();
    }

    /** The arrival interfaces that have kernel routes, in order. */
    public List<String> arrivals() {
        Set<String> seen = new HashSet<>();
        List<String> out = new ArrayList<>();
        for (KernelRoute r : routes) {
            if (seen.add(r.arrival())) {
                out.add(r.arrival());
            }
        }
        return out;
    }

    /** The routes of one arrival interface. */
    public List<KernelRoute> routesOf(String arrival) {
        return routes.stream().filter(r -> r.arrival().equals(arrival)).toList();
    }
}
