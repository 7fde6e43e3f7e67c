package dev.mcgate.forward;

import dev.mcgate.net.Ip4;
import dev.mcgate.net.Subscription;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The downstream members of one group: which interfaces have a subscription and each one's RFC 3376 §6.3 source
 * filter, precomputed so that a packet is matched against them without allocating.
 */
final class GroupRoute {

    final int group;
    final int[] members;
    final SourceFilter[] filters;
    private final Subscription[] subscriptions;

    GroupRoute(int group, int[] members, Subscription[] subscriptions) {
        this.group = group;
        this.members = members;
        this.subscriptions = subscriptions;
        this.filters = new SourceFilter[subscriptions.length];
        for (int i = 0; i < subscriptions.length; i++) {
            filters[i] = new SourceFilter(subscriptions[i]);
        }
    }

    /** Member interface index to its subscription, for status and tests. */
    Map<Integer, Subscription> subscriptions() {
        Map<Integer, Subscription> map = new LinkedHashMap<>();
        for (int i = 0; i < members.length; i++) {
            map.put(members[i], subscriptions[i]);
        }
        return map;
    }

    @Override
    public String toString() {
        return new Ip4(group) + " " + subscriptions();
    }
}
