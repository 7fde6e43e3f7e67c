package dev.mcgate.io;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One difference between two readings of the interface list: an interface appeared, disappeared or changed.
 *
 * @param before the interface as it was, empty if it appeared
 * @param after the interface as it is now, empty if it disappeared
 */
public record InterfaceChange(Optional<NetInterface> before, Optional<NetInterface> after) {

    public enum Kind {
        APPEARED,
        DISAPPEARED,
        CHANGED
    }

    public InterfaceChange {
        if (before.isEmpty() && after.isEmpty()) {
            throw new IllegalArgumentException("a change needs a before or an after");
        }
    }

    public Kind kind() {
        return before.isEmpty() ? Kind.APPEARED : after.isEmpty() ? Kind.DISAPPEARED : Kind.CHANGED;
    }

    public String name() {
        return after.or(() -> before).orElseThrow().name();
    }

    /**
     * The changes that turn {@code previous} into {@code current}, by interface name. An interface that was deleted
     * and re-created under the same name between two readings has a new ifindex and shows as CHANGED.
     */
    public static List<InterfaceChange> between(List<NetInterface> previous, List<NetInterface> current) {
        Map<String, NetInterface> old = new HashMap<>();
        previous.forEach(i -> old.put(i.name(), i));
        List<InterfaceChange> changes = new ArrayList<>();
        for (NetInterface now : current) {
            NetInterface was = old.remove(now.name());
            if (was == null) {
                changes.add(new InterfaceChange(Optional.empty(), Optional.of(now)));
            } else if (!was.equals(now)) {
                changes.add(new InterfaceChange(Optional.of(was), Optional.of(now)));
            }
        }
        for (NetInterface gone : previous) {
            if (old.containsKey(gone.name())) {
                changes.add(new InterfaceChange(Optional.of(gone), Optional.empty()));
            }
        }
        return List.copyOf(changes);
    }

    @Override
    public String toString() {
        return switch (kind()) {
            case APPEARED -> "appeared: " + after.orElseThrow().describe();
            case DISAPPEARED -> "disappeared: " + name();
            case CHANGED -> "changed: " + after.orElseThrow().describe();
        };
    }
}
