package dev.mcgate.config;

import dev.mcgate.net.Ip4Prefix;
import dev.mcgate.net.Ip6Prefix;
import dev.mcgate.net.IpFamily;
import dev.mcgate.net.IpPrefix;
import java.util.List;

/** One family's part of a mixed prefix list from the configuration, for code that handles one family. */
public final class PrefixLists {

    private PrefixLists() {}

    public static List<IpPrefix> of(IpFamily family, List<? extends IpPrefix> prefixes) {
        return prefixes.stream()
                .filter(p -> p.family() == family)
                .map(IpPrefix.class::cast)
                .toList();
    }

    public static List<Ip4Prefix> ip4(List<? extends IpPrefix> prefixes) {
        return prefixes.stream()
                .filter(Ip4Prefix.class::isInstance)
                .map(Ip4Prefix.class::cast)
                .toList();
    }

    public static List<Ip6Prefix> ip6(List<? extends IpPrefix> prefixes) {
        return prefixes.stream()
                .filter(Ip6Prefix.class::isInstance)
                .map(Ip6Prefix.class::cast)
                .toList();
    }
}
