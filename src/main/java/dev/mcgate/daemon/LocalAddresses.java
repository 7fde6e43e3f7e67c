package dev.mcgate.daemon;

import dev.mcgate.io.NetInterface;
import dev.mcgate.net.Ip4;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/** This host's IPv4 addresses on every interface, replaced as a whole when interfaces change; read by any thread. */
final class LocalAddresses {

    private volatile Set<Ip4> addresses = Set.of();

    void update(Collection<NetInterface> interfaces) {
        Set<Ip4> now = new HashSet<>();
        for (NetInterface nif : interfaces) {
            nif.addresses().forEach(a -> now.add(a.address()));
        }
        addresses = Set.copyOf(now);
    }

    boolean contains(Ip4 address) {
        return addresses.contains(address);
    }
}
