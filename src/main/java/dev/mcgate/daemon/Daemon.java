package dev.mcgate.daemon;

import dev.mcgate.config.ConfigDiff;
import dev.mcgate.config.InterfaceConfig;
import dev.mcgate.config.McgateConfig;
import dev.mcgate.config.Role;
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
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: opens the configured interfaces, keeps them open as they come and go, and closes everything
 * on stop.
 *
 * <p>An interface the configuration names but the system does not have (yet) is pending: it is opened when it
 * appears, closed when it disappears, and reopened when it comes back, without a restart. One that goes down or loses
 * its IPv4 address is closed the same way until it is usable again ({@link LinkReadiness}). A reload replaces the
 * configuration as a difference ({@link #reconfigure}).
 */
public final class Daemon implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);
    /**
     * IGMP and multicast data on every interface: an upstream brings the streams, and a downstream can hold sources
     * whose traffic goes upstream and to the other downstreams (RFC 4605 §4.2). The frames we inject are kept out of
     * the capture ring in the kernel by the pcap port (its filter excludes our own source MAC).
     */
    private static final CaptureFilter CAPTURE = CaptureFilter.IGMP_AND_MULTICAST;

    private final InterfaceDirectory directory;
    private final PacketIo packetIo;
    private final FrameHandler handler;
    private final PortListener portListener;
    private final Map<String, NetInterface> present = new LinkedHashMap<>();
    private final Map<String, InterfaceConfig> wanted = new LinkedHashMap<>();
    private final Map<String, Opened> open = new LinkedHashMap<>();
    private final LinkReadiness readiness = new LinkReadiness();
    private McgateConfig config;
    private boolean closed;

    /** An open port and the configuration it was opened (or last reconfigured) with. */
    private record Opened(InterfacePort port, InterfaceConfig config) {
    }

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
        existing.forEach(i -> {
            present.put(i.name(), i);
            readiness.observe(i);
        });
        portListener.interfacesSeen(List.copyOf(present.values()));
        wanted.putAll(InterfacePlan.wanted(config, existing));
        for (InterfaceConfig ic : wanted.values()) {
            NetInterface nif = present.get(ic.name());
            if (nif == null) {
                LOG.warn("{} ({}): not present; waiting for it to appear", ic.name(), ic.role().keyword());
            } else if (readiness.stateOf(nif) != LinkReadiness.State.READY) {
                LOG.warn("{} ({}): {}; waiting for it", ic.name(), ic.role().keyword(),
                        readiness.stateOf(nif).note());
            } else {
                tryOpen(ic, nif);
            }
        }
        LOG.info("{} of {} configured interfaces open", open.size(), wanted.size());
        return open.size();
    }

    private void tryOpen(InterfaceConfig ic, NetInterface nif) {
        if (!nif.flags().multicast()) {
            // WireGuard and some VPN tun devices come without it. mcgate captures and injects there itself, so it
            // forwards and speaks IGMP regardless; only the kernel's own multicast (local sockets) leaves it out.
            LOG.info("{}: no MULTICAST flag; mcgate forwards and speaks IGMP there anyway (the kernel's own "
                    + "multicast sockets do not use it: 'ip link set {} multicast on')", ic.name(), ic.name());
        }
        Opened stale = open.remove(ic.name());
        if (stale != null) {
            // It went and came back between two readings: the old handle is bound to a dead interface.
            closePort(stale);
        }
        InterfacePort port;
        try {
            port = packetIo.open(nif, CAPTURE, CaptureBuffers.bytes(ic, nif), handler);
        } catch (IOException e) {
            LOG.error("{} ({}): {}", ic.name(), ic.role().keyword(), e.getMessage());
            return;
        }
        open.put(ic.name(), new Opened(port, ic));
        LOG.info("{} ({}): opened {}, {} link, capture buffer {} bytes{}", ic.name(), ic.role().keyword(),
                nif.describe(), port.linkType() == LinkType.ETHERNET ? "Ethernet" : "raw-IP",
                port.captureBufferBytes(), ic.captureBuffer().isAuto() ? " (auto)" : "");
        try {
            portListener.portOpened(ic, port);
        } catch (RuntimeException e) {
            // Half-wired is worse than closed: close it, and let the next appearance try again.
            LOG.error("{} ({}): could not be set up: {}", ic.name(), ic.role().keyword(), e.toString());
            closePort(open.remove(ic.name()));
        }
    }

    /** Reacts to interfaces that appeared, disappeared or changed (from the interface watcher). */
    public synchronized void onInterfaceChanges(List<InterfaceChange> changes) {
        if (closed) {
            return;
        }
        for (InterfaceChange change : changes) {
            change.after().ifPresentOrElse(i -> {
                if (change.before().isPresent() && change.before().get().index() != i.index()) {
                    readiness.forget(i.name()); // deleted and re-created: a new link
                }
                present.put(i.name(), i);
                readiness.observe(i);
            }, () -> {
                present.remove(change.name());
                readiness.forget(change.name());
            });
        }
        portListener.interfacesSeen(List.copyOf(present.values()));
        for (InterfaceChange change : changes) {
            String name = change.name();
            if (!wanted.containsKey(name) && change.kind() == InterfaceChange.Kind.APPEARED
                    && config.global().unlistedRole() != Role.DISABLED) {
                InterfaceConfig unlisted = InterfacePlan.wanted(config, List.of(change.after().orElseThrow())).get(name);
                if (unlisted != null) {
                    wanted.put(name, unlisted);
                }
            }
            if (wanted.containsKey(name)) {
                reconcile(name, change);
            }
        }
    }

    /**
     * Brings one wanted interface's port in line with what the system shows: closed while the interface is absent,
     * down or without its address (its router stops, so its memberships are withdrawn and the upstream hears the
     * leaves; it leaves the forwarding table), opened when it is usable, reopened when its ifindex changed.
     *
     * @param change what happened, for the log; null when nothing did (start, reload)
     */
    private void reconcile(String name, InterfaceChange change) {
        InterfaceConfig ic = wanted.get(name);
        Opened opened = open.get(name);
        NetInterface nif = present.get(name);
        String role = ic.role().keyword();
        if (nif == null) {
            if (opened != null) {
                closePort(open.remove(name));
            }
            if (change != null) {
                LOG.warn("{} ({}): disappeared; waiting for it to come back", name, role);
            }
            return;
        }
        LinkReadiness.State state = readiness.stateOf(nif);
        if (state != LinkReadiness.State.READY) {
            if (opened != null) {
                closePort(open.remove(name));
                LOG.warn("{} ({}): {}; its memberships are withdrawn and it is closed until it comes back", name,
                        role, state == LinkReadiness.State.DOWN ? "down" : "lost its IPv4 address");
            }
            return;
        }
        if (opened != null && opened.port().netInterface().index() != nif.index()) {
            // Deleted and re-created between two readings: the old handle is bound to a dead ifindex.
            closePort(open.remove(name));
            opened = null;
        }
        if (opened == null) {
            if (change != null) {
                LOG.info("{}: {}", name, change.kind() == InterfaceChange.Kind.APPEARED ? "appeared" : "usable again");
            }
            tryOpen(ic, nif);
        } else if (change != null && change.kind() == InterfaceChange.Kind.CHANGED) {
            LOG.info("{}: changed: {}", name, nif.describe());
        }
    }

    /**
     * Applies a new configuration (reload), as a difference: ports of interfaces that are no longer wanted close
     * (their routers stop and their memberships are withdrawn), interfaces whose role changed are closed and reopened,
     * new ones open, and the others keep their ports (their flows keep forwarding) with their new settings.
     *
     * <p>A new {@code capture-buffer} is one of those settings: it applies when the port next opens (the interface
     * comes back, or its role changes), not at once. A pcap ring is built when the handle activates and cannot be
     * resized, so applying it would mean closing the port, and closing a downstream's port withdraws its memberships
     * and closing an upstream's leaves its groups: the flows that the reload is meant to leave alone would stop.
     *
     * @param onLoop applies the new configuration to the protocol state and the forwarding table in one loop task,
     *               before any port closes or opens; given the interfaces wanted under it, returns what it did
     * @return what was done, one line each
     */
    public synchronized List<String> reconfigure(McgateConfig newConfig,
            Function<Map<String, InterfaceConfig>, List<String>> onLoop) {
        if (closed) {
            return List.of();
        }
        Map<String, InterfaceConfig> before = new LinkedHashMap<>(wanted);
        Map<String, InterfaceConfig> after = InterfacePlan.wanted(newConfig, List.copyOf(present.values()));
        List<String> done = new ArrayList<>(onLoop.apply(after));
        config = newConfig;
        wanted.clear();
        wanted.putAll(after);
        for (Map.Entry<String, InterfaceConfig> e : before.entrySet()) {
            String name = e.getKey();
            InterfaceConfig then = e.getValue();
            InterfaceConfig now = after.get(name);
            Opened opened = open.get(name);
            if (now == null) {
                if (opened != null) {
                    closePort(open.remove(name));
                }
                done.add(name + ": removed (was " + then.role().keyword() + ")"
                        + (opened != null ? "; port closed, its memberships withdrawn" : ""));
            } else if (now.role() != then.role()) {
                if (opened != null) {
                    closePort(open.remove(name));
                }
                done.add(name + ": role " + then.role().keyword() + " -> " + now.role().keyword()
                        + (opened != null ? "; closed and reopened" : ""));
                reconcile(name, null);
            } else if (!now.equals(then)) {
                if (opened != null) {
                    open.put(name, new Opened(opened.port(), now));
                }
                done.add(name + ": changed " + String.join(", ", ConfigDiff.settingsChanged(then, now))
                        + (opened != null && !now.captureBuffer().equals(then.captureBuffer())
                                ? "; the port keeps its capture buffer of " + opened.port().captureBufferBytes()
                                        + " bytes until it next opens"
                                : ""));
            }
        }
        for (Map.Entry<String, InterfaceConfig> e : after.entrySet()) {
            if (!before.containsKey(e.getKey())) {
                NetInterface nif = present.get(e.getKey());
                done.add(e.getKey() + ": added (" + e.getValue().role().keyword() + ")"
                        + (nif == null ? "; not present, waiting for it" : ""));
                if (nif != null) {
                    reconcile(e.getKey(), null);
                }
            }
        }
        return List.copyOf(done);
    }

    private void closePort(Opened opened) {
        try {
            portListener.portClosing(opened.config(), opened.port());
        } finally {
            opened.port().close();
        }
    }

    /** How many wanted interfaces are open now; cheap (no system call), for a periodic status line. */
    public synchronized int openCount() {
        return open.size();
    }

    /** How many interfaces are wanted: the configured ones, and unlisted ones taken as downstream. */
    public synchronized int wantedCount() {
        return wanted.size();
    }

    /**
     * The wanted interfaces and whether each is open, in configuration order. The note says why one is not: pending
     * (not present), down, no address (it lost the one it had), or present but not open (opening failed, see log).
     */
    public synchronized List<InterfaceState> interfaces() {
        List<InterfaceState> states = new ArrayList<>();
        for (InterfaceConfig ic : wanted.values()) {
            Opened opened = open.get(ic.name());
            Optional<NetInterface> nif = opened != null ? Optional.of(opened.port().netInterface())
                    : Optional.ofNullable(present.get(ic.name()));
            String note;
            if (opened != null) {
                note = "open";
            } else if (nif.isEmpty()) {
                note = "pending";
            } else if (readiness.stateOf(nif.get()) != LinkReadiness.State.READY) {
                note = readiness.stateOf(nif.get()).note();
            } else {
                note = "present but not open (see log)";
            }
            states.add(new InterfaceState(ic.name(), ic.role().keyword(), nif, opened != null, note));
        }
        return List.copyOf(states);
    }

    /** An open port as status shows it: its link type, frame counters and capture buffer (-1: none). */
    public record PortStatus(LinkType linkType, dev.mcgate.io.PortCounters counters, int captureBufferBytes) {
    }

    /** Every open port's status, by interface name (for the control commands and metrics). */
    public synchronized Map<String, PortStatus> portStatuses() {
        Map<String, PortStatus> out = new LinkedHashMap<>();
        open.forEach((name, o) -> out.put(name, new PortStatus(o.port().linkType(), o.port().counters(),
                o.port().captureBufferBytes())));
        return out;
    }

    /** Closes every port (ending its capture thread), logging each interface's final counters. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Opened opened : open.values()) {
            InterfacePort port = opened.port();
            var c = port.counters();
            closePort(opened);
            LOG.info("{}: closed; {} frames received, {} sent, {} send errors, {} dropped by the kernel",
                    port.netInterface().name(), c.received(), c.sent(), c.sendErrors(), c.droppedByKernel());
        }
        open.clear();
    }
}
