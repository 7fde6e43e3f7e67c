package dev.mcgate.daemon;

import dev.mcgate.config.PrefixLists;
import dev.mcgate.io.InterfacePort;
import dev.mcgate.io.NetInterface;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Each wanted interface's {@link LinkScope} as the loop last saw it (its current addresses and configured altnets),
 * published for the capture threads' input rules; reading takes no lock.
 */
final class LinkScopes {

    private volatile Map<String, LinkScope> scopes = Map.of();

    /** Loop thread: after every change to the interfaces or the configuration. */
    void publish(Collection<ManagedInterface> wanted, Map<String, NetInterface> present) {
        Map<String, LinkScope> now = new HashMap<>();
        for (ManagedInterface mi : wanted) {
            NetInterface nif = present.get(mi.name);
            if (nif == null && mi.opened != null) {
                nif = mi.opened.port().netInterface();
            }
            if (nif != null) {
                now.put(mi.name, LinkScope.of(nif, PrefixLists.ip4(mi.config.altnets())));
            }
        }
        scopes = Map.copyOf(now);
    }

    /** Capture thread: the scope of the port's interface (before the first publication: its addresses as opened). */
    LinkScope of(InterfacePort port) {
        NetInterface nif = port.netInterface();
        LinkScope scope = scopes.get(nif.name());
        return scope != null ? scope : LinkScope.of(nif, List.of());
    }
}
