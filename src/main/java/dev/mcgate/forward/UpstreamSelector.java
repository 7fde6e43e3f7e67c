package dev.mcgate.forward;

import dev.mcgate.config.InterfaceConfig;
import dev.mcgate.config.PrefixLists;
import java.util.List;
import java.util.Map;

/**
 * Which upstream owns a group, by the rule of {@code McgateConfig.upstreamFor}: the first upstream (in configuration
 * order) whose upstream-groups ranges hold the group, else the first upstream. Compiled so that it allocates nothing;
 * an owner that is not in the table (not present yet) is index -1.
 */
final class UpstreamSelector {

    private final PrefixSet[] ranges;
    private final int[] indexes;

    UpstreamSelector(List<InterfaceConfig> upstreamsInConfigOrder, Map<String, Integer> indexOfName) {
        ranges = new PrefixSet[upstreamsInConfigOrder.size()];
        indexes = new int[upstreamsInConfigOrder.size()];
        for (int i = 0; i < ranges.length; i++) {
            InterfaceConfig upstream = upstreamsInConfigOrder.get(i);
            ranges[i] = new PrefixSet(PrefixLists.ip4(upstream.upstreamGroups()));
            indexes[i] = indexOfName.getOrDefault(upstream.name(), -1);
        }
    }

    /** The table index of the upstream that owns the group, or -1 if there is none (or it is not present). */
    int ownerOf(int group) {
        for (int i = 0; i < ranges.length; i++) {
            if (ranges[i].contains(group)) {
                return indexes[i];
            }
        }
        return indexes.length == 0 ? -1 : indexes[0];
    }

    /** {@link #ownerOf(int)} for a group of either family. */
    int ownerOf(FlowKey key) {
        for (int i = 0; i < ranges.length; i++) {
            if (ranges[i].contains(key, true)) {
                return indexes[i];
            }
        }
        return indexes.length == 0 ? -1 : indexes[0];
    }
}
