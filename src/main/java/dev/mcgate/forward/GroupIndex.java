package dev.mcgate.forward;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * An immutable open-addressing hash map from group address bits to its {@link GroupRoute}: a lookup is a few array
 * reads, with no boxing. 0 marks an empty slot (0.0.0.0 is never a group).
 */
final class GroupIndex {

    private final int[] keys;
    private final GroupRoute[] values;
    private final int mask;
    private final int size;

    GroupIndex(Collection<GroupRoute> routes) {
        int capacity = Integer.highestOneBit(Math.max(4, routes.size() * 2 - 1)) << 1;
        keys = new int[capacity];
        values = new GroupRoute[capacity];
        mask = capacity - 1;
        size = routes.size();
        for (GroupRoute route : routes) {
            int slot = slot(route.group);
            while (keys[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            keys[slot] = route.group;
            values[slot] = route;
        }
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
        return all;
    }

    private int slot(int group) {
        // Groups of one stream family differ in the low bits; a multiplicative hash spreads them over the table.
        int h = group * 0x9E3779B9;
        return (h ^ (h >>> 16)) & mask;
    }
}
