package dev.mcgate.daemon;

import dev.mcgate.io.InterfacePort;
import dev.mcgate.io.NetInterface;
import dev.mcgate.io.PortCounters;
import dev.mcgate.packet.LinkType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What threads other than the loop may know of the interfaces (status, metrics, systemd's status line, the interface
 * watcher's starting point): a copy that {@link InterfaceRegistry} publishes on the loop after every change. Reading
 * it takes no lock and never waits for the loop.
 */
public final class InterfaceView {

    /**
     * The state of one wanted interface, for logs and status.
     *
     * @param state its lifecycle as status shows it: pending, down, no-address, opening, open or failed
     * @param note  the same in words
     */
    public record InterfaceState(
            String name, String role, Optional<NetInterface> netInterface, boolean open, String state, String note) {}

    /** An open port as status shows it: its link type, frame counters and capture buffer (-1: none). */
    public record PortStatus(LinkType linkType, PortCounters counters, int captureBufferBytes) {}

    /** How many wanted interfaces there are and how many are open. */
    public record InterfaceCount(int open, int wanted) {}

    private record Copy(
            List<InterfaceState> interfaces,
            Map<String, InterfacePort> ports,
            List<NetInterface> present,
            List<ManagedInterface.OpenedPort> opened) {
        static final Copy EMPTY = new Copy(List.of(), Map.of(), List.of(), List.of());
    }

    private volatile Copy copy = Copy.EMPTY;

    /** Loop thread: the registry's interfaces as they are now. */
    void publish(Collection<ManagedInterface> wanted, Map<String, NetInterface> present) {
        List<InterfaceState> states = new ArrayList<>();
        Map<String, InterfacePort> ports = new LinkedHashMap<>();
        List<ManagedInterface.OpenedPort> opened = new ArrayList<>();
        for (ManagedInterface mi : wanted) {
            boolean open = mi.state == ManagedInterface.Lifecycle.OPEN;
            Optional<NetInterface> nif =
                    open ? Optional.of(mi.opened.port().netInterface()) : Optional.ofNullable(present.get(mi.name));
            states.add(new InterfaceState(
                    mi.name, mi.config.role().keyword(), nif, open, mi.state.keyword(), mi.state.note()));
            if (open) {
                ports.put(mi.name, mi.opened.port());
                opened.add(mi.opened);
            }
        }
        copy = new Copy(
                List.copyOf(states),
                Collections.unmodifiableMap(ports),
                List.copyOf(present.values()),
                List.copyOf(opened));
    }

    /** The interfaces as last read, where the interface watcher starts from. */
    public List<NetInterface> seenInterfaces() {
        return copy.present();
    }

    /**
     * The wanted interfaces and whether each is open, in configuration order. The note says why one is not: pending
     * (not present), down, no address (it lost the one it had), opening, or present but not open (the open failed,
     * see log).
     */
    public List<InterfaceState> interfaces() {
        return copy.interfaces();
    }

    /** Every open port's status now, by interface name (its counters read at this call). */
    public Map<String, PortStatus> portStatuses() {
        Map<String, PortStatus> out = new LinkedHashMap<>();
        copy.ports()
                .forEach(
                        (name, p) -> out.put(name, new PortStatus(p.linkType(), p.counters(), p.captureBufferBytes())));
        return out;
    }

    /** Cheap (no system call): for a periodic status line. */
    public InterfaceCount count() {
        Copy c = copy;
        return new InterfaceCount(c.ports().size(), c.interfaces().size());
    }

    /** The ports open at the last publication: what to close when the loop cannot be asked at shutdown. */
    List<ManagedInterface.OpenedPort> openedPorts() {
        return copy.opened();
    }
}
