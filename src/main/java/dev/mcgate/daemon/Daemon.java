package dev.mcgate.daemon;

import dev.mcgate.config.InterfaceConfig;
import dev.mcgate.config.McgateConfig;
import dev.mcgate.io.CaptureFilter;
import dev.mcgate.io.FrameHandler;
import dev.mcgate.io.InterfaceChange;
import dev.mcgate.io.InterfaceDirectory;
import dev.mcgate.io.InterfacePort;
import dev.mcgate.io.NetInterface;
import dev.mcgate.io.PacketIo;
import dev.mcgate.packet.LinkType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: opens the configured interfaces, keeps them open as they come and go, and closes everything
 * on stop.
 *
 * <p>An interface the configuration names but the system does not have (yet) is pending: it is opened when it
 * appears, closed when it disappears, and reopened when it comes back, without a restart.
 */
public final class Daemon implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);
    /**
     * IGMP and multicast data on every interface: an upstream brings the streams, and a downstream can hold sources
     * whose traffic goes upstream and to the other downstreams (RFC 4605 §4.2). The frames we inject are kept out of
     * the capture ring in the kernel by the pcap port (its filter excludes our own source MAC).
     */
    private static final CaptureFilter CAPTURE = CaptureFilter.IGMP_AND_MULTICAST;

    private final McgateConfig config;
    private final InterfaceDirectory directory;
    private final PacketIo packetIo;
    private final FrameHandler handler;
    private final PortListener portListener;
    private final Map<String, NetInterface> present = new LinkedHashMap<>();
    private final Map<String, InterfaceConfig> wanted = new LinkedHashMap<>();
    private final Map<String, InterfacePort> open = new LinkedHashMap<>();
    private boolean closed;

    /** The state of one wanted interface, for logs and status. */
    public record InterfaceState(String name, String role, Optional<NetInterface> netInterface, boolean open,
            String note) {
    }

    /**
     * Told about ports as they open and close, and about the interfaces present, so that protocol engines can be
     * attached to ports (IGMP routers and host sides, the forwarder). Called on the thread that
     * opens or closes the port (main, or the interface watcher), before a closing port is closed.
     */
    public interface PortListener {
        void portOpened(InterfaceConfig ic, InterfacePort port);

        /** Both listeners: opened in the order given, closing in the reverse order. */
        static PortListener both(PortListener first, PortListener second) {
            return new PortListener() {
                @Override
                public void portOpened(InterfaceConfig ic, InterfacePort port) {
                    first.portOpened(ic, port);
                    second.portOpened(ic, port);
                }

                @Override
                public void portClosing(InterfaceConfig ic, InterfacePort port) {
                    second.portClosing(ic, port);
                    first.portClosing(ic, port);
                }

                @Override
                public void interfacesSeen(java.util.Collection<NetInterface> present) {
                    first.interfacesSeen(present);
                    second.interfacesSeen(present);
                }
            };
        }

        void portClosing(InterfaceConfig ic, InterfacePort port);

        /** Every interface the system has now (addresses included), after each change. */
        default void interfacesSeen(java.util.Collection<NetInterface> present) {
        }
    }

    public Daemon(McgateConfig config, InterfaceDirectory directory, PacketIo packetIo, FrameHandler handler,
            PortListener portListener) {
        this.config = config;
        this.directory = directory;
        this.packetIo = packetIo;
        this.handler = handler;
        this.portListener = portListener;
    }

    /** The interfaces as last read: where the interface watcher starts from, so no change in between is missed. */
    public synchronized List<NetInterface> seen() {
        return List.copyOf(present.values());
    }

    /**
     * Opens every wanted interface that exists.
     *
     * @return how many interfaces were opened
     */
    public synchronized int start() {
        List<NetInterface> existing = directory.list();
        existing.forEach(i -> present.put(i.name(), i));
        portListener.interfacesSeen(List.copyOf(present.values()));
        wanted.putAll(InterfacePlan.wanted(config, existing));
        for (InterfaceConfig ic : wanted.values()) {
            Optional<NetInterface> nif = existing.stream().filter(i -> i.name().equals(ic.name())).findFirst();
            if (nif.isEmpty()) {
                LOG.warn("{} ({}): not present; waiting for it to appear", ic.name(), ic.role().keyword());
            } else {
                tryOpen(ic, nif.get());
            }
        }
        LOG.info("{} of {} configured interfaces open", open.size(), wanted.size());
        return open.size();
    }

    private void tryOpen(InterfaceConfig ic, NetInterface nif) {
        if (!nif.flags().multicast()) {
            LOG.warn("{}: interface has no MULTICAST flag; multicast will not pass it ({})", ic.name(),
                    "ip link set " + ic.name() + " multicast on");
        }
        InterfacePort stale = open.get(ic.name());
        if (stale != null) {
            // It went and came back between two readings: the old handle is bound to a dead interface.
            closePort(ic, stale);
        }
        InterfacePort port;
        try {
            port = packetIo.open(nif, CAPTURE, handler);
        } catch (IOException e) {
            LOG.error("{} ({}): {}", ic.name(), ic.role().keyword(), e.getMessage());
            return;
        }
        open.put(ic.name(), port);
        LOG.info("{} ({}): opened {}, {} link", ic.name(), ic.role().keyword(), nif.describe(),
                port.linkType() == LinkType.ETHERNET ? "Ethernet" : "raw-IP");
        try {
            portListener.portOpened(ic, port);
        } catch (RuntimeException e) {
            // Half-wired is worse than closed: close it, and let the next appearance try again.
            LOG.error("{} ({}): could not be set up: {}", ic.name(), ic.role().keyword(), e.toString());
            open.remove(ic.name());
            closePort(ic, port);
        }
    }

    /** Reacts to interfaces that appeared, disappeared or changed (from the interface watcher). */
    public synchronized void onInterfaceChanges(List<InterfaceChange> changes) {
        if (closed) {
            return;
        }
        for (InterfaceChange change : changes) {
            change.after().ifPresentOrElse(i -> present.put(i.name(), i), () -> present.remove(change.name()));
        }
        portListener.interfacesSeen(List.copyOf(present.values()));
        for (InterfaceChange change : changes) {
            InterfaceConfig ic = wanted.get(change.name());
            if (ic == null) {
                if (change.kind() == InterfaceChange.Kind.APPEARED
                        && config.global().unlistedRole() != dev.mcgate.config.Role.DISABLED) {
                    NetInterface nif = change.after().orElseThrow();
                    Map<String, InterfaceConfig> now = InterfacePlan.wanted(config, List.of(nif));
                    if (now.containsKey(nif.name())) {
                        wanted.put(nif.name(), now.get(nif.name()));
                        tryOpen(now.get(nif.name()), nif);
                    }
                }
                continue;
            }
            switch (change.kind()) {
                case APPEARED -> {
                    LOG.info("{}: appeared", ic.name());
                    tryOpen(ic, change.after().orElseThrow());
                }
                case DISAPPEARED -> {
                    InterfacePort port = open.remove(ic.name());
                    if (port != null) {
                        closePort(ic, port);
                    }
                    LOG.warn("{} ({}): disappeared; waiting for it to come back", ic.name(), ic.role().keyword());
                }
                case CHANGED -> {
                    NetInterface before = change.before().orElseThrow();
                    NetInterface after = change.after().orElseThrow();
                    InterfacePort port = open.get(ic.name());
                    if (port == null || before.index() != after.index()) {
                        // Deleted and re-created between two readings: the old handle is bound to a dead ifindex.
                        if (port != null) {
                            closePort(ic, open.remove(ic.name()));
                        }
                        tryOpen(ic, after);
                    } else {
                        LOG.info("{}: changed: {}", ic.name(), after.describe());
                    }
                }
                default -> throw new IllegalStateException("unknown change " + change.kind());
            }
        }
    }

    private void closePort(InterfaceConfig ic, InterfacePort port) {
        try {
            portListener.portClosing(ic, port);
        } finally {
            port.close();
        }
    }

    /** The wanted interfaces and whether each is open, in configuration order. */
    public synchronized List<InterfaceState> interfaces() {
        List<InterfaceState> states = new ArrayList<>();
        for (InterfaceConfig ic : wanted.values()) {
            InterfacePort port = open.get(ic.name());
            Optional<NetInterface> nif = port != null ? Optional.of(port.netInterface()) : directory.find(ic.name());
            String note = port != null ? "open" : nif.isPresent() ? "present but not open (see log)" : "pending";
            states.add(new InterfaceState(ic.name(), ic.role().keyword(), nif, port != null, note));
        }
        return List.copyOf(states);
    }

    /** An open port as status shows it: its link type and frame counters. */
    public record PortStatus(LinkType linkType, dev.mcgate.io.PortCounters counters) {
    }

    /** Every open port's status, by interface name (for the control commands and metrics). */
    public synchronized Map<String, PortStatus> portStatuses() {
        Map<String, PortStatus> out = new LinkedHashMap<>();
        open.forEach((name, port) -> out.put(name, new PortStatus(port.linkType(), port.counters())));
        return out;
    }

    /** Closes every port (ending its capture thread), logging each interface's final counters. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (InterfacePort port : open.values()) {
            var c = port.counters();
            closePort(wanted.get(port.netInterface().name()), port);
            LOG.info("{}: closed; {} frames received, {} sent, {} send errors, {} dropped by the kernel",
                    port.netInterface().name(), c.received(), c.sent(), c.sendErrors(), c.droppedByKernel());
        }
        open.clear();
    }
}
