package dev.mcgate.config;

import dev.mcgate.net.IpAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A whole, validated mcgate configuration: global settings, interface defaults, the named interfaces in file order,
 * the mcgate-to-mcgate tunnels, which count as interfaces of their role (an upstream or a downstream), and the Kafka
 * relay if the file has a kafka block.
 */
public record McgateConfig(
        GlobalConfig global,
        InterfaceDefaults defaults,
        List<InterfaceConfig> interfaces,
        List<TunnelConfig> tunnels,
        Optional<KafkaRelayConfig> kafka) {

    public McgateConfig {
        Objects.requireNonNull(global, "global");
        Objects.requireNonNull(defaults, "defaults");
        interfaces = List.copyOf(interfaces);
        tunnels = List.copyOf(tunnels);
        Objects.requireNonNull(kafka, "kafka");
    }

    /** Without a Kafka relay. */
    public McgateConfig(
            GlobalConfig global,
            InterfaceDefaults defaults,
            List<InterfaceConfig> interfaces,
            List<TunnelConfig> tunnels) {
        this(global, defaults, interfaces, tunnels, Optional.empty());
    }

    /** Without tunnels. */
    public McgateConfig(GlobalConfig global, InterfaceDefaults defaults, List<InterfaceConfig> interfaces) {
        this(global, defaults, interfaces, List.of());
    }

    /**
     * The named interface or tunnel, or, for a name the file does not have, the defaults with the unlisted role.
     */
    public InterfaceConfig interfaceFor(String name) {
        return interfaces.stream()
                .filter(i -> i.name().equals(name))
                .findFirst()
                .or(() -> tunnel(name).map(TunnelConfig::asInterface))
                .or(() -> httpRelayInterface().filter(i -> i.name().equals(name)))
                .or(() -> kafkaRelayInterface().filter(i -> i.name().equals(name)))
                .orElseGet(() -> defaults.forInterface(name, global.unlistedRole()));
    }

    /** The named interfaces with this role in file order, then the tunnels with this role. */
    public List<InterfaceConfig> withRole(Role role) {
        List<InterfaceConfig> out = new java.util.ArrayList<>(
                interfaces.stream().filter(i -> i.role() == role).toList());
        tunnels.stream().filter(t -> t.role() == role).forEach(t -> out.add(t.asInterface()));
        httpRelayInterface().filter(i -> i.role() == role).ifPresent(out::add);
        kafkaRelayInterface().filter(i -> i.role() == role).ifPresent(out::add);
        return List.copyOf(out);
    }

    /**
     * The HTTP relay as the downstream interface its clients' memberships come from, with the defaults block's
     * settings (its group and source filters apply to what clients may ask for); empty when the relay is off.
     */
    public Optional<InterfaceConfig> httpRelayInterface() {
        return global.httpRelay().map(h -> defaults.forInterface(HttpRelayConfig.INTERFACE_NAME, Role.DOWNSTREAM));
    }

    /**
     * The Kafka publisher as the downstream interface its {@code kafka-publish} groups are joined from, with the
     * defaults block's settings (its filters apply, as to any downstream); empty without publish lines.
     */
    public Optional<InterfaceConfig> kafkaRelayInterface() {
        return kafka.filter(k -> !k.publish().isEmpty())
                .map(k -> defaults.forInterface(KafkaRelayConfig.INTERFACE_NAME, Role.DOWNSTREAM));
    }

    public Optional<TunnelConfig> tunnel(String name) {
        return tunnels.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /**
     * The upstream that serves a group: the one whose upstream group ranges hold it, else the first upstream.
     * Validation guarantees that no two upstreams claim the same group.
     */
    public Optional<InterfaceConfig> upstreamFor(IpAddress group) {
        List<InterfaceConfig> upstreams = withRole(Role.UPSTREAM);
        return upstreams.stream()
                .filter(u -> u.upstreamGroups().stream().anyMatch(p -> p.contains(group)))
                .findFirst()
                .or(() -> upstreams.stream().findFirst());
    }
}
