package dev.mcgate.forward;

import dev.mcgate.config.PrefixFilter;
import dev.mcgate.net.IpFamily;
import dev.mcgate.net.IpPrefix;
import java.util.List;

/**
 * A {@link PrefixFilter} compiled for the forwarding path: the same rule (some allow prefix holds it and no deny
 * prefix does), per address family, with no streams and no allocation.
 *
 * <p>A filter that names no prefix of a family at all (neither allow nor deny) leaves that family unfiltered: a
 * configuration written before IPv6 (allow-group 239.0.0.0/8) restricts IPv4 and says nothing of IPv6, so IPv6 is
 * not silently cut off by it.
 */
final class AddressFilter {

    static final AddressFilter ALL = new AddressFilter(null);

    private final PrefixSet allow;
    private final PrefixSet deny;
    private final boolean everything4;
    private final boolean everything6;

    AddressFilter(PrefixFilter filter) {
        if (filter == null) {
            allow = PrefixSet.EMPTY;
            deny = PrefixSet.EMPTY;
            everything4 = true;
            everything6 = true;
        } else {
            allow = new PrefixSet(filter.allow());
            deny = new PrefixSet(filter.deny());
            everything4 = everything(filter.allow(), filter.deny(), IpFamily.IPV4);
            everything6 = everything(filter.allow(), filter.deny(), IpFamily.IPV6);
        }
    }

    /** No deny prefix of the family and an allow /0 (the default source filter), or the family not named at all. */
    private static boolean everything(List<? extends IpPrefix> allow, List<? extends IpPrefix> deny, IpFamily family) {
        boolean named = allow.stream().anyMatch(p -> p.family() == family)
                || deny.stream().anyMatch(p -> p.family() == family);
        return !named
                || (deny.stream().noneMatch(p -> p.family() == family)
                        && allow.stream().anyMatch(p -> p.family() == family && p.length() == 0));
    }

    /** True when no filter applies to either family: every address passes, so a kernel rule need not check it. */
    boolean permitsAll() {
        return everything4 && everything6;
    }

    boolean permits(int address) {
        return everything4 || (allow.contains(address) && !deny.contains(address));
    }

    /** The key's group ({@code group}) or source by the filter of its family. */
    boolean permits(FlowKey key, boolean group) {
        if (!key.ipv6) {
            return permits(group ? key.group : key.source);
        }
        return everything6 || (allow.contains(key, group) && !deny.contains(key, group));
    }
}
