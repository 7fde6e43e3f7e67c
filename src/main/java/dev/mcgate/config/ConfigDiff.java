package dev.mcgate.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a reload changes: the daemon keeps what is unchanged, sets up {@link #added()}, tears down {@link #removed()}
 * and redoes {@link #changed()} (mark and sweep). Interface lists are names, in the order of the new file.
 *
 * @param controlSocketChanged the control socket must be reopened
 * @param logLevelChanged      the log threshold must be set again
 * @param unlistedChanged      interfaces the file does not name get other settings (unlisted role or defaults)
 * @param added                named interfaces that are new
 * @param removed              named interfaces that are gone (they fall back to the unlisted role)
 * @param changed              named interfaces whose effective configuration differs (role, timers, filters, ...)
 */
public record ConfigDiff(boolean controlSocketChanged, boolean logLevelChanged, boolean unlistedChanged,
                         List<String> added, List<String> removed, List<String> changed) {

    public ConfigDiff {
        added = List.copyOf(added);
        removed = List.copyOf(removed);
        changed = List.copyOf(changed);
    }

    public static ConfigDiff between(McgateConfig before, McgateConfig after) {
        List<String> added = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        for (InterfaceConfig now : after.interfaces()) {
            InterfaceConfig then = named(before, now.name());
            if (then == null) {
                added.add(now.name());
            } else if (!then.equals(now)) {
                changed.add(now.name());
            }
        }
        List<String> removed = new ArrayList<>(before.interfaces().stream().map(InterfaceConfig::name)
                .filter(name -> named(after, name) == null).toList());
        // Tunnels are interfaces of their role too: listed by name like them.
        for (TunnelConfig now : after.tunnels()) {
            Optional<TunnelConfig> then = before.tunnel(now.name());
            if (then.isEmpty()) {
                added.add(now.name());
            } else if (!then.get().equals(now)) {
                changed.add(now.name());
            }
        }
        before.tunnels().stream().map(TunnelConfig::name).filter(name -> after.tunnel(name).isEmpty())
                .forEach(removed::add);
        GlobalConfig b = before.global();
        GlobalConfig a = after.global();
        return new ConfigDiff(!b.controlSocket().equals(a.controlSocket()), b.logLevel() != a.logLevel(),
                b.unlistedRole() != a.unlistedRole() || !before.defaults().equals(after.defaults()),
                added, removed, changed);
    }

    /** Nothing to do on reload. */
    public boolean isEmpty() {
        return !controlSocketChanged && !logLevelChanged && !unlistedChanged && added.isEmpty() && removed.isEmpty()
                && changed.isEmpty();
    }

    private static InterfaceConfig named(McgateConfig config, String name) {
        return config.interfaces().stream().filter(i -> Objects.equals(i.name(), name)).findFirst().orElse(null);
    }
}
