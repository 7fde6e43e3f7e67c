package dev.mcgate.config;

import dev.mcgate.net.Ip4Prefix;
import dev.mcgate.net.Ip6Prefix;
import dev.mcgate.net.IpAddress;
import dev.mcgate.net.IpFamily;
import dev.mcgate.net.IpPrefix;
import java.util.List;

/**
 * An allow list and a deny list of prefixes of either family: an address passes if some allow prefix holds it and no
 * deny prefix does.
 *
 * <p>An empty allow list lets nothing through; "everything" is written as 224.0.0.0/4 ff00::/8 (groups) or 0.0.0.0/0
 * ::/0 (sources), which is what the defaults are. An allow list that names prefixes of one family only lets nothing
 * of the other through: a list is taken literally. Deny wins, so a narrow exception can be cut out of a wide allow.
 */
public record PrefixFilter(List<IpPrefix> allow, List<IpPrefix> deny) {

    /** Every multicast group of both families passes. */
    public static final PrefixFilter ALL_GROUPS =
            new PrefixFilter(List.of(Ip4Prefix.MULTICAST, Ip6Prefix.MULTICAST), List.of());
    /** Every source of both families passes. */
    public static final PrefixFilter ALL_SOURCES =
            new PrefixFilter(List.of(Ip4Prefix.parse("0.0.0.0/0"), Ip6Prefix.parse("::/0")), List.of());

    public PrefixFilter {
        allow = List.copyOf(allow);
        deny = List.copyOf(deny);
    }

    public boolean permits(IpAddress address) {
        return allow.stream().anyMatch(p -> p.contains(address))
                && deny.stream().noneMatch(p -> p.contains(address));
    }

    /** The same filter for one family's addresses only (for a consumer that handles one family). */
    public PrefixFilter only(IpFamily family) {
        return new PrefixFilter(PrefixLists.of(family, allow), PrefixLists.of(family, deny));
    }
}
