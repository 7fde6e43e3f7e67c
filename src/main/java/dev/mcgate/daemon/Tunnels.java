package dev.mcgate.daemon;

import dev.mcgate.config.McgateConfig;
import dev.mcgate.config.Role;
import dev.mcgate.config.TunnelConfig;
import dev.mcgate.config.TunnelKeyFile;
import dev.mcgate.igmp.MembershipListener;
import dev.mcgate.net.Ip4;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
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
 * <p>Threads: {@link #start}, {@link #reconfigure}, the retries and {@link #close} hold {@link #lock} and wait for the
 * loop, so they never run on it: the retries run on their own executor, which the loop's retry timer only hands work
 * to. {@link #onMemberships} runs on the loop and takes no lock; {@link #statuses} takes none either (it reads a
 * published list). Endpoint events arrive on the receive or loop thread and are posted to the loop.
 */
public final class Tunnels implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Tunnels.class);
    /** How often a tunnel that is not open is tried again, besides address changes and reloads. */
    public static final Duration RETRY_INTERVAL = Duration.ofSeconds(5);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);

    /**
     * One configured tunnel: open (a port, and the key it was opened with) or not (and why, since when).
     *
     * @param notOpen null when open
     */
    private record Slot(TunnelConfig config, TunnelPort port, byte[] key, String notOpen, long notOpenSince) {
        boolean open() {
            return port != null;
        }
    }

    /** What a reload did to the tunnels, and what the daemon did between its two halves. */
    public record Reconfigured(List<String> tunnels, List<String> between) {
        public Reconfigured {
            tunnels = List.copyOf(tunnels);
            between = List.copyOf(between);
        }
    }

    private final Loop loop;
    private final ForwardingPlane forwarding;
    private final MembershipListener memberships;
    private final Supplier<MembershipSnapshot> snapshot;
    private final Executor retries;
    private final ExecutorService ownExecutor;
    /** Held by whatever opens, changes or closes tunnels; never taken on the loop. */
    private final Object lock = new Object();
    /** Under {@link #lock}: every configured tunnel, in configuration order. */
    private final Map<String, Slot> slots = new LinkedHashMap<>();
    /** The slots as last published, for {@link #statuses} on any thread. */
    private volatile List<Slot> published = List.of();
    /** Open tunnels; copy-on-write, read by the loop ({@link #onMemberships}) while the lock holder waits for it. */
    private final List<TunnelPort> ports = new CopyOnWriteArrayList<>();
    /** Loop thread only: per downstream-role tunnel, what the proxy was last told. */
    private final Map<String, Map<Ip4, Subscription>> told = new HashMap<>();
    private McgateConfig config;
    private volatile boolean closed;

    /**
     * Retries on a thread of its own ({@code mcgate-tunnel-retry}).
     *
     * @param memberships where a downstream-role tunnel's membership goes (the proxy)
     * @param snapshot    the proxy's membership now (called on the loop), for a tunnel that opens later
     */
    public Tunnels(McgateConfig config, Loop loop, ForwardingPlane forwarding, MembershipListener memberships,
            Supplier<MembershipSnapshot> snapshot) {
        this(config, loop, forwarding, memberships, snapshot, Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "mcgate-tunnel-retry");
            t.setDaemon(true);
            return t;
        }));
    }

    /** @param retries runs the retries; never the loop's thread (tests pass a direct executor with a hand-run loop) */
    Tunnels(McgateConfig config, Loop loop, ForwardingPlane forwarding, MembershipListener memberships,
            Supplier<MembershipSnapshot> snapshot, Executor retries) {
        this.config = config;
        this.loop = loop;
        this.forwarding = forwarding;
        this.memberships = memberships;
        this.snapshot = snapshot;
        this.retries = retries;
        this.ownExecutor = retries instanceof ExecutorService e ? e : null;
    }

    /**
     * Opens every tunnel's socket, attaches its port to the forwarding plane and starts its handshake; those that
     * cannot open are retried from now on.
     *
     * @return how many opened
     */
    public int start() {
        synchronized (lock) {
            for (TunnelConfig tc : config.tunnels()) {
                slots.put(tc.name(), open(tc, null));
            }
            publish();
            loop.post(this::armRetryTimer);
            return ports.size();
        }
    }

    /** Loop thread: every RETRY_INTERVAL, hands a retry to the retry executor if a tunnel is not open. */
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
        if (closed || published.stream().allMatch(Slot::open)) {
            return;
        }
        try {
            retries.execute(this::retry);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // Closing.
        }
    }

    private void retry() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            for (Slot s : List.copyOf(slots.values())) {
                if (!s.open()) {
                    slots.put(s.config().name(), open(s.config(), s));
                }
            }
            publish();
        }
    }

    /**
     * Opens one tunnel; on failure returns it not open, with the reason. Logs the first failure and the opening, and
     * a failure again only if its reason changed, so a tunnel retried every few seconds does not fill the log.
     *
     * @param before the slot it had (not open), or null if it is new
     */
    private Slot open(TunnelConfig tc, Slot before) {
        byte[] key;
        try {
            key = TunnelKeyFile.read(tc.keyFile());
        } catch (IOException e) {
            return notOpen(tc, before, "key-file " + tc.keyFile() + ": " + e.getMessage());
        }
        AtomicReference<TunnelPort> self = new AtomicReference<>();
        TunnelPort port;
        try {
            port = new TunnelPort(tc, key, loop, forwarding.forwarder(), listener(tc, self));
        } catch (IOException e) {
            return notOpen(tc, before, e.getMessage());
        }
        self.set(port);
        try {
            forwarding.portOpened(tc.asInterface(), port);
            port.start();
        } catch (Exception | Error e) {
            // Half-wired is worse than closed.
            forwarding.portClosing(tc.asInterface(), port);
            port.close();
            return notOpen(tc, before, "could not be started: " + e);
        }
        ports.add(port);
        LOG.info("tunnel {} ({}): {}:{} to peer {}:{}, inner MTU {}{}", tc.name(), tc.role().keyword(),
                tc.localAddress(), tc.localPort(), tc.peerAddress(), tc.peerPort(), port.netInterface().mtu(),
                before == null ? "" : "; open after " + seconds(loop.nanoTime() - before.notOpenSince()) + " s");
        if (tc.role() == Role.UPSTREAM) {
            // Whatever the proxy already wants goes to the peer at once.
            loop.post(() -> onMemberships(snapshot.get()));
        }
        return new Slot(tc, port, key, null, 0);
    }

    private Slot notOpen(TunnelConfig tc, Slot before, String reason) {
        boolean again = before != null && reason.equals(before.notOpen());
        if (again) {
            LOG.debug("tunnel {}: still not open: {}", tc.name(), reason);
        } else {
            LOG.warn("tunnel {}: not open: {}; retrying every {} s and when addresses change", tc.name(), reason,
                    RETRY_INTERVAL.toSeconds());
        }
        long since = before != null && !before.open() ? before.notOpenSince() : loop.nanoTime();
        return new Slot(tc, null, null, reason, since);
    }

    private static long seconds(long nanos) {
        return Math.round(nanos / 1e9);
    }

    private TunnelEndpoint.Listener listener(TunnelConfig tc, AtomicReference<TunnelPort> self) {
        return new TunnelEndpoint.Listener() {
            @Override
            public void peerUp() {
                LOG.info("{}", peerUpLine(tc.name(), tc.peerAddress(), tc.peerPort()));
            }

            @Override
            public void peerDown() {
                TunnelPort port = self.get();
                // Called under the endpoint's lock, which status() takes again (it is reentrant).
                LOG.warn("tunnel {}: peer {}:{} down: silent for {}; its membership is withdrawn ({})", tc.name(),
                        tc.peerAddress(), tc.peerPort(), port == null ? tc.deadInterval()
                                : port.endpoint().params().deadInterval(),
                        port == null ? "" : port.status().describe());
            }

            @Override
            public void membershipChanged(Map<Ip4, Subscription> groups) {
                if (tc.role() == Role.DOWNSTREAM) {
                    loop.post(() -> {
                        // A port closed meanwhile has had its membership withdrawn: what it heard last is stale.
                        if (ports.contains(self.get())) {
                            tell(tc.name(), groups);
                        }
                    });
                }
            }
        };
    }

    /** Loop thread: the peer's full membership, as changes for the proxy. */
    private void tell(String name, Map<Ip4, Subscription> now) {
        Map<Ip4, Subscription> before = told.getOrDefault(name, Map.of());
        for (Map.Entry<Ip4, Subscription> e : before.entrySet()) {
            if (!now.containsKey(e.getKey())) {
                memberships.subscriptionChanged(name, e.getKey(), Subscription.NONE);
            }
        }
        for (Map.Entry<Ip4, Subscription> e : now.entrySet()) {
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
        for (TunnelPort port : ports) {
            TunnelConfig tc = port.config();
            if (tc.role() != Role.UPSTREAM) {
                continue;
            }
            Map<Ip4, Subscription> wanted = new TreeMap<>();
            membership.groups().forEach((group, entry) -> {
                if (entry.upstream().filter(tc.name()::equals).isPresent() && !entry.requested().isNone()) {
                    Ip4 remote = tc.remoteGroup(group);
                    if (remote != null) {
                        wanted.put(remote, entry.requested());
                    }
                }
            });
            port.endpoint().setMembership(wanted);
        }
    }

    /**
     * A reload: the tunnels follow {@code next}. In order: removed tunnels and those that must reopen are closed
     * (a downstream-role tunnel's membership withdrawn first, under the old configuration, so the upstream hears the
     * leaves), those that change in place are retuned; then {@code between} runs (the daemon gives the proxy, the
     * routers and the forwarding table the new configuration: the retuned ports' new MTU goes into that table); then
     * new tunnels and reopened ones are opened, and the membership is sent again to upstream-role tunnels. A tunnel
     * whose file block did not change is not touched: its flows go on. Key files are read again: a key that changed
     * under the same path reopens the tunnel (a key rotation), one that cannot be read keeps the running key.
     *
     * @param between the daemon's own reconfiguration, or null if nothing but tunnels (or key files) changed
     * @return one line per tunnel change, and {@code between}'s lines
     */
    public Reconfigured reconfigure(McgateConfig next, Supplier<List<String>> between) {
        synchronized (lock) {
            if (closed) {
                return new Reconfigured(List.of(), between == null ? List.of() : between.get());
            }
            List<String> lines = new ArrayList<>();
            Map<String, TunnelConfig> toOpen = new LinkedHashMap<>();
            Map<String, String> openNotes = new HashMap<>();
            boolean resend = false;
            for (Slot s : List.copyOf(slots.values())) {
                String name = s.config().name();
                if (next.tunnel(name).isEmpty()) {
                    slots.remove(name);
                    if (s.open()) {
                        closeOne(s, "removed");
                        lines.add("tunnel " + name + ": removed (was " + s.config().role().keyword()
                                + "); closed" + (s.config().role() == Role.DOWNSTREAM ? ", its memberships withdrawn"
                                : ""));
                    } else {
                        lines.add("tunnel " + name + ": removed (was " + s.config().role().keyword()
                                + ", not open)");
                    }
                }
            }
            for (TunnelConfig tc : next.tunnels()) {
                Slot s = slots.get(tc.name());
                if (s == null) {
                    toOpen.put(tc.name(), tc);
                    openNotes.put(tc.name(), "added (" + tc.role().keyword() + ")");
                    continue;
                }
                if (!s.open()) {
                    // No session to keep: take the new block and try again now (the operator may have fixed it).
                    toOpen.put(tc.name(), tc);
                    if (!s.config().equals(tc)) {
                        openNotes.put(tc.name(), "changed while not open");
                    }
                    continue;
                }
                byte[] key;
                String unreadable = null;
                try {
                    key = TunnelKeyFile.read(tc.keyFile());
                } catch (IOException e) {
                    key = null;
                    unreadable = "key-file " + tc.keyFile() + ": " + e.getMessage();
                }
                TunnelPlan plan = TunnelPlan.between(s.config(), s.key(), tc, key);
                String changed = String.join(", ", plan.changes());
                switch (plan.action()) {
                    case NONE -> {
                        if (unreadable != null) {
                            LOG.warn("reload: tunnel {}: {}; it keeps the key it has", tc.name(), unreadable);
                            lines.add("tunnel " + tc.name() + ": " + unreadable + "; keeps the key it has");
                        }
                    }
                    case IN_PLACE -> {
                        try {
                            s.port().retune(tc);
                            slots.put(tc.name(), new Slot(tc, s.port(), s.key(), null, 0));
                            resend = true;
                            lines.add("tunnel " + tc.name() + ": changed " + changed + "; in place, session kept"
                                    + (unreadable == null ? "" : "; " + unreadable + ", keeps the key it has"));
                        } catch (Exception e) {
                            closeOne(s, "changed");
                            toOpen.put(tc.name(), tc);
                            openNotes.put(tc.name(), "changed " + changed + "; not taken in place (" + e
                                    + "): closed and reopened");
                        }
                    }
                    case REOPEN -> {
                        closeOne(s, "changed");
                        toOpen.put(tc.name(), tc);
                        openNotes.put(tc.name(), "changed " + changed + "; closed and reopened");
                    }
                }
            }
            config = next;
            List<String> daemonLines = between == null ? List.of() : between.get();
            // Configuration order for the slots, as the file has them.
            Map<String, Slot> ordered = new LinkedHashMap<>();
            for (TunnelConfig tc : next.tunnels()) {
                TunnelConfig opening = toOpen.get(tc.name());
                Slot now;
                if (opening != null) {
                    Slot previous = slots.get(tc.name());
                    now = open(opening, previous != null && !previous.open() ? previous : null);
                    String note = openNotes.get(tc.name());
                    if (note != null) {
                        lines.add("tunnel " + tc.name() + ": " + note + (now.open() ? "; open"
                                : "; not open: " + now.notOpen() + " (retrying)"));
                    } else if (now.open()) {
                        lines.add("tunnel " + tc.name() + ": open (it was not: " + previous.notOpen() + ")");
                    }
                } else {
                    now = slots.get(tc.name());
                }
                ordered.put(tc.name(), now);
            }
            slots.clear();
            slots.putAll(ordered);
            publish();
            if (resend) {
                // A new remap changes which far-side groups are asked for.
                loop.post(() -> onMemberships(snapshot.get()));
            }
            return new Reconfigured(lines, daemonLines);
        }
    }

    /**
     * Closes one open tunnel as {@link #close} does: a downstream-role tunnel's membership is withdrawn from the proxy
     * first, so the upstream hears leaves for the groups nobody else wants; then the port is detached and closed.
     */
    /** @param why for the log: the reload's reason; null when stopping */
    private void closeOne(Slot s, String why) {
        TunnelConfig tc = s.config();
        TunnelPort port = s.port();
        // Out of the list first: a membership message still in flight from this port is ignored from here on.
        ports.remove(port);
        if (tc.role() == Role.DOWNSTREAM) {
            try {
                loop.call(() -> {
                    tell(tc.name(), Map.of());
                    return null;
                }, CALL_TIMEOUT);
            } catch (Exception e) {
                LOG.debug("tunnel {}: membership not withdrawn ({}): {}", tc.name(), why, e.toString());
            }
        }
        forwarding.portClosing(tc.asInterface(), port);
        if (why == null) {
            LOG.info("tunnel {}: closed; {}", tc.name(), port.status().describe());
        } else {
            LOG.info("tunnel {}: closed for the reload ({}); {}", tc.name(), why, port.status().describe());
        }
        port.close();
    }

    private void publish() {
        published = List.copyOf(slots.values());
    }

    /** Every configured tunnel's status, in configuration order, open or not; any thread. */
    public List<TunnelStatus> statuses() {
        List<TunnelStatus> out = new ArrayList<>();
        long now = loop.nanoTime();
        for (Slot s : published) {
            if (s.open()) {
                out.add(s.port().status());
            } else {
                TunnelConfig tc = s.config();
                out.add(TunnelStatus.notOpen(tc.name(), tc.peerAddress() + ":" + tc.peerPort(), tc.role().keyword(),
                        Duration.ofNanos(Math.max(0, now - s.notOpenSince())), TunnelWire.innerMtu(tc.mtu()),
                        s.notOpen()));
            }
        }
        return out;
    }

    /** Stops the retries, then detaches and closes every tunnel as {@link #closeOne} does. Idempotent. */
    @Override
    public void close() {
        closed = true;
        if (ownExecutor != null) {
            ownExecutor.shutdown();
            try {
                ownExecutor.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (lock) {
            for (Slot s : slots.values()) {
                if (s.open()) {
                    closeOne(s, null);
                }
            }
            slots.clear();
            publish();
        }
    }

    /** The line logged when a tunnel's peer comes up; tools that wait for it (the bench) build it here too. */
    public static String peerUpLine(String tunnel, Ip4 peer, int port) {
        return "tunnel " + tunnel + ": peer " + peer + ":" + port + " up";
    }
}
