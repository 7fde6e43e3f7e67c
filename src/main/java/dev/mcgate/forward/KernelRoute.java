package dev.mcgate.forward;

import dev.mcgate.net.Ip4;
import dev.mcgate.net.MacAddress;
import java.util.List;
import java.util.Optional;

/**
 * One route the kernel can forward by itself: (S,G) or (*,G) arriving on one interface, and the copies it makes.
 *
 * <p>An empty egress list is an exception to a (*,G) route: that source is left to user space (which drops it as
 * not wanted and counts it), because no member wants it although others of the group's sources go on.
 *
 * @param arrival the only interface the route accepts packets from (RPF)
 * @param source  the source of an (S,G) route; empty for (*,G): any source the arrival's ingress rules let through
 * @param egress  the copies, in table order
 */
public record KernelRoute(String arrival, Ip4 group, Optional<Ip4> source, List<Egress> egress) {

    /**
     * One copy: out of {@code name} with the interface's own MAC as the Ethernet source.
     *
     * @param ttlThreshold a copy leaves only if the TTL it arrived with is above this (Linux ipmr's rule)
     */
    public record Egress(String name, MacAddress mac, int ttlThreshold) {}

    public KernelRoute {
        egress = List.copyOf(egress);
    }

    /** (S,G) as text, with {@code *} for any source: how status and logs name the route. */
    public String key() {
        return source.map(Ip4::toString).orElse("*") + "," + group;
    }
}
