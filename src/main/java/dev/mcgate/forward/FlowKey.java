package dev.mcgate.forward;

import dev.mcgate.net.Ip4;
import dev.mcgate.net.Ip6;
import dev.mcgate.net.IpAddress;

/**
 * A (source, group) of either family as primitive fields, so that the table decides for both with one rule and no
 * allocation: IPv4 in {@link #source}/{@link #group} (the IPv6 halves 0), IPv6 in the halves ({@link #group} 0, never an
 * IPv4 group, so an IPv4 lookup can never match an IPv6 flow).
 */
class FlowKey {

    final boolean ipv6;
    final int source;
    final int group;
    final long sourceHigh;
    final long sourceLow;
    final long groupHigh;
    final long groupLow;

    FlowKey(int source, int group) {
        this(false, source, group, 0, 0, 0, 0);
    }

    FlowKey(long sourceHigh, long sourceLow, long groupHigh, long groupLow) {
        this(true, 0, 0, sourceHigh, sourceLow, groupHigh, groupLow);
    }

    private FlowKey(
            boolean ipv6, int source, int group, long sourceHigh, long sourceLow, long groupHigh, long groupLow) {
        this.ipv6 = ipv6;
        this.source = source;
        this.group = group;
        this.sourceHigh = sourceHigh;
        this.sourceLow = sourceLow;
        this.groupHigh = groupHigh;
        this.groupLow = groupLow;
    }

    /** The key of two addresses of one family (allocates: not for the forwarding path). */
    static FlowKey of(IpAddress source, IpAddress group) {
        if (source instanceof Ip4 s && group instanceof Ip4 g) {
            return new FlowKey(s.bits(), g.bits());
        }
        if (source instanceof Ip6 s && group instanceof Ip6 g) {
            return new FlowKey(s.high(), s.low(), g.high(), g.low());
        }
        throw new IllegalArgumentException("source " + source + " and group " + group + " are of different families");
    }

    IpAddress sourceAddress() {
        return ipv6 ? new Ip6(sourceHigh, sourceLow) : new Ip4(source);
    }

    IpAddress groupAddress() {
        return ipv6 ? new Ip6(groupHigh, groupLow) : new Ip4(group);
    }
}
