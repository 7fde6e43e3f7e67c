package dev.mcgate.forward;

import dev.mcgate.config.PrefixFilter;
import dev.mcgate.config.PrefixLists;
import dev.mcgate.net.Ip4Prefix;
import java.util.List;

/**
 * A {@link PrefixFilter} compiled for the forwarding path: the same rule (some allow prefix holds it and no deny
 * prefix does), with no streams and no allocation.
 */
final class AddressFilter {

    static final AddressFilter ALL = new AddressFilter(null);

    private final PrefixSet allow;
    private final PrefixSet deny;
    private final boolean everything;

    AddressFilter(PrefixFilter filter) {
        if (filter == null) {
            allow = PrefixSet.EMPTY;
            deny = PrefixSet.EMPTY;
            everything = true;
        } else {
            // This path forwards IPv4 only: the configuration's IPv6 prefixes are not its business.
            List<Ip4Prefix> allowed = PrefixLists.ip4(filter.allow());
            List<Ip4Prefix> denied = PrefixLists.ip4(filter.deny());
            allow = new PrefixSet(allowed);
            deny = new PrefixSet(denied);
            // The default source filter allows 0.0.0.0/0: that filters nothing either.
            everything = denied.isEmpty() && allowed.stream().anyMatch(p -> p.length() == 0);
        }
    }

    /** True when no filter is configured: every address passes, so a kernel rule need not check it. */
    boolean permitsAll() {
        return everything;
    }

    boolean permits(int address) {
        return everything || (allow.contains(address) && !deny.contains(address));
    }
}
