package dev.mcgate.forward;

import dev.mcgate.net.Ip4;
import dev.mcgate.net.Ip6;
import dev.mcgate.net.IpAddress;
import dev.mcgate.net.Subscription;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The downstream members of one group (either family): which interfaces have a subscription and each one's RFC 3376
 * §6.3 / RFC 9777 source filter, precomputed so that a packet is matched against them without allocating.
 */
final class GroupRoute {

    final IpAddress address;
    /** The IPv4 group's bits; 0 for an IPv6 group. */
    final int group;

    final long groupHigh;
    final long groupLow;
    final int[] members;
    final SourceFilter[] filters;
    private final Subscription[] subscriptions;

    GroupRoute(IpAddress address, int[] members, Subscription[] subscriptions) {
        this.address = address;
        this.group = address instanceof Ip4 v4 ? v4.bits() : 0;
        this.groupHigh = address instanceof Ip6 v6 ? v6.high() : 0;
        this.groupLow = address instanceof Ip6 v6 ? v6.low() : 0;
        this.members = members;
        this.subscriptions = subscriptions;
        this.filters = new SourceFilter[subscriptions.length];
        for (int i = 0; i < subscriptions.length; i++) {
            filters[i] = new SourceFilter(subscriptions[i]);
        }
    }

    boolean isIpv6() {
        return address instanceof Ip6;
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
        return address + " " + subscriptions();
    }
}
