package dev.mcgate.daemon;

import dev.mcgate.io.NetInterface;
import dev.mcgate.net.IpAddress;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/** This host's IPv4 and IPv6 addresses on every interface, replaced as a whole when interfaces change; read by any thread. */
final class LocalAddresses {

    private volatile Set<IpAddress> addresses = Set.of();

    void update(Collection<NetInterface> interfaces) {
        Set<IpAddress> now = new HashSet<>();
        for (NetInterface nif : interfaces) {
            nif.addresses().forEach(a -> now.add(a.address()));
            nif.ipv6().forEach(a -> now.add(a.address()));
        }
        addresses = Set.copyOf(now);
    }

    boolean contains(IpAddress address) {
        return addresses.contains(address);
    }
}
