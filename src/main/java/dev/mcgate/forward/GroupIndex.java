package dev.mcgate.forward;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * An immutable open-addressing hash map from group address to its {@link GroupRoute}, one table per family: a lookup
 * is a few array reads, with no boxing. 0 marks an empty slot (neither 0.0.0.0 nor an IPv6 address whose high half is
 * 0 is ever a group).
 */
final class GroupIndex {

    private final int[] keys;
    private final GroupRoute[] values;
    private final int mask;
    /** IPv6: the high halves as keys (a multicast group's high half is never 0). */
    private final long[] keys6;

    private final GroupRoute[] values6;
    private final int mask6;
    private final int size;

    GroupIndex(Collection<GroupRoute> routes) {
        List<GroupRoute> v4 = routes.stream().filter(r -> !r.isIpv6()).toList();
        List<GroupRoute> v6 = routes.stream().filter(GroupRoute::isIpv6).toList();
        int capacity = capacity(v4.size());
        keys = new int[capacity];
        values = new GroupRoute[capacity];
        mask = capacity - 1;
        for (GroupRoute route : v4) {
            int slot = slot(route.group);
            while (keys[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            keys[slot] = route.group;
            values[slot] = route;
        }
        int capacity6 = capacity(v6.size());
        keys6 = new long[capacity6];
        values6 = new GroupRoute[capacity6];
        mask6 = capacity6 - 1;
        for (GroupRoute route : v6) {
            int slot = slot6(route.groupHigh, route.groupLow);
            while (values6[slot] != null) {
                slot = (slot + 1) & mask6;
            }
            keys6[slot] = route.groupHigh;
            values6[slot] = route;
        }
        size = routes.size();
    }

    private static int capacity(int entries) {
        return Integer.highestOneBit(Math.max(4, entries * 2 - 1)) << 1;
    }

    GroupRoute get(int group) {
        int slot = slot(group);
        while (true) {
            int key = keys[slot];
            if (key == group) {
                return values[slot];
            }
            if (key == 0) {
                return null;
            }
            slot = (slot + 1) & mask;
        }
    }

    GroupRoute get(long high, long low) {
        int slot = slot6(high, low);
        while (true) {
            GroupRoute route = values6[slot];
            if (route == null) {
                return null;
            }
            if (keys6[slot] == high && route.groupLow == low) {
                return route;
            }
            slot = (slot + 1) & mask6;
        }
    }

    GroupRoute get(FlowKey key) {
        return key.ipv6 ? get(key.groupHigh, key.groupLow) : get(key.group);
    }

    int size() {
        return size;
    }

    List<GroupRoute> all() {
        List<GroupRoute> all = new ArrayList<>(size);
        for (GroupRoute route : values) {
            if (route != null) {
                all.add(route);
            }
        }
        for (GroupRoute route : values6) {
            if (route != null) {
                all.add(route);
            }
        }
        return all;
    }

    private int slot(int group) {
        // Groups of one stream family differ in the low bits; a multiplicative hash spreads them over the table.
        int h = group * 0x9E3779B9;
        return (h ^ (h >>> 16)) & mask;
    }

    private int slot6(long high, long low) {
        long h = (high ^ Long.rotateLeft(low, 29)) * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 40) & mask6;
    }
}
