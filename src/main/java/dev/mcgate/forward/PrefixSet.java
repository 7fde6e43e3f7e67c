package dev.mcgate.forward;

import dev.mcgate.net.Ip4Prefix;
import dev.mcgate.net.Ip6Prefix;
import dev.mcgate.net.IpPrefix;
import java.util.List;

/**
 * A list of prefixes of either family compiled into parallel primitive arrays, so that a membership test on the
 * forwarding path is a short loop with no allocation (IpPrefix.contains wants an address object). IPv4 prefixes match
 * IPv4 address bits only, IPv6 prefixes the two 64-bit halves of IPv6 addresses only.
 */
final class PrefixSet {

    static final PrefixSet EMPTY = new PrefixSet(List.of());

    private final int[] networks;
    private final int[] masks;
    private final int[] lengths;
    /** IPv6: network and mask halves, high then low, two entries per prefix. */
    private final long[] networks6;

    private final long[] masks6;
    private final int[] lengths6;

    PrefixSet(List<? extends IpPrefix> prefixes) {
        List<Ip4Prefix> v4 = prefixes.stream()
                .filter(Ip4Prefix.class::isInstance)
                .map(Ip4Prefix.class::cast)
                .toList();
        List<Ip6Prefix> v6 = prefixes.stream()
                .filter(Ip6Prefix.class::isInstance)
                .map(Ip6Prefix.class::cast)
                .toList();
        networks = new int[v4.size()];
        masks = new int[v4.size()];
        lengths = new int[v4.size()];
        for (int i = 0; i < v4.size(); i++) {
            Ip4Prefix p = v4.get(i);
            networks[i] = p.address().bits();
            masks[i] = Ip4Prefix.mask(p.length());
            lengths[i] = p.length();
        }
        networks6 = new long[2 * v6.size()];
        masks6 = new long[2 * v6.size()];
        lengths6 = new int[v6.size()];
        for (int i = 0; i < v6.size(); i++) {
            Ip6Prefix p = v6.get(i);
            int length = p.length();
            masks6[2 * i] = mask64(length);
            masks6[2 * i + 1] = mask64(length - 64);
            networks6[2 * i] = p.address().high() & masks6[2 * i];
            networks6[2 * i + 1] = p.address().low() & masks6[2 * i + 1];
            lengths6[i] = length;
        }
    }

    /** The top {@code length} bits of a 64-bit half set (none below 1, all from 64). */
    private static long mask64(int length) {
        return length <= 0 ? 0 : length >= 64 ? -1L : -1L << (64 - length);
    }

    boolean contains(int address) {
        for (int i = 0; i < networks.length; i++) {
            if ((address & masks[i]) == networks[i]) {
                return true;
            }
        }
        return false;
    }

    boolean contains(long high, long low) {
        return longestMatch(high, low) >= 0;
    }

    /** {@link #contains(int)} or {@link #contains(long, long)} by the key's family. */
    boolean contains(FlowKey key, boolean group) {
        return key.ipv6
                ? contains(group ? key.groupHigh : key.sourceHigh, group ? key.groupLow : key.sourceLow)
                : contains(group ? key.group : key.source);
    }

    /** The length of the longest prefix holding the address, or -1 if none does. */
    int longestMatch(int address) {
        int best = -1;
        for (int i = 0; i < networks.length; i++) {
            if ((address & masks[i]) == networks[i] && lengths[i] > best) {
                best = lengths[i];
            }
        }
        return best;
    }

    /** The length of the longest IPv6 prefix holding the address, or -1 if none does. */
    int longestMatch(long high, long low) {
        int best = -1;
        for (int i = 0; i < lengths6.length; i++) {
            if ((high & masks6[2 * i]) == networks6[2 * i]
                    && (low & masks6[2 * i + 1]) == networks6[2 * i + 1]
                    && lengths6[i] > best) {
                best = lengths6[i];
            }
        }
        return best;
    }

    /** Whether the set holds a prefix of the family at all. */
    boolean hasFamily(boolean ipv6) {
        return ipv6 ? lengths6.length > 0 : lengths.length > 0;
    }

    boolean isEmpty() {
        return networks.length == 0 && lengths6.length == 0;
    }
}
