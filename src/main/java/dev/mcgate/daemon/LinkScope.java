package dev.mcgate.daemon;

import dev.mcgate.io.NetInterface;
import dev.mcgate.net.Ip4;
import dev.mcgate.net.Ip4Prefix;
import java.util.List;

/**
 * Where IGMP heard on one interface may come from and be sent to: the interface's own addresses and subnets, and the
 * altnets configured for it.
 */
record LinkScope(List<NetInterface.InterfaceAddress> addresses, List<Ip4Prefix> altnets) {

    LinkScope {
        addresses = List.copyOf(addresses);
        altnets = List.copyOf(altnets);
    }

    static LinkScope of(NetInterface nif, List<Ip4Prefix> altnets) {
        return new LinkScope(nif.addresses(), altnets);
    }

    /** One of this interface's own addresses. */
    boolean isOwn(Ip4 address) {
        for (NetInterface.InterfaceAddress a : addresses) {
            if (a.address().equals(address)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the interface has anything to check a source against. An unnumbered interface without altnets has
     * not: its sources cannot be told local or not, so they are not checked.
     */
    boolean checksSources() {
        return !addresses.isEmpty() || !altnets.isEmpty();
    }

    /** On one of the interface's own subnets. */
    boolean onSubnet(Ip4 source) {
        for (NetInterface.InterfaceAddress a : addresses) {
            if (a.subnet().contains(source)) {
                return true;
            }
        }
        return false;
    }

    /** On one of the interface's subnets or altnets. */
    boolean onSubnetOrAltnet(Ip4 source) {
        if (onSubnet(source)) {
            return true;
        }
        for (Ip4Prefix p : altnets) {
            if (p.contains(source)) {
                return true;
            }
        }
        return false;
    }
}
