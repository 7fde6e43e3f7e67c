package dev.mcgate.forward;

import dev.mcgate.config.PrefixFilter;
import dev.mcgate.net.IpFamily;
import dev.mcgate.net.IpPrefix;
import java.util.List;

/**
 * A {@link PrefixFilter} compiled for the forwarding path: the same rule (some allow prefix holds it and no deny
 * prefix does), per address family, with no streams and no allocation.
 *
 * <p>The lists are taken literally, as the configuration takes them ({@link PrefixFilter#permits}): an allow list that
 * names no prefix of a family lets none of it through (the configuration warns where a list written before IPv6 does
 * that), so the data path never passes what the membership side refused.
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

    /** No deny prefix of the family and an allow /0 of it (the default source filter). */
    private static boolean everything(List<? extends IpPrefix> allow, List<? extends IpPrefix> deny, IpFamily family) {
        return deny.stream().noneMatch(p -> p.family() == family)
                && allow.stream().anyMatch(p -> p.family() == family && p.length() == 0);
    }

    /**
     * True when every IPv4 address passes, so a kernel rule need not check it (the kernel engine forwards IPv4 only;
     * an IPv6 prefix in the lists says nothing about it).
     */
    boolean permitsAll() {
        return everything4;
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
