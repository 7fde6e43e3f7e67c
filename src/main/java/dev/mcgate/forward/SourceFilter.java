package dev.mcgate.forward;

import dev.mcgate.net.FilterMode;
import dev.mcgate.net.Ip4;
import dev.mcgate.net.Subscription;
import java.util.Arrays;

/**
 * One interface's {@link Subscription} to one group compiled to a sorted int array: the RFC 3376 §6.3 rule
 * ("INCLUDE forwards the listed sources, EXCLUDE every source but the listed ones") answered from raw address bits,
 * because Subscription.wants takes an Ip4 and so would cost an allocation per packet.
 */
final class SourceFilter {

    private final boolean exclude;
    /** Addresses with the sign bit flipped, sorted signed: that is unsigned address order. */
    private final int[] sorted;

    SourceFilter(Subscription subscription) {
        exclude = subscription.mode() == FilterMode.EXCLUDE;
        int[] keys = new int[subscription.sources().size()];
        int n = 0;
        for (Ip4 source : subscription.sources().ip4List()) {
            keys[n++] = source.bits() ^ Integer.MIN_VALUE;
        }
        Arrays.sort(keys);
        sorted = keys;
    }

    /** RFC 3376 §6.3 for this interface and group. */
    boolean wants(int source) {
        boolean listed = Arrays.binarySearch(sorted, source ^ Integer.MIN_VALUE) >= 0;
        return exclude != listed;
    }

    boolean isExclude() {
        return exclude;
    }

    int size() {
        return sorted.length;
    }
}
