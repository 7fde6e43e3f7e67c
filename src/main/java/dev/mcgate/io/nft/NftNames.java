package dev.mcgate.io.nft;

import dev.mcgate.forward.KernelRoute;
import dev.mcgate.net.Ip4;

/** Names of mcgate's nft objects: stable per route, so a route's counters survive every table change it survives. */
final class NftNames {

    /** mcgate's own table in the netdev family: nothing else of ours is ever touched in the ruleset. */
    static final String TABLE = "mcgate";

    static final String FAMILY_TABLE = "netdev " + TABLE;
    /** The verdict map from a packet's TTL to the chain that writes TTL - 1. */
    static final String TTL_MAP = "ttl_dec";

    private NftNames() {}

    /** The base chain at the ingress hook of an arrival interface. */
    static String ingressChain(String interfaceName) {
        return "in_" + safe(interfaceName);
    }

    /** The chain of one route: TTL check and rewrite, then the copies. */
    static String routeChain(KernelRoute route) {
        return "r_" + suffix(route);
    }

    /** The counter of the packets a route forwards. */
    static String forwardedCounter(KernelRoute route) {
        return "f_" + suffix(route);
    }

    /** The counter of the packets a route drops for TTL 0 or 1 (RFC 1812 §5.3.1). */
    static String expiredCounter(KernelRoute route) {
        return "x_" + suffix(route);
    }

    /** The chain that writes TTL {@code ttl - 1}. */
    static String ttlChain(int ttl) {
        return "ttl_" + ttl;
    }

    /**
     * Group, source, then the interface: the two addresses have a fixed shape, so the names of different routes
     * never collide, whatever the interface is called.
     */
    private static String suffix(KernelRoute route) {
        return dotless(route.group()) + "_"
                + route.source().map(NftNames::dotless).orElse("any") + "_" + safe(route.arrival());
    }

    private static String dotless(Ip4 address) {
        return address.toString().replace('.', '_');
    }

    /**
     * An interface name as an nft identifier: letters and digits stay, anything else becomes {@code _} and two hex
     * digits (Linux allows nearly any byte in a name; nft identifiers do not).
     */
    static String safe(String interfaceName) {
        StringBuilder out = new StringBuilder();
        for (char c : interfaceName.toCharArray()) {
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
                out.append(c);
            } else {
                out.append('_').append(String.format("%02x", (int) c & 0xff));
            }
        }
        return out.toString();
    }
}
