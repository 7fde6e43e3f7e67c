package dev.mcgate.config;

import dev.mcgate.net.Ip4Prefix;
import dev.mcgate.net.IpAddress;
import java.util.List;

/**
 * An allow list and a deny list of prefixes: an address passes if some allow prefix holds it and no deny prefix does.
 *
 * <p>An empty allow list lets nothing through; "everything" is written as 224.0.0.0/4 (groups) or 0.0.0.0/0 (sources),
 * which is what the defaults are. Deny wins, so a narrow exception can be cut out of a wide allow.
 */
public record PrefixFilter(List<Ip4Prefix> allow, List<Ip4Prefix> deny) {

    /** Every multicast group passes. */
    public static final PrefixFilter ALL_GROUPS = new PrefixFilter(List.of(Ip4Prefix.MULTICAST), List.of());
    /** Every source passes. */
    public static final PrefixFilter ALL_SOURCES = new PrefixFilter(List.of(Ip4Prefix.parse("0.0.0.0/0")), List.of());

    public PrefixFilter {
        allow = List.copyOf(allow);
        deny = List.copyOf(deny);
    }

    public boolean permits(IpAddress address) {
        return allow.stream().anyMatch(p -> p.contains(address))
                && deny.stream().noneMatch(p -> p.contains(address));
    }
}
