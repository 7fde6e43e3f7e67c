package dev.mcgate.config;

import dev.mcgate.net.Ip4;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** A whole, validated mcgate configuration: global settings, interface defaults, the named interfaces in file order. */
public record McgateConfig(GlobalConfig global, InterfaceDefaults defaults, List<InterfaceConfig> interfaces) {

    public McgateConfig {
        Objects.requireNonNull(global, "global");
        Objects.requireNonNull(defaults, "defaults");
        interfaces = List.copyOf(interfaces);
    }

    /** The named interface, or, for one the file does not name, the defaults with the unlisted role. */
    public InterfaceConfig interfaceFor(String name) {
        return interfaces.stream().filter(i -> i.name().equals(name)).findFirst()
                .orElseGet(() -> defaults.forInterface(name, global.unlistedRole()));
    }

    /** The named interfaces with this role, in file order. */
    public List<InterfaceConfig> withRole(Role role) {
        return interfaces.stream().filter(i -> i.role() == role).toList();
    }

    /**
     * The upstream that serves a group: the one whose upstream group ranges hold it, else the first upstream.
     * Validation guarantees that no two upstreams claim the same group.
     */
    public Optional<InterfaceConfig> upstreamFor(Ip4 group) {
        List<InterfaceConfig> upstreams = withRole(Role.UPSTREAM);
        return upstreams.stream()
                .filter(u -> u.upstreamGroups().stream().anyMatch(p -> p.contains(group)))
                .findFirst()
                .or(() -> upstreams.stream().findFirst());
    }
}
