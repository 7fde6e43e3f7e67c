package dev.mcgate.forward;

import dev.mcgate.net.FilterMode;
import dev.mcgate.net.Ip4;
import dev.mcgate.net.Ip6;
import dev.mcgate.net.IpAddress;
import dev.mcgate.net.Subscription;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One interface's {@link Subscription} to one group compiled to sorted primitive arrays: the RFC 3376 §6.3 / RFC 9777
 * rule ("INCLUDE forwards the listed sources, EXCLUDE every source but the listed ones") answered from raw address
 * bits, because Subscription.wants takes an address object and so would cost an allocation per packet.
 */
final class SourceFilter {

    private final boolean exclude;
    /** IPv4 addresses with the sign bit flipped, sorted signed: that is unsigned address order. */
    private final int[] sorted;
    /** IPv6 sources as (high, low) pairs, in {@link Ip6} order (a subscription's sources are of its group's family). */
    private final long[] sorted6;

    SourceFilter(Subscription subscription) {
        exclude = subscription.mode() == FilterMode.EXCLUDE;
        List<Ip4> v4 = new ArrayList<>();
        List<Ip6> v6 = new ArrayList<>();
        for (IpAddress source : subscription.sources()) {
            if (source instanceof Ip4 a) {
                v4.add(a);
            } else if (source instanceof Ip6 a) {
                v6.add(a);
            }
        }
        int[] keys = v4.stream().mapToInt(s -> s.bits() ^ Integer.MIN_VALUE).toArray();
        Arrays.sort(keys);
        sorted = keys;
        v6.sort(null);
        sorted6 = new long[2 * v6.size()];
        for (int i = 0; i < v6.size(); i++) {
            sorted6[2 * i] = v6.get(i).high();
            sorted6[2 * i + 1] = v6.get(i).low();
        }
    }

    /** RFC 3376 §6.3 for this interface and group. */
    boolean wants(int source) {
        boolean listed = Arrays.binarySearch(sorted, source ^ Integer.MIN_VALUE) >= 0;
        return exclude != listed;
    }

    /** RFC 9777 §6.3 (as RFC 3376 §6.3) for an IPv6 source. */
    boolean wants(long high, long low) {
        return exclude != isListed6(high, low);
    }

    boolean wants(FlowKey key) {
        return key.ipv6 ? wants(key.sourceHigh, key.sourceLow) : wants(key.source);
    }

    private boolean isListed6(long high, long low) {
        int lo = 0;
        int hi = sorted6.length / 2 - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = Long.compareUnsigned(sorted6[2 * mid], high);
            if (c == 0) {
                c = Long.compareUnsigned(sorted6[2 * mid + 1], low);
            }
            if (c == 0) {
                return true;
            }
            if (c < 0) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return false;
    }

    boolean isExclude() {
        return exclude;
    }

    int size() {
        return sorted.length + sorted6.length / 2;
    }
}
