package dev.mcgate.forward;

import dev.mcgate.config.PrefixFilter;

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
            allow = new PrefixSet(filter.allow());
            deny = new PrefixSet(filter.deny());
            // The default source filter allows 0.0.0.0/0: that filters nothing either.
            everything = filter.deny().isEmpty() && filter.allow().stream().anyMatch(p -> p.length() == 0);
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
