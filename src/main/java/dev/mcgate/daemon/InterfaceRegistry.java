package dev.mcgate.daemon;

import dev.mcgate.config.ConfigDiff;
import dev.mcgate.config.InterfaceConfig;
import dev.mcgate.config.McgateConfig;
import dev.mcgate.config.Role;
import dev.mcgate.igmp.RouterSnapshot;
import dev.mcgate.io.CaptureFilter;
import dev.mcgate.io.FrameHandler;
import dev.mcgate.io.InterfaceChange;
import dev.mcgate.io.InterfaceDirectory;
import dev.mcgate.io.InterfacePort;
import dev.mcgate.io.NetInterface;
import dev.mcgate.io.PacketIo;
import dev.mcgate.io.PortCounters;
import dev.mcgate.net.Ip4;
import dev.mcgate.net.Ip6;
import dev.mcgate.packet.IgmpMessage;
import dev.mcgate.packet.LinkType;
import dev.mcgate.packet.MldMessage;
import dev.mcgate.time.Loop;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where an interface's life is decided: which interfaces are wanted, which the system has, and for each
 * whether it is pending, down, without its address, opening or open; it opens and closes their ports and starts and
 * stops what works on them (the IGMP side, the forwarding plane's view of the port).
 *
 * <p>Threads: everything it holds is the loop's. Other threads only post to it: the interface watcher
 * ({@link #onInterfaceChanges}), the capture threads (IGMP heard), and a reload runs {@link #reconfigure} as part of
 * its loop task. Opening and closing a port block (pcap activates a ring, a packet socket binds), so they run on the
 * {@link IoExecutor}, which posts the result back; the loop never waits for them. What status reads is an immutable
 * {@link View} the loop publishes after each change, so a busy loop or a slow open never delays {@code status}.
 */
public final class InterfaceRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(InterfaceRegistry.class);
    /**
     * IGMP and multicast data on every interface: an upstream brings the streams, and a downstream can hold sources
     * whose traffic goes upstream and to the other downstreams (RFC 4605 §4.2). The frames we inject are kept out of
     * the capture ring in the kernel by the port (its filter excludes our own source MAC).
     */
    private static final CaptureFilter CAPTURE = CaptureFilter.BOTH_FAMILIES;

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);

    private final Loop loop;
    private final InterfaceDirectory directory;
    private final PacketIo packetIo;
    private final IoExecutor io;
    private final IgmpRouting igmp;
    private final ForwardingPlane forwarding;
    private final LocalAddresses localAddresses = new LocalAddresses();
    private final LinkScopes scopes = new LinkScopes();
    private final IgmpIntake intake;
    /** What ports are opened with: the intake's frames, and captures that stop by themselves back to the registry. */
    private final CaptureWatch portHandler;
    /** How often each interface's capture stopped, and how often it was opened again after that (loop-owned). */
    private final Map<String, long[]> captureStops = new LinkedHashMap<>();

    private final IgmpAdmission admission;
    private final MldIntake mldIntake;
    // Loop thread only:
    private final Map<String, ManagedInterface> wanted = new LinkedHashMap<>();
    private final Map<String, NetInterface> present = new LinkedHashMap<>();
    private final LinkReadiness readiness = new LinkReadiness();
    private final Map<ManagedInterface, CompletableFuture<Void>> openings = new LinkedHashMap<>();
    private McgateConfig config;
    /** Written on the loop; read by the I/O executor too, to stop handing it results. */
    private volatile boolean closed;

    private final InterfaceView view = new InterfaceView();

    public InterfaceRegistry(
            McgateConfig config,
            Loop loop,
            InterfaceDirectory directory,
            PacketIo packetIo,
            IoExecutor io,
            IgmpRouting igmp,
            ForwardingPlane forwarding) {
        this.config = config;
        this.loop = loop;
        this.directory = directory;
        this.packetIo = packetIo;
        this.io = io;
        this.igmp = igmp;
        this.forwarding = forwarding;
        // IGMP first, then MLD, then the data plane: each takes its own frames out of the stream.
        this.mldIntake =
                new MldIntake(localAddresses::contains, this::heardMld, forwarding.forwarder(), loop::nanoTime);
        this.intake = new IgmpIntake(localAddresses::contains, scopes::of, this::heard, mldIntake);
        this.portHandler = new CaptureWatch(intake, this::captureStopped);
        this.admission = new IgmpAdmission(DaemonRuntime.LOOP_INBOX, loop::nanoTime);
    }

    /** What the ports hand their captured frames to: IGMP to the loop, the rest to the forwarder. */
    public FrameHandler frameHandler() {
        return intake;
    }

    /** The MLD messages heard, by interface and kind (for status). */
    public MldIntake mldIntake() {
        return mldIntake;
    }

    /** The IGMP messages heard, by interface and kind (for status). */
    public IgmpIntake intake() {
        return intake;
    }

    /** Any thread: what each interface's IGMP may send to the loop, and what it dropped. */
    IgmpAdmission admission() {
        return admission;
    }

    /**
     * Reads the interfaces the system has, starts the IGMP proxy and opens every wanted interface that is usable;
     * waits up to {@code opens} for the ports to open (one that takes longer goes on opening in the background).
     * Called once, from the thread that starts the daemon.
     *
     * @return how many interfaces are open
     */
    public int start(Duration opens) throws Exception {
        List<NetInterface> existing = directory.list();
        CompletableFuture<?>[] pending = loop.call("interfaces:start", () -> startOnLoop(existing), CALL_TIMEOUT);
        try {
            CompletableFuture.allOf(pending).get(opens.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warn("some interfaces are still opening after {} ms; they go on in the background", opens.toMillis());
        }
        InterfaceView.InterfaceCount count = view.count();
        LOG.info("{} of {} configured interfaces open", count.open(), count.wanted());
        return count.open();
    }

    private CompletableFuture<?>[] startOnLoop(List<NetInterface> existing) {
        igmp.start();
        existing.forEach(i -> {
            present.put(i.name(), i);
            readiness.observe(i);
        });
        seen();
        InterfacePlan.wanted(config, existing).values().forEach(ic -> wanted.put(ic.name(), new ManagedInterface(ic)));
        for (ManagedInterface mi : wanted.values()) {
            NetInterface nif = present.get(mi.name);
            if (nif == null) {
                LOG.warn(
                        "{} ({}): not present; waiting for it to appear",
                        mi.name,
                        mi.config.role().keyword());
            } else if (readiness.stateOf(nif) != LinkReadiness.State.READY) {
                LOG.warn(
                        "{} ({}): {}; waiting for it",
                        mi.name,
                        mi.config.role().keyword(),
                        readiness.stateOf(nif).note());
            }
            reconcile(mi, null);
        }
        publish();
        return openings.values().toArray(CompletableFuture[]::new);
    }

    /** Any thread (the interface watcher): interfaces appeared, disappeared or changed. */
    public void onInterfaceChanges(List<InterfaceChange> changes) {
        loop.post("interfaces:changes", () -> {
            if (!closed) {
                applyChanges(changes);
                publish();
            }
        });
    }

    private void applyChanges(List<InterfaceChange> changes) {
        for (InterfaceChange change : changes) {
            change.after()
                    .ifPresentOrElse(
                            i -> {
                                if (change.before().isPresent()
                                        && change.before().get().index() != i.index()) {
                                    readiness.forget(i.name()); // deleted and re-created: a new link
                                }
                                present.put(i.name(), i);
                                readiness.observe(i);
                            },
                            () -> {
                                present.remove(change.name());
                                readiness.forget(change.name());
                            });
        }
        seen();
        for (InterfaceChange change : changes) {
            String name = change.name();
            if (!wanted.containsKey(name)
                    && change.kind() == InterfaceChange.Kind.APPEARED
                    && config.global().unlistedRole() != Role.DISABLED) {
                InterfaceConfig unlisted = InterfacePlan.wanted(
                                config, List.of(change.after().orElseThrow()))
                        .get(name);
                if (unlisted != null) {
                    wanted.put(name, new ManagedInterface(unlisted));
                }
            }
            ManagedInterface mi = wanted.get(name);
            if (mi != null) {
                reconcile(mi, change);
            }
        }
    }

    /** Loop thread: every interface as now read reaches whoever depends on addresses, MTU and MAC. */
    private void seen() {
        List<NetInterface> now = List.copyOf(present.values());
        localAddresses.update(now);
        forwarding.interfacesSeen(now);
        for (ManagedInterface mi : wanted.values()) {
            NetInterface nif = present.get(mi.name);
            if (mi.state == ManagedInterface.Lifecycle.OPEN && nif != null) {
                nif.primaryAddress().ifPresent(address -> igmp.readdress(mi, address));
                igmp.readdress6(mi, nif.linkLocal());
            }
        }
    }

    /**
     * Loop thread: brings one wanted interface in line with what the system shows: closed while the interface is
     * absent, down or without its address (its router stops, so its memberships are withdrawn and the upstream hears
     * the leaves; it leaves the forwarding table), opened when it is usable, reopened when its ifindex changed.
     *
     * @param change what happened, for the log; null when nothing did (start, reload)
     */
    private void reconcile(ManagedInterface mi, InterfaceChange change) {
        NetInterface nif = present.get(mi.name);
        String role = mi.config.role().keyword();
        if (nif == null) {
            takeOutOfUse(mi, ManagedInterface.Lifecycle.PENDING);
            if (change != null) {
                LOG.warn("{} ({}): disappeared; waiting for it to come back", mi.name, role);
            }
            return;
        }
        LinkReadiness.State ready = readiness.stateOf(nif);
        if (ready != LinkReadiness.State.READY) {
            boolean wasOpen = mi.state == ManagedInterface.Lifecycle.OPEN;
            takeOutOfUse(
                    mi,
                    ready == LinkReadiness.State.DOWN
                            ? ManagedInterface.Lifecycle.DOWN
                            : ManagedInterface.Lifecycle.NO_ADDRESS);
            if (wasOpen) {
                LOG.warn(
                        "{} ({}): {}; its memberships are withdrawn and it is closed until it comes back",
                        mi.name,
                        role,
                        ready == LinkReadiness.State.DOWN ? "down" : "lost its IPv4 address");
            }
            return;
        }
        if (mi.state == ManagedInterface.Lifecycle.OPEN
                && mi.opened.port().netInterface().index() != nif.index()) {
            // Deleted and re-created between two readings: the old handle is bound to a dead ifindex.
            takeOutOfUse(mi, ManagedInterface.Lifecycle.PENDING);
        }
        switch (mi.state) {
            case OPEN -> {
                if (change != null && change.kind() == InterfaceChange.Kind.CHANGED) {
                    LOG.info("{}: changed: {}", mi.name, nif.describe());
                }
            }
            case OPENING -> {
                // The open under way may be for an ifindex that is gone; its result is checked when it arrives.
            }
            default -> {
                if (change != null) {
                    LOG.info(
                            "{}: {}",
                            mi.name,
                            change.kind() == InterfaceChange.Kind.APPEARED ? "appeared" : "usable again");
                }
                open(mi, nif);
            }
        }
    }

    /** Loop thread: the port opens on the I/O executor and the result comes back as an event. */
    private void open(ManagedInterface mi, NetInterface nif) {
        if (!nif.flags().multicast()) {
            // WireGuard and some VPN tun devices come without it. mcgate captures and injects there itself, so it
            // forwards and speaks IGMP regardless; only the kernel's own multicast (local sockets) leaves it out.
            LOG.info(
                    "{}: no MULTICAST flag; mcgate forwards and speaks IGMP there anyway (the kernel's own "
                            + "multicast sockets do not use it: 'ip link set {} multicast on')",
                    mi.name,
                    mi.name);
        }
        mi.state = ManagedInterface.Lifecycle.OPENING;
        long attempt = ++mi.attempt;
        InterfaceConfig ic = mi.config;
        CompletableFuture<Void> settled = new CompletableFuture<>();
        openings.put(mi, settled);
        io.execute(mi.name, () -> {
            ManagedInterface.OpenedPort opened = null;
            String failure = null;
            try {
                InterfacePort port = packetIo.open(nif, CAPTURE, CaptureBuffers.bytes(ic, nif), portHandler);
                opened = new ManagedInterface.OpenedPort(port, IgmpRouting.openFilter(ic, port));
            } catch (IOException | RuntimeException | LinkageError e) {
                // LinkageError: libpcap or JNA missing or broken; the interface fails, the daemon goes on.
                failure = e instanceof IOException ? e.getMessage() : e.toString();
            }
            ManagedInterface.OpenedPort result = opened;
            String why = failure;
            if (!postUntilTaken("interfaces:opened", () -> opened(mi, attempt, result, why, settled), 50, 100)) {
                // The loop is stopping, or its inbox stayed full: nobody will take the port.
                LOG.error(
                        "{}: the loop did not take the result of its open; it stays closed until it changes", mi.name);
                if (result != null) {
                    result.close();
                }
                settled.complete(null);
            }
        });
    }

    /**
     * Off the loop: hands the loop an event that must not be lost to a burst that fills its inbox for a moment (an
     * open's result, a capture that stopped: the interface would stay "opening" or "open" for good). A full inbox is
     * tried again every {@code pauseMillis}, up to {@code tries} times; the calling thread may wait, the loop never
     * does.
     *
     * @return false if the loop is stopping or its inbox stayed full
     */
    private boolean postUntilTaken(String name, Runnable event, int tries, long pauseMillis) {
        for (int i = 0; i < tries; i++) {
            if (loop.post(name, event)) {
                return true;
            }
            if (closed) {
                return false;
            }
            try {
                Thread.sleep(pauseMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    /** Loop thread: an open attempt finished; its port is taken into use unless the interface moved on meanwhile. */
    private void opened(
            ManagedInterface mi,
            long attempt,
            ManagedInterface.OpenedPort result,
            String failure,
            CompletableFuture<Void> settled) {
        try {
            if (closed
                    || wanted.get(mi.name) != mi
                    || mi.attempt != attempt
                    || mi.state != ManagedInterface.Lifecycle.OPENING) {
                if (result != null) {
                    io.execute(mi.name, result::close);
                }
                return;
            }
            String role = mi.config.role().keyword();
            if (result == null) {
                mi.state = ManagedInterface.Lifecycle.FAILED;
                LOG.error("{} ({}): {}", mi.name, role, failure);
                if (mi.reopening) {
                    scheduleReopen(mi, mi.backoff.again());
                }
                return;
            }
            NetInterface nif = present.get(mi.name);
            if (nif == null || nif.index() != result.port().netInterface().index()) {
                // It went (or was re-created) while the port opened: this handle is bound to a dead ifindex.
                io.execute(mi.name, result::close);
                mi.state = ManagedInterface.Lifecycle.PENDING;
                reconcile(mi, null);
                return;
            }
            mi.opened = result;
            mi.state = ManagedInterface.Lifecycle.OPEN;
            mi.openedAtNanos = loop.nanoTime();
            mi.reopening = false;
            admission.configure(mi.name, mi.config.limits().igmpRate(), wanted.size());
            InterfacePort port = result.port();
            LOG.info(
                    "{} ({}): opened {}, {} link, capture buffer {} bytes{}",
                    mi.name,
                    role,
                    nif.describe(),
                    port.linkType() == LinkType.ETHERNET ? "Ethernet" : "raw-IP",
                    port.captureBufferBytes(),
                    mi.config.captureBuffer().isAuto() ? " (auto)" : "");
            try {
                forwarding.portOpened(mi.config, port);
                igmp.attach(mi);
                igmp.mld().attach(mi);
            } catch (RuntimeException e) {
                // Half-wired is worse than closed: close it, and let the next change try again.
                LOG.error("{} ({}): could not be set up: {}", mi.name, role, e.toString());
                takeOutOfUse(mi, ManagedInterface.Lifecycle.FAILED);
            }
        } finally {
            publish();
            openings.remove(mi, settled);
            settled.complete(null);
        }
    }

    /**
     * Loop thread: the interface leaves use and takes {@code next} as its state. Its IGMP side stops first (so the
     * leaves and withdrawals still go out through the port), then the forwarder lets go of the port, and the port
     * closes on the I/O executor. An open under way is made stale.
     */
    private void takeOutOfUse(ManagedInterface mi, ManagedInterface.Lifecycle next) {
        if (mi.state == ManagedInterface.Lifecycle.OPEN) {
            ManagedInterface.OpenedPort opened = mi.opened;
            try {
                igmp.mld().detach(mi);
                igmp.detach(mi);
                forwarding.portClosing(mi.config, opened.port());
            } finally {
                mi.opened = null;
                io.execute(mi.name, opened::close);
            }
        }
        mi.attempt++;
        mi.state = next;
    }

    /**
     * Capture thread, as its last act: the port's capture stopped by itself. The event must reach the loop, or the
     * interface would stay "open" without capturing: a full inbox is tried again for a while (this thread is ending,
     * waiting costs nothing).
     */
    private void captureStopped(InterfacePort port, String why) {
        String name = port.netInterface().name();
        if (!postUntilTaken("interfaces:capture-stopped", () -> onCaptureStopped(name, port, why), 100, 50)
                && !closed) {
            LOG.error("{}: the loop took no word of its stopped capture; it stays failed until it changes", name);
        }
    }

    /**
     * Loop thread: the interface's port no longer captures. It leaves use as a closed one does (its memberships are
     * withdrawn, the upstream hears the leaves, the forwarder lets go of the port), shows as failed, and is opened
     * again after a wait ({@link ReopenBackoff}).
     */
    private void onCaptureStopped(String name, InterfacePort port, String why) {
        ManagedInterface mi = wanted.get(name);
        if (closed || mi == null || !mi.isOpenOn(port)) {
            return; // closed or reopened meanwhile: this port is nobody's any more
        }
        captureStops.computeIfAbsent(name, n -> new long[2])[0]++;
        Duration wait = mi.backoff.next(Duration.ofNanos(loop.nanoTime() - mi.openedAtNanos));
        LOG.warn(
                "{} ({}): capture stopped ({}); closed, its memberships withdrawn; opening it again in {} s",
                name,
                mi.config.role().keyword(),
                why,
                wait.toSeconds());
        takeOutOfUse(mi, ManagedInterface.Lifecycle.FAILED);
        mi.reopening = true;
        scheduleReopen(mi, wait);
        publish();
    }

    /** Loop thread: opens a failed interface again after {@code wait}, unless something else moved it meanwhile. */
    private void scheduleReopen(ManagedInterface mi, Duration wait) {
        long attempt = mi.attempt;
        loop.schedule("interfaces:reopen", wait, () -> {
            if (closed
                    || wanted.get(mi.name) != mi
                    || mi.attempt != attempt
                    || mi.state != ManagedInterface.Lifecycle.FAILED) {
                return;
            }
            captureStops.computeIfAbsent(mi.name, n -> new long[2])[1]++;
            reconcile(mi, null);
            publish();
        });
    }

    /** Loop thread: the capture counters of every wanted interface, zeros included. */
    public void recordCaptureCounters(dev.mcgate.counters.CounterRecorder out) {
        for (String name : wanted.keySet()) {
            long[] c = captureStops.getOrDefault(name, new long[2]);
            out.record(CaptureCounter.CAPTURE_STOPPED, c[0], name);
            out.record(CaptureCounter.CAPTURE_REOPENS, c[1], name);
        }
    }

    /**
     * Capture thread: hand the message to the loop, to the interface it was heard on if that port is still its, unless
     * the interface is past its rate or its share of the loop's inbox (then it is dropped here, and counted).
     */
    private void heard(InterfacePort port, Ip4 source, IgmpMessage message) {
        String name = port.netInterface().name();
        IgmpAdmission.Lane lane = admission.admit(name);
        if (lane == null) {
            return;
        }
        boolean posted = loop.post("igmp:heard", () -> {
            lane.left();
            ManagedInterface mi = wanted.get(name);
            if (mi != null && mi.isOpenOn(port)) {
                igmp.receive(mi, source, message);
            }
        });
        if (!posted) {
            lane.left();
        }
    }

    /**
     * Capture thread: an MLD message goes to the loop as an IGMP one does, through the same admission (one rate limit
     * and one inbox share per interface for both protocols).
     */
    private void heardMld(InterfacePort port, Ip6 source, MldMessage message) {
        String name = port.netInterface().name();
        IgmpAdmission.Lane lane = admission.admit(name);
        if (lane == null) {
            return;
        }
        boolean posted = loop.post("mld:heard", () -> {
            lane.left();
            ManagedInterface mi = wanted.get(name);
            if (mi != null && mi.isOpenOn(port)) {
                igmp.mld().receive(mi, source, message);
            }
        });
        if (!posted) {
            lane.left();
        }
    }

    /**
     * Loop thread, as part of a reload's one loop task: the interfaces wanted under the new configuration, by name.
     */
    Map<String, InterfaceConfig> plan(McgateConfig newConfig) {
        return InterfacePlan.wanted(newConfig, List.copyOf(present.values()));
    }

    /**
     * Loop thread, as part of a reload's one loop task (after the proxy and before the forwarding table took the new
     * configuration): interfaces that are no longer wanted close (their routers stop and their memberships are
     * withdrawn), interfaces whose role changed close and reopen, new ones open, and the others keep their ports (their
     * flows keep forwarding) with their new settings.
     *
     * <p>A new {@code capture-buffer} is one of those settings: it applies when the port next opens (the interface
     * comes back, or its role changes), not at once. A pcap ring is built when the handle activates and cannot be
     * resized, so applying it would mean closing the port, and closing a downstream's port withdraws its memberships
     * and closing an upstream's leaves its groups: the flows that the reload is meant to leave alone would stop.
     *
     * @param after the interfaces wanted under {@code newConfig} ({@link #plan})
     * @return what was done, one line each
     */
    List<String> reconfigure(McgateConfig newConfig, Map<String, InterfaceConfig> after) {
        if (closed) {
            return List.of("interfaces not changed: the daemon is stopping");
        }
        List<String> done = new ArrayList<>();
        config = newConfig;
        for (ManagedInterface mi : List.copyOf(wanted.values())) {
            InterfaceConfig then = mi.config;
            InterfaceConfig now = after.get(mi.name);
            boolean wasOpen = mi.state == ManagedInterface.Lifecycle.OPEN;
            if (now == null) {
                takeOutOfUse(mi, ManagedInterface.Lifecycle.PENDING);
                wanted.remove(mi.name);
                done.add(mi.name + ": removed (was " + then.role().keyword() + ")"
                        + (wasOpen ? "; port closed, its memberships withdrawn" : ""));
            } else if (now.role() != then.role()) {
                takeOutOfUse(mi, ManagedInterface.Lifecycle.PENDING);
                mi.config = now;
                done.add(mi.name + ": role " + then.role().keyword() + " -> "
                        + now.role().keyword() + (wasOpen ? "; closed and reopened" : ""));
                reconcile(mi, null);
            } else if (!now.families().equals(then.families())) {
                // A family turned on or off changes which sides the port carries: it starts over, as for a new role.
                takeOutOfUse(mi, ManagedInterface.Lifecycle.PENDING);
                mi.config = now;
                done.add(mi.name + ": families " + then.families() + " -> " + now.families()
                        + (wasOpen ? "; closed and reopened" : ""));
                reconcile(mi, null);
            } else if (!now.equals(then)) {
                igmp.reconfigure(mi, now).ifPresent(done::add);
                igmp.mld().reconfigure(mi, now).ifPresent(done::add);
                mi.config = now;
                if (wasOpen) {
                    admission.configure(mi.name, now.limits().igmpRate(), after.size());
                }
                done.add(mi.name + ": changed " + String.join(", ", ConfigDiff.settingsChanged(then, now))
                        + (wasOpen && !now.captureBuffer().equals(then.captureBuffer())
                                ? "; the port keeps its capture buffer of "
                                        + mi.opened.port().captureBufferBytes() + " bytes until it next opens"
                                : ""));
            }
        }
        for (InterfaceConfig ic : after.values()) {
            if (!wanted.containsKey(ic.name())) {
                ManagedInterface mi = new ManagedInterface(ic);
                wanted.put(ic.name(), mi);
                done.add(ic.name() + ": added (" + ic.role().keyword() + ")"
                        + (present.containsKey(ic.name()) ? "" : "; not present, waiting for it"));
                reconcile(mi, null);
            }
        }
        publish();
        return List.copyOf(done);
    }

    /** Loop thread: the IGMP and MLD senders' counters of every open interface. */
    public void recordSenderCounters(dev.mcgate.counters.CounterRecorder out) {
        wanted.values().forEach(mi -> {
            if (mi.ipv4 != null) {
                mi.ipv4.sender().recordInto(out);
            }
            if (mi.ipv6 != null) {
                mi.ipv6.sender().recordInto(out);
            }
        });
    }

    /** Loop thread: the routers of the open downstreams, for status. */
    List<RouterSnapshot> routerSnapshots() {
        List<RouterSnapshot> out = new ArrayList<>();
        wanted.values().forEach(mi -> IgmpRouting.snapshot(mi).ifPresent(out::add));
        wanted.values().forEach(mi -> MldRouting.snapshot(mi).ifPresent(out::add));
        return out;
    }

    private void publish() {
        view.publish(wanted.values(), present);
        scopes.publish(wanted.values(), present);
    }

    /** Any thread: what status may read of the interfaces, without waiting for the loop. */
    public InterfaceView view() {
        return view;
    }

    /**
     * Stops every interface: the proxy leaves its upstream groups and every router withdraws its groups while the ports
     * are still open, then the ports close, each logging its final counters. If the loop does not answer, the ports
     * are closed anyway (nothing is forwarded for a daemon that has stopped). Idempotent.
     */
    public void close(IoExecutor closer) {
        List<ManagedInterface.OpenedPort> ports;
        try {
            ports = WholeCall.run(loop, "interfaces:stop", this::stopOnLoop, CALL_TIMEOUT);
        } catch (Exception e) {
            // The loop never ran it (or failed in it): nothing will use the ports any more, so close them here.
            LOG.error(
                    "the loop did not stop the interfaces ({}); closing their ports without the leaves", e.toString());
            ports = view.openedPorts();
        }
        for (ManagedInterface.OpenedPort opened : ports) {
            closer.execute(opened.port().netInterface().name(), () -> {
                InterfacePort port = opened.port();
                PortCounters c = port.counters();
                opened.close();
                LOG.info(
                        "{}: closed; {} frames received, {} sent, {} send errors, {} dropped by the kernel",
                        port.netInterface().name(),
                        c.received(),
                        c.sent(),
                        c.sendErrors(),
                        c.droppedByKernel());
            });
        }
    }

    private List<ManagedInterface.OpenedPort> stopOnLoop() {
        if (closed) {
            return List.of();
        }
        closed = true;
        igmp.stopProxy();
        List<ManagedInterface.OpenedPort> out = new ArrayList<>();
        for (ManagedInterface mi : wanted.values()) {
            if (mi.state == ManagedInterface.Lifecycle.OPEN) {
                out.add(mi.opened);
                igmp.mld().detach(mi);
                igmp.detach(mi);
                forwarding.portClosing(mi.config, mi.opened.port());
                mi.opened = null;
            }
            mi.attempt++;
            mi.state = ManagedInterface.Lifecycle.PENDING;
        }
        publish();
        LOG.info("IGMP seen: {}", intake.summary());
        return out;
    }
}
