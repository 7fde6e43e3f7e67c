package dev.mcgate.relay;

import dev.mcgate.igmp.MembershipListener;
import dev.mcgate.net.IpAddress;
import dev.mcgate.net.SourceSet;
import dev.mcgate.net.Subscription;
import dev.mcgate.time.Scheduler;
import dev.mcgate.time.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The book of one relay's local receivers: which consumers joined which group (from any source, or from one), counted
 * per (group, source-or-any), and the group's subscription that follows, told to the proxy as the relay interface's
 * membership: an any-source join is EXCLUDE{}, source-specific joins are INCLUDE{S...}, nothing is INCLUDE{}.
 *
 * <p>The last consumer of a (group, source) leaving does not take it out of the subscription at once: it lingers for
 * {@link #linger()}, and a consumer that joins within it cancels the leave. Players that zap or preview make
 * join/leave storms; the upstream should not see them.
 *
 * <p>Threads: the loop's (joins, leaves, the linger timers); the consumers go to the {@link RelayPort} as an immutable
 * map the capture threads read.
 */
public final class LocalMemberships {

    /** What the proxy is told for: one group from one source, or from any (source null). */
    private record Key(IpAddress group, IpAddress source) {}

    /** One consumer's join, to give back to {@link #leave}. */
    public static final class Membership {
        private final Key key;
        private final RelayPort.Registration registration;
        private boolean left;

        private Membership(Key key, RelayPort.Registration registration) {
            this.key = key;
            this.registration = registration;
        }

        public IpAddress group() {
            return key.group();
        }
    }

    private final String interfaceName;
    private final Scheduler scheduler;
    private final MembershipListener proxy;
    private final RelayPort port;
    private Duration linger;
    /** Per key, the consumers joined now (in join order). */
    private final Map<Key, List<RelayPort.Registration>> joined = new LinkedHashMap<>();
    /** Keys whose last consumer left, until their linger ends. */
    private final Map<Key, Timer> lingering = new HashMap<>();
    /** Per group, its keys joined or lingering: a join or leave looks at its own group's, not at every group's. */
    private final Map<IpAddress, List<Key>> keysByGroup = new HashMap<>();
    /** Per group, what the proxy was told last (absent: NONE). */
    private final Map<IpAddress, Subscription> told = new TreeMap<>();

    /**
     * @param interfaceName the relay's interface name, as the proxy knows it
     * @param proxy         told each group's subscription when it changes
     */
    public LocalMemberships(
            String interfaceName, Scheduler scheduler, MembershipListener proxy, RelayPort port, Duration linger) {
        this.interfaceName = Objects.requireNonNull(interfaceName, "interfaceName");
        this.scheduler = scheduler;
        this.proxy = proxy;
        this.port = port;
        this.linger = linger;
    }

    public Duration linger() {
        return linger;
    }

    /** A new linger for the leaves from now on; those already lingering keep theirs. */
    public void linger(Duration now) {
        linger = now;
    }

    /**
     * A consumer joins {@code group}, from {@code source} only, or from any source if null. It gets the group's
     * datagrams from now on; the proxy hears of the group if this (group, source) was not wanted yet.
     */
    public Membership join(IpAddress group, IpAddress source, DatagramConsumer consumer) {
        if (!group.isMulticast() || (source != null && source.family() != group.family())) {
            throw new IllegalArgumentException("not a group and source of one family: " + group + ", " + source);
        }
        Key key = new Key(group, source);
        Timer pending = lingering.remove(key);
        if (pending != null) {
            pending.cancel();
        }
        RelayPort.Registration r = new RelayPort.Registration(source, consumer);
        List<RelayPort.Registration> rs = joined.get(key);
        if (rs == null) {
            rs = new ArrayList<>();
            joined.put(key, rs);
            if (pending == null) {
                keysByGroup.computeIfAbsent(group, g -> new ArrayList<>()).add(key);
            }
        }
        rs.add(r);
        publish(group);
        tell(group);
        return new Membership(key, r);
    }

    /** The consumer gets nothing more at once; its (group, source) leaves after the linger if it was the last. */
    public void leave(Membership m) {
        if (m.left) {
            return;
        }
        m.left = true;
        List<RelayPort.Registration> rs = joined.get(m.key);
        if (rs == null || !rs.remove(m.registration)) {
            return;
        }
        if (rs.isEmpty()) {
            joined.remove(m.key);
            if (linger.isZero()) {
                unindex(m.key);
                tell(m.key.group());
            } else {
                lingering.put(m.key, scheduler.schedule("relay:linger", linger, () -> {
                    lingering.remove(m.key);
                    unindex(m.key);
                    tell(m.key.group());
                }));
            }
        }
        publish(m.key.group());
    }

    /** How many consumers joined (group, source-or-any) now. */
    public int consumers(IpAddress group, IpAddress source) {
        return joined.getOrDefault(new Key(group, source), List.of()).size();
    }

    /** Whether the proxy holds {@code group} for this relay now: a consumer joined it, or it lingers. */
    public boolean holds(IpAddress group) {
        return told.containsKey(group);
    }

    /** How many groups the proxy holds for this relay now, lingering ones included. */
    public int groupsHeld() {
        return told.size();
    }

    /** The subscription each group has as this interface's membership now (what the proxy was told). */
    public Map<IpAddress, Subscription> subscriptions() {
        return Map.copyOf(told);
    }

    /**
     * Every group is withdrawn from the proxy now (no linger: the relay stops) and no consumer gets anything more.
     */
    public void withdrawAll() {
        lingering.values().forEach(Timer::cancel);
        lingering.clear();
        joined.clear();
        keysByGroup.clear();
        port.clear();
        for (IpAddress group : List.copyOf(told.keySet())) {
            tell(group);
        }
    }

    /** The group's subscription from the keys joined or lingering, told to the proxy if it changed. */
    private void tell(IpAddress group) {
        boolean anySource = false;
        List<IpAddress> sources = new ArrayList<>();
        for (Key k : keysOf(group)) {
            if (k.source() == null) {
                anySource = true;
            } else {
                sources.add(k.source());
            }
        }
        // An any-source join wants every source: the specific ones add nothing to EXCLUDE{}.
        Subscription now = anySource
                ? Subscription.ANY_SOURCE
                : sources.isEmpty() ? Subscription.NONE : Subscription.include(SourceSet.of(sources));
        Subscription before = told.getOrDefault(group, Subscription.NONE);
        if (now.equals(before)) {
            return;
        }
        if (now.isNone()) {
            told.remove(group);
        } else {
            told.put(group, now);
        }
        proxy.subscriptionChanged(interfaceName, group, now);
    }

    private List<Key> keysOf(IpAddress group) {
        return keysByGroup.getOrDefault(group, List.of());
    }

    /** The key is neither joined nor lingering any more. */
    private void unindex(Key key) {
        List<Key> keys = keysByGroup.get(key.group());
        if (keys != null && keys.remove(key) && keys.isEmpty()) {
            keysByGroup.remove(key.group());
        }
    }

    /** The group's consumers now, from every key of it, for the port's capture threads. */
    private void publish(IpAddress group) {
        List<RelayPort.Registration> all = new ArrayList<>();
        for (Key k : keysOf(group)) {
            all.addAll(joined.getOrDefault(k, List.of()));
        }
        port.publish(group, List.copyOf(all));
    }
}
