package dev.mcgate.forward;

import dev.mcgate.net.Ip4Prefix;
import java.util.List;

/**
 * A list of IPv4 prefixes compiled into parallel int arrays, so that a membership test on the forwarding path is a
 * short loop with no allocation (Ip4Prefix.contains wants an Ip4 object).
 */
final class PrefixSet {

    static final PrefixSet EMPTY = new PrefixSet(List.of());

    private final int[] networks;
    private final int[] masks;
    private final int[] lengths;

    PrefixSet(List<Ip4Prefix> prefixes) {
        networks = new int[prefixes.size()];
        masks = new int[prefixes.size()];
        lengths = new int[prefixes.size()];
        for (int i = 0; i < prefixes.size(); i++) {
            Ip4Prefix p = prefixes.get(i);
            networks[i] = p.address().bits();
            masks[i] = Ip4Prefix.mask(p.length());
            lengths[i] = p.length();
        }
    }

    boolean contains(int address) {
        for (int i = 0; i < networks.length; i++) {
            if ((address & masks[i]) == networks[i]) {
                return true;
            }
        }
        return false;
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

    boolean isEmpty() {
        return networks.length == 0;
    }
}
