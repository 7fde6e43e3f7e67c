package dev.mcgate.daemon;

import dev.mcgate.config.InterfaceConfig;
import dev.mcgate.config.McgateConfig;
import dev.mcgate.config.Role;
import dev.mcgate.io.NetInterface;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides which interfaces mcgate works on, and what it captures on each, from the configuration and what exists.
 */
final class InterfacePlan {

    private InterfacePlan() {}

    /**
     * The interfaces to open, by name, in configuration order: every named interface whose role is not disabled (whether
     * it exists yet or not), then, with {@code unlisted-interfaces downstream}, every other existing interface that can
     * carry multicast (never loopback).
     */
    static Map<String, InterfaceConfig> wanted(McgateConfig config, List<NetInterface> existing) {
        Map<String, InterfaceConfig> wanted = new LinkedHashMap<>();
        for (InterfaceConfig ic : config.interfaces()) {
            if (ic.role() != Role.DISABLED) {
                wanted.put(ic.name(), ic);
            }
        }
        if (config.global().unlistedRole() != Role.DISABLED) {
            for (NetInterface nif : existing) {
                boolean named =
                        config.interfaces().stream().anyMatch(i -> i.name().equals(nif.name()));
                if (!named && !nif.flags().loopback() && nif.flags().multicast()) {
                    wanted.put(nif.name(), config.interfaceFor(nif.name()));
                }
            }
        }
        return wanted;
    }
}
