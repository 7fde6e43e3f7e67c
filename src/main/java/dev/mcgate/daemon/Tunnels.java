package dev.mcgate.daemon;

import dev.mcgate.config.McgateConfig;
import dev.mcgate.config.Role;
import dev.mcgate.config.TunnelConfig;
import dev.mcgate.config.TunnelKeyFile;
import dev.mcgate.igmp.MembershipListener;
import dev.mcgate.net.IpAddress;
import dev.mcgate.net.Subscription;
import dev.mcgate.proxy.MembershipSnapshot;
import dev.mcgate.time.Loop;
import dev.mcgate.tunnel.TunnelEndpoint;
import dev.mcgate.tunnel.TunnelStatus;
import dev.mcgate.tunnel.TunnelWire;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configured mcgate-to-mcgate tunnels, wired into the daemon as interfaces of their role; opened at start,
 * changed by reload ({@link #reconfigure}), and retried while they cannot open.
 *
 * <p>On the side with the sources (role downstream) a tunnel is a downstream whose membership comes from the peer:
 * what the peer asks for goes to the proxy as a router interface's would ({@link MembershipListener}), so upstream
 * joins and the forwarding table follow; the forwarder sends the wanted flows into the tunnel port. On the side with
 * the receivers (role upstream) a tunnel is an upstream: the proxy's requests for the groups it owns go to the peer
 * instead of IGMP reports ({@link #onMemberships}), and datagrams out of it are forwarded like any arriving on an
 * upstream (RPF: they must arrive there).
 *
 * <p>A tunnel whose key file cannot be read or whose socket cannot be bound (its local address is not on the box yet,
 * the port is taken) is <i>not open</i>: {@code mcgate status} shows why, and it is tried again every
 * {@link #RETRY_INTERVAL}, when the interface watcher reports a change ({@link #retrySoon}) and on reload. It is
 * logged once when it fails and once when it opens (again only if the reason changes).
 *
 * <p>Threads: which tunnels exist and which are open (the slots), what the proxy was told and the endpoints are the
 * loop's; other threads change them by calls to the loop, and hold no lock while they wait. What blocks (reading key
 * files, binding and closing sockets, joining receive threads, attaching ports to the forwarding plane) runs on one
 * I/O thread ({@code mcgate-tunnel-io}): {@link #start}, the halves of {@link #reconfigure}, the retries and
 * {@link #close} are jobs there, one at a time, so two of them never race for one socket. {@link #statuses} reads a
 * list the loop publishes.
 */
public final class Tunnels implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Tunnels.class);
    /** How often a tunnel that is not open is tried again, besides address changes and reloads. */
    public static final Duration RETRY_INTERVAL = Duration.ofSeconds(5);

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);

    /** An open tunnel the loop took off its books, for the I/O thread to detach and close. */
    private record Closing(TunnelSlot slot, String why) {}

    /** What a reload decided on the loop, for the I/O thread to carry out after. */
    private record ReloadPlan(
            List<String> lines,
            List<Closing> closing,
            Map<String, TunnelConfig> toOpen,
            Map<String, String> openNotes,
            Map<String, TunnelSlot> wasNotOpen,
            boolean resend) {}

    /** The reload's one loop decision: the tunnels' plan and what the daemon did in the same task. */
    private record Decided<T>(ReloadPlan plan, T between) {}

    /** What a reload did to the tunnels, and what the daemon did between its two halves. */
    public record Reconfigured(List<String> tunnels, List<String> between) {
        public Reconfigured {
            tunnels = List.copyOf(tunnels);
            between = List.copyOf(between);
        }
    }

    private final McgateConfig initial;
    private final Loop loop;
    private final ForwardingPlane forwarding;
    private final MembershipListener memberships;
    private final Supplier<MembershipSnapshot> snapshot;
    private final TunnelOpener opener;
    private final Executor io;
    private final ExecutorService ownExecutor;
    /** Loop thread only: every configured tunnel, in configuration order. */
    private final Map<String, TunnelSlot> slots = new LinkedHashMap<>();
    /** Loop thread only: per downstream-role tunnel, what the proxy was last told. */
    private final Map<String, Map<IpAddress, Subscription>> told = new HashMap<>();
    /** The slots as the loop last published them, for {@link #statuses} and {@link #retrySoon} on any thread. */
    private volatile List<TunnelSlot> published = List.of();
    /** Set while a retry waits for the I/O thread: the watcher's bursts of changes make one retry. */
    private final AtomicBoolean retryQueued = new AtomicBoolean();

    private volatile boolean closed;

    /**
     * Opens, closes and retries on a thread of its own ({@code mcgate-tunnel-io}).
     *
     * @param memberships where a downstream-role tunnel's membership goes (the proxy)
     * @param snapshot    the proxy's membership now (called on the loop), for a tunnel that opens later
     */
    public Tunnels(
            McgateConfig config,
            Loop loop,
            ForwardingPlane forwarding,
            MembershipListener memberships,
            Supplier<MembershipSnapshot> snapshot) {
        this(config, loop, forwarding, memberships, snapshot, Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "mcgate-tunnel-io");
            t.setDaemon(true);
            return t;
        }));
    }

    /** @param io runs the blocking work, one job at a time; never the loop's thread (tests pass a direct executor) */
    Tunnels(
            McgateConfig config,
            Loop loop,
            ForwardingPlane forwarding,
            MembershipListener memberships,
            Supplier<MembershipSnapshot> snapshot,
            Executor io) {
        this.initial = config;
        this.loop = loop;
        this.forwarding = forwarding;
        this.memberships = memberships;
        this.snapshot = snapshot;
        this.opener = new TunnelOpener(loop, forwarding, this::listener);
        this.io = io;
        this.ownExecutor = io instanceof ExecutorService e ? e : null;
    }

    /**
     * Opens every tunnel's socket, attaches its port to the forwarding plane and starts its handshake; those that
     * cannot open are retried from now on. Off the loop.
     *
     * @return how many opened
     */
    public int start() {
        return onIo(() -> {
            List<TunnelOpener.Attempt> attempts = new ArrayList<>();
            for (TunnelConfig tc : initial.tunnels()) {
                attempts.add(opener.attempt(tc, null));
            }
            List<TunnelOpener.Attempt> refused = new ArrayList<>();
            Integer opened = onLoop(
                    () -> {
                        for (TunnelOpener.Attempt a : attempts) {
                            install(a, refused);
                        }
                        publish();
                        armRetryTimer();
                        return (int)
                                slots.values().stream().filter(TunnelSlot::open).count();
                    },
                    attempts);
            refused.forEach(opener::discard);
            if (opened == null) {
                // Whenever the loop catches up: every tunnel counts as not open, and the retries start.
                loop.post("tunnels:start-missed", () -> {
                    for (TunnelConfig tc : initial.tunnels()) {
                        slots.putIfAbsent(
                                tc.name(),
                                TunnelSlot.notOpen(tc, "the loop did not take it at start", loop.nanoTime()));
                    }
                    publish();
                    armRetryTimer();
                });
                return 0;
            }
            return opened;
        });
    }

    /** Loop thread: every RETRY_INTERVAL, hands a retry to the I/O thread if a tunnel is not open. */
    private void armRetryTimer() {
        loop.schedule(RETRY_INTERVAL, () -> {
            if (closed) {
                return;
            }
            retrySoon();
            armRetryTimer();
        });
    }

    /** Tries the tunnels that are not open again, soon, off the calling thread (the interface watcher calls it). */
    public void retrySoon() {
        if (closed || published.stream().allMatch(s -> s.open() || s.reopening())) {
            return;
        }
        if (!retryQueued.compareAndSet(false, true)) {
            return;
        }
        try {
            io.execute(this::retry);
        } catch (RejectedExecutionException e) {
            retryQueued.set(false); // closing
        }
    }

    /** I/O thread: opens what is not open (and not a reload's to open), then has the loop take what opened. */
    private void retry() {
        retryQueued.set(false);
        if (closed) {
            return;
        }
        List<TunnelSlot> due;
        try {
            due = loop.call(
                    "tunnels:due",
                    () -> slots.values().stream()
                            .filter(s -> !s.open() && !s.reopening())
                            .toList(),
                    CALL_TIMEOUT);
        } catch (Exception e) {
            LOG.debug("tunnel retry skipped: the loop did not answer: {}", e.toString());
            return;
        }
        if (due.isEmpty()) {
            return;
        }
        List<TunnelOpener.Attempt> attempts = new ArrayList<>();
        due.forEach(s -> attempts.add(opener.attempt(s.config(), s)));
        List<TunnelOpener.Attempt> refused = new ArrayList<>();
        onLoop(
                () -> {
                    for (TunnelOpener.Attempt a : attempts) {
                        TunnelSlot now = slots.get(a.config().name());
                        // Serialised with reloads on this thread, so the slot is as it was; checked all the same.
                        if (closed
                                || now == null
                                || now.open()
                                || now.reopening()
                                || !now.config().equals(a.config())) {
                            refused.add(a);
                            continue;
                        }
                        install(a, refused);
                    }
                    publish();
                    return null;
                },
                attempts);
        refused.forEach(opener::discard);
    }

    /**
     * Loop thread: takes one attempt into the slots; an opened port's handshake starts here. A port that cannot start
     * goes to {@code refused}, for the I/O thread to close.
     */
    private void install(TunnelOpener.Attempt a, List<TunnelOpener.Attempt> refused) {
        TunnelConfig tc = a.config();
        if (a.port() == null) {
            slots.put(tc.name(), a.notOpen());
            return;
        }
        try {
            a.port().start();
            // The table takes the port in this same loop task: no separate call that could time out and be lost.
            forwarding.portOpened(tc.asInterface(), a.port());
        } catch (RuntimeException | Error e) {
            a.port().endpoint().stop();
            forwarding.portClosing(tc.asInterface(), a.port());
            refused.add(a);
            slots.put(tc.name(), TunnelSlot.notOpen(tc, "could not be started: " + e, loop.nanoTime()));
            return;
        }
        slots.put(tc.name(), TunnelSlot.open(tc, a.port(), a.key()));
        TunnelSlot before = a.before();
        LOG.info(
                "tunnel {} ({}): {}:{} to peer {}:{}, inner MTU {}{}",
                tc.name(),
                tc.role().keyword(),
                tc.localAddress(),
                tc.localPort(),
                tc.peerAddress(),
                tc.peerPort(),
                a.port().netInterface().mtu(),
                before == null || !before.failing()
                        ? ""
                        : "; open after " + seconds(loop.nanoTime() - before.notOpenSince()) + " s");
        if (tc.role() == Role.UPSTREAM) {
            // Whatever the proxy already wants goes to the peer at once.
            onMemberships(snapshot.get());
        }
    }

    private static long seconds(long nanos) {
        return Math.round(nanos / 1e9);
    }

    /** Called on the loop (the endpoint's listener contract). */
    private TunnelEndpoint.Listener listener(TunnelConfig tc, AtomicReference<TunnelPort> self) {
        return new TunnelEndpoint.Listener() {
            @Override
            public void peerUp() {
                LOG.info("tunnel {}: peer {}:{} up", tc.name(), tc.peerAddress(), tc.peerPort());
            }

            @Override
            public void peerDown() {
                TunnelPort port = self.get();
                LOG.warn(
                        "tunnel {}: peer {}:{} down: silent for {}; its membership is withdrawn ({})",
                        tc.name(),
                        tc.peerAddress(),
                        tc.peerPort(),
                        TunnelStatus.seconds(
                                port == null
                                        ? tc.deadInterval()
                                        : port.endpoint().params().deadInterval()),
                        port == null ? "" : port.status().describe());
            }

            @Override
            public void keyMismatch(long failures) {
                // Counted as auth-failed drops too; this line names the peer, at most once a minute.
                LOG.warn(
                        "tunnel {}: {} handshake(s) from peer {}:{} failed authentication: its key differs from"
                                + " ours, or someone sends with its address",
                        tc.name(),
                        failures,
                        tc.peerAddress(),
                        tc.peerPort());
            }

            @Override
            public void membershipChanged(Map<IpAddress, Subscription> groups) {
                TunnelSlot s = slots.get(tc.name());
                // A port closed meanwhile has had its membership withdrawn: what it heard last is stale.
                if (tc.role() == Role.DOWNSTREAM && s != null && s.port() != null && s.port() == self.get()) {
                    tell(tc.name(), groups);
                }
            }
        };
    }

    /** Loop thread: the peer's full membership, as changes for the proxy. */
    private void tell(String name, Map<IpAddress, Subscription> now) {
        Map<IpAddress, Subscription> before = told.getOrDefault(name, Map.of());
        for (Map.Entry<IpAddress, Subscription> e : before.entrySet()) {
            if (!now.containsKey(e.getKey())) {
                memberships.subscriptionChanged(name, e.getKey(), Subscription.NONE);
            }
        }
        for (Map.Entry<IpAddress, Subscription> e : now.entrySet()) {
            if (!e.getValue().equals(before.get(e.getKey()))) {
                memberships.subscriptionChanged(name, e.getKey(), e.getValue());
            }
        }
        told.put(name, Map.copyOf(now));
    }

    /**
     * Loop thread: the proxy published; each upstream-role tunnel sends what is requested of the groups it owns,
     * remapped groups asked for under their far-side name.
     */
    public void onMemberships(MembershipSnapshot membership) {
        for (TunnelSlot s : slots.values()) {
            TunnelConfig tc = s.config();
            if (!s.open() || tc.role() != Role.UPSTREAM) {
                continue;
            }
            Map<IpAddress, Subscription> wanted = new TreeMap<>();
            membership.groups().forEach((group, entry) -> {
                if (entry.upstream().filter(tc.name()::equals).isPresent()
                        && !entry.requested().isNone()) {
                    IpAddress remote = tc.remoteGroup(group);
                    if (remote != null) {
                        wanted.put(remote, entry.requested());
                    }
                }
            });
            s.port().endpoint().setMembership(wanted);
        }
    }

    /**
     * A reload: the tunnels follow {@code next}. In order: removed tunnels and those that must reopen are closed
     * (a downstream-role tunnel's membership withdrawn first, under the old configuration, so the upstream hears the
     * leaves), those that change in place are retuned; then {@code between} runs (the daemon gives the proxy, the
     * routers and the forwarding table the new configuration: the retuned ports' new MTU goes into that table); then
     * new tunnels and reopened ones are opened, and the membership is sent again to upstream-role tunnels. A tunnel
     * whose file block did not change is not touched: its flows go on. Key files are read again: a key that changed
     * under the same path reopens the tunnel (a key rotation), one that cannot be read keeps the running key. Off the
     * loop: each half is a job on the I/O thread, which asks the loop; {@code between} runs on the calling thread.
     *
     * @param between the daemon's own reconfiguration, or null if nothing but tunnels (or key files) changed
     * @return one line per tunnel change, and {@code between}'s lines
     */
    public Reconfigured reconfigure(McgateConfig next, Supplier<List<String>> between) throws WholeCall.NotTaken {
        if (closed) {
            return new Reconfigured(List.of(), between == null ? List.of() : onLoopWhole("reload:apply", between::get));
        }
        // The key files are read first, off the loop: the decision below changes nothing if the loop never takes it.
        Map<String, byte[]> keys = new HashMap<>();
        Map<String, String> unreadable = new HashMap<>();
        for (TunnelConfig tc : next.tunnels()) {
            try {
                keys.put(tc.name(), TunnelKeyFile.read(tc.keyFile()));
            } catch (IOException e) {
                unreadable.put(tc.name(), "key-file " + tc.keyFile() + ": " + e.getMessage());
            }
        }
        Decided<List<String>> decided = onLoopWhole("reload:apply", () -> {
            ReloadPlan plan = closed ? null : planReload(next, keys, unreadable);
            return new Decided<>(plan, between == null ? List.<String>of() : between.get());
        });
        ReloadPlan plan = decided.plan();
        if (plan == null) {
            return new Reconfigured(List.of(), decided.between());
        }
        plan.lines().addAll(onIo(() -> {
            plan.closing().forEach(c -> opener.close(c.slot(), c.why()));
            return openForReload(next, plan);
        }));
        return new Reconfigured(plan.lines(), decided.between());
    }

    /** A decision the loop runs whole or not at all ({@link WholeCall}); held no lock, on no loop-owned thread. */
    private <T> T onLoopWhole(String name, Callable<T> decision) throws WholeCall.NotTaken {
        try {
            return WholeCall.run(loop, name, decision, CALL_TIMEOUT);
        } catch (WholeCall.NotTaken | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Loop thread: the first half of a reload's decisions; see {@link #reconfigure}. */
    private ReloadPlan planReload(McgateConfig next, Map<String, byte[]> keys, Map<String, String> unreadable) {
        List<String> lines = new ArrayList<>();
        List<Closing> closing = new ArrayList<>();
        Map<String, TunnelConfig> toOpen = new LinkedHashMap<>();
        Map<String, String> openNotes = new HashMap<>();
        Map<String, TunnelSlot> wasNotOpen = new HashMap<>();
        boolean resend = false;
        for (TunnelSlot s : List.copyOf(slots.values())) {
            String name = s.config().name();
            if (next.tunnel(name).isEmpty()) {
                slots.remove(name);
                if (s.open()) {
                    closing.add(detach(s, "removed"));
                    lines.add("tunnel " + name + ": removed (was "
                            + s.config().role().keyword() + "); closed"
                            + (s.config().role() == Role.DOWNSTREAM ? ", its memberships withdrawn" : ""));
                } else {
                    lines.add("tunnel " + name + ": removed (was "
                            + s.config().role().keyword() + ", not open)");
                }
            }
        }
        for (TunnelConfig tc : next.tunnels()) {
            TunnelSlot s = slots.get(tc.name());
            if (s == null) {
                toOpen.put(tc.name(), tc);
                openNotes.put(tc.name(), "added (" + tc.role().keyword() + ")");
                continue;
            }
            if (!s.open()) {
                // No session to keep: take the new block and try again now (the operator may have fixed it).
                toOpen.put(tc.name(), tc);
                wasNotOpen.put(tc.name(), s);
                if (!s.config().equals(tc)) {
                    openNotes.put(tc.name(), "changed while not open");
                }
                continue;
            }
            String badKey = unreadable.get(tc.name());
            TunnelPlan plan = TunnelPlan.between(s.config(), s.key(), tc, keys.get(tc.name()));
            String changed = String.join(", ", plan.changes());
            switch (plan.action()) {
                case NONE -> {
                    if (badKey != null) {
                        LOG.warn("reload: tunnel {}: {}; it keeps the key it has", tc.name(), badKey);
                        lines.add("tunnel " + tc.name() + ": " + badKey + "; keeps the key it has");
                    }
                }
                case IN_PLACE -> {
                    try {
                        s.port().retune(tc);
                        slots.put(tc.name(), TunnelSlot.open(tc, s.port(), s.key()));
                        resend = true;
                        lines.add("tunnel " + tc.name() + ": changed " + changed + "; in place, session kept"
                                + (badKey == null ? "" : "; " + badKey + ", keeps the key it has"));
                    } catch (RuntimeException e) {
                        closing.add(detach(s, "changed"));
                        toOpen.put(tc.name(), tc);
                        openNotes.put(
                                tc.name(),
                                "changed " + changed + "; not taken in place (" + e + "): closed and reopened");
                    }
                }
                case REOPEN -> {
                    closing.add(detach(s, "changed"));
                    toOpen.put(tc.name(), tc);
                    openNotes.put(tc.name(), "changed " + changed + "; closed and reopened");
                }
            }
        }
        for (TunnelConfig tc : toOpen.values()) {
            TunnelSlot was = wasNotOpen.get(tc.name());
            slots.put(
                    tc.name(),
                    was != null
                            ? new TunnelSlot(tc, null, null, was.notOpen(), was.notOpenSince(), true)
                            : new TunnelSlot(tc, null, null, TunnelSlot.REOPENING, loop.nanoTime(), true));
        }
        publish();
        return new ReloadPlan(lines, closing, toOpen, openNotes, wasNotOpen, resend);
    }

    /** I/O thread, second half of a reload: opens what the first half planned, has the loop take it. */
    private List<String> openForReload(McgateConfig next, ReloadPlan plan) {
        List<TunnelOpener.Attempt> attempts = new ArrayList<>();
        for (TunnelConfig tc : plan.toOpen().values()) {
            attempts.add(opener.attempt(tc, plan.wasNotOpen().get(tc.name())));
        }
        List<TunnelOpener.Attempt> refused = new ArrayList<>();
        List<String> lines = onLoop(
                () -> {
                    List<String> out = new ArrayList<>();
                    Map<String, TunnelOpener.Attempt> byName = new HashMap<>();
                    attempts.forEach(a -> byName.put(a.config().name(), a));
                    for (TunnelConfig tc : next.tunnels()) {
                        TunnelOpener.Attempt a = byName.get(tc.name());
                        if (a == null) {
                            continue;
                        }
                        if (closed) {
                            refused.add(a);
                            continue;
                        }
                        install(a, refused);
                        TunnelSlot now = slots.get(tc.name());
                        String note = plan.openNotes().get(tc.name());
                        if (note != null) {
                            out.add("tunnel " + tc.name() + ": " + note
                                    + (now.open() ? "; open" : "; not open: " + now.notOpen() + " (retrying)"));
                        } else if (now.open()) {
                            out.add("tunnel " + tc.name() + ": open (it was not: "
                                    + a.before().notOpen() + ")");
                        }
                    }
                    // Configuration order for the slots, as the file has them.
                    Map<String, TunnelSlot> ordered = new LinkedHashMap<>();
                    for (TunnelConfig tc : next.tunnels()) {
                        TunnelSlot s = slots.get(tc.name());
                        if (s != null) {
                            ordered.put(tc.name(), s);
                        }
                    }
                    slots.clear();
                    slots.putAll(ordered);
                    publish();
                    if (plan.resend()) {
                        // A new remap changes which far-side groups are asked for.
                        onMemberships(snapshot.get());
                    }
                    return out;
                },
                attempts);
        refused.forEach(opener::discard);
        if (lines != null) {
            return lines;
        }
        // Whenever the loop catches up: the tunnels this reload meant to open are retried like any not open.
        loop.post("tunnels:reload-missed", () -> {
            slots.replaceAll((name, s) -> s.reopening()
                    ? TunnelSlot.notOpen(s.config(), "the loop did not take it at the reload", loop.nanoTime())
                    : s);
            publish();
        });
        return List.of("tunnels NOT reopened: the loop did not answer (retrying)");
    }

    /**
     * Loop thread: takes an open tunnel off the books. A downstream-role tunnel's membership is withdrawn from the
     * proxy first, so the upstream hears leaves for the groups nobody else wants; the I/O thread then detaches the
     * port from the forwarding plane and closes it ({@link TunnelOpener#close}).
     *
     * @param why for the log: the reload's reason; null when stopping
     */
    private Closing detach(TunnelSlot s, String why) {
        if (s.config().role() == Role.DOWNSTREAM) {
            tell(s.config().name(), Map.of());
        }
        // Off the table and silent now, in this loop task; only the socket's close waits for the I/O thread.
        s.port().endpoint().stop();
        forwarding.portClosing(s.config().asInterface(), s.port());
        return new Closing(s, why);
    }

    /** Loop thread. */
    private void publish() {
        published = List.copyOf(slots.values());
    }

    /** Every configured tunnel's status, in configuration order, open or not; any thread, never waits. */
    public List<TunnelStatus> statuses() {
        List<TunnelStatus> out = new ArrayList<>();
        long now = loop.nanoTime();
        for (TunnelSlot s : published) {
            if (s.open()) {
                out.add(s.port().status());
            } else {
                TunnelConfig tc = s.config();
                out.add(TunnelStatus.notOpen(
                        tc.name(),
                        tc.peerAddress() + ":" + tc.peerPort(),
                        tc.role().keyword(),
                        Duration.ofNanos(Math.max(0, now - s.notOpenSince())),
                        TunnelWire.innerMtu(tc.mtu()),
                        s.notOpen()));
            }
        }
        return out;
    }

    /**
     * Stops the retries, then detaches and closes every tunnel as a removal by reload does (downstream-role
     * memberships withdrawn first). Off the loop. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            onIo(() -> {
                List<Closing> open;
                try {
                    open = loop.call(
                            "tunnels:close",
                            () -> {
                                List<Closing> all = new ArrayList<>();
                                slots.values().stream().filter(TunnelSlot::open).forEach(s -> all.add(detach(s, null)));
                                slots.clear();
                                publish();
                                return all;
                            },
                            CALL_TIMEOUT);
                } catch (Exception e) {
                    // The loop is gone: nothing to withdraw from; the sockets are closed all the same.
                    LOG.debug("tunnels: memberships not withdrawn at close: {}", e.toString());
                    open = published.stream()
                            .filter(TunnelSlot::open)
                            .map(s -> new Closing(s, null))
                            .toList();
                    published = List.of();
                }
                open.forEach(c -> opener.close(c.slot(), c.why()));
                return null;
            });
        } finally {
            if (ownExecutor != null) {
                ownExecutor.shutdown();
                try {
                    ownExecutor.awaitTermination(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /**
     * Runs a decision on the loop and waits for it, holding no lock. If the loop does not take it, the ports the
     * attempts opened are closed again (they were never installed) and null is returned.
     */
    private <T> T onLoop(Callable<T> task, List<TunnelOpener.Attempt> attempts) {
        try {
            return WholeCall.run(loop, "tunnels:install", task, CALL_TIMEOUT);
        } catch (WholeCall.NotTaken e) {
            // It never ran: none of these ports is on the loop's books, so they are this thread's to close.
            LOG.error("tunnels: the loop did not take the opened tunnels ({}); closing them, retrying", e.getMessage());
            attempts.forEach(opener::discard);
            return null;
        } catch (Exception e) {
            throw new IllegalStateException("tunnels: installing the opened tunnels failed", e);
        }
    }

    /** Runs a job on the I/O thread and waits for its result; never called on that thread. */
    private <T> T onIo(Callable<T> job) {
        FutureTask<T> task = new FutureTask<>(job);
        try {
            io.execute(task);
            return task.get();
        } catch (RejectedExecutionException e) {
            throw new IllegalStateException("the tunnels are closed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the tunnels' I/O thread worked", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
