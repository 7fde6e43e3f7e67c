package dev.mcgate.host;

import dev.mcgate.net.IpAddress;
import dev.mcgate.net.MacAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Keeps an upstream's {@link LinkFilter} in step with the groups it joined: groups share multicast MACs (RFC 1112
 * §6.4 maps 23 bits of an IPv4 group, RFC 2464 §7 32 bits of an IPv6 one), so a MAC is added for its first group and removed with its last. Joining a group
 * twice counts once. Loop thread only.
 */
public final class GroupMacFilter {

    private final LinkFilter link;
    private final Set<IpAddress> groups = new TreeSet<>();
    private final Map<MacAddress, Integer> references = new HashMap<>();

    public GroupMacFilter(LinkFilter link) {
        this.link = link;
    }

    public void joinGroup(IpAddress group) {
        if (!groups.add(group)) {
            return;
        }
        MacAddress mac = MacAddress.forGroup(group);
        if (references.merge(mac, 1, Integer::sum) == 1) {
            link.join(mac);
        }
    }

    public void leaveGroup(IpAddress group) {
        if (!groups.remove(group)) {
            return;
        }
        MacAddress mac = MacAddress.forGroup(group);
        int left = references.merge(mac, -1, Integer::sum);
        if (left == 0) {
            references.remove(mac);
            link.leave(mac);
        }
    }

    /** Leaves every group (on stop). */
    public void leaveAll() {
        for (IpAddress group : new java.util.ArrayList<>(groups)) {
            leaveGroup(group);
        }
    }

    /** How many joined groups map to this MAC. */
    public int references(MacAddress mac) {
        return references.getOrDefault(mac, 0);
    }

    public Set<IpAddress> groups() {
        return Set.copyOf(groups);
    }

    /** Joins and leaves the link filter refused. */
    public long linkFailures() {
        return link.failures();
    }
}
