package dev.mcgate.tunnel;

import dev.mcgate.net.IpAddress;
import dev.mcgate.net.Subscription;
import dev.mcgate.time.Scheduler;
import dev.mcgate.time.Timer;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The control path of one tunnel end, a state machine owned by the loop (as {@code igmp.RouterInterface} is): the
 * session handshake, the peer's liveness (keepalives, the dead interval) and the membership exchange. Every method
 * that changes state runs on the loop, timers included, so it needs no lock; what the receive thread authenticates
 * reaches it as posted events ({@link TunnelEndpoint} posts them). It publishes what the data path and status readers
 * need through volatile fields: the {@link Sessions}, the parameters, a {@link View} and the time last heard.
 *
 * <p>Its UDP sends go straight to the {@link TunnelEndpoint.Transmitter} (thread-safe), under no lock.
 */
final class PeerControl {

    /** The state as status readers see it, published by the loop at each change. */
    record View(
            TunnelStatus.PeerState state,
            long stateSinceNanos,
            long handshakes,
            int groups,
            Map<IpAddress, Subscription> remote) {}

    static final long NEVER = Long.MIN_VALUE;
    /** A peer whose handshakes fail authentication is named at once, then at most once a minute. */
    static final long KEY_MISMATCH_LOG_NANOS = 60_000_000_000L;
    /** How long a cookie from the peer is good for (its secret lives this long: {@link HandshakeLimiter}). */
    static final long COOKIE_LIFE_NANOS = HandshakeLimiter.SECRET_LIFE_NANOS;

    private static final int BUFFER = 65536;

    /** A cookie the peer sent us under load, and when (its mac2 makes our next INITs pass). */
    record Cookie(byte[] value, long receivedNanos) {}

    private final Handshake handshake;
    private final Scheduler scheduler;
    private final LongSupplier wallMillis;
    private final TunnelEndpoint.RandomBytes random;
    private final TunnelEndpoint.Transmitter transmitter;
    private final TunnelEndpoint.Listener listener;
    private final TunnelCounters counters;
    private final byte[] controlBuffer = new byte[BUFFER];
    private final FamilyMemberships membership = new FamilyMemberships();
    /** Handshakes from the peer's address that failed mac1, counted by the receive thread, reported by the loop. */
    private final AtomicLong keyMismatches = new AtomicLong();

    /** Replaced only by {@link #retune} (on the loop); the peer, the role and the key never change under a session. */
    private volatile TunnelParams params;

    private volatile Sessions sessions = Sessions.NONE;
    private volatile View view;
    /** Written by the loop and the receive thread (the last authentic message); read by the loop's tick. */
    private volatile long lastHeardNanos = NEVER;

    private volatile boolean stopped;
    /** Our INIT waiting for its RESPONSE; read by the receive thread to match RESPONSE and COOKIE to it. */
    private volatile Handshake.Initiation outstanding;
    /** Set by the receive thread, read by the loop when it sends an INIT. */
    private volatile Cookie cookie;

    private long lastPeerInitMillis = Long.MIN_VALUE;
    private long keyMismatchLoggedNanos = NEVER;
    private TunnelStatus.PeerState state = TunnelStatus.PeerState.CONNECTING;
    private long stateSinceNanos;
    private long handshakes;
    private Timer tick;
    private boolean started;

    PeerControl(
            TunnelParams params,
            Handshake handshake,
            Scheduler scheduler,
            LongSupplier wallMillis,
            TunnelEndpoint.RandomBytes random,
            TunnelEndpoint.Transmitter transmitter,
            TunnelEndpoint.Listener listener,
            TunnelCounters counters) {
        this.params = params;
        this.handshake = handshake;
        this.scheduler = scheduler;
        this.wallMillis = wallMillis;
        this.random = random;
        this.transmitter = transmitter;
        this.listener = listener;
        this.counters = counters;
        this.stateSinceNanos = scheduler.nanoTime();
        publishView();
    }

    // --- read from any thread -------------------------------------------------------------------------------------

    TunnelParams params() {
        return params;
    }

    Sessions sessions() {
        return sessions;
    }

    View view() {
        return view;
    }

    long lastHeardNanos() {
        return lastHeardNanos;
    }

    boolean stopped() {
        return stopped;
    }

    Handshake.Initiation outstanding() {
        return outstanding;
    }

    /** The receive thread heard an authentic message now; the loop acts on it at its next tick or event. */
    void heardAt(long nanos) {
        lastHeardNanos = nanos;
    }

    /** The receive thread opened a cookie reply to our outstanding INIT: the next INITs carry its mac2. */
    void cookieReceived(byte[] value, long nowNanos) {
        cookie = new Cookie(value, nowNanos);
    }

    /** The receive thread saw a handshake from the peer's address fail mac1; true if it is the first not yet said. */
    boolean keyMismatch() {
        return keyMismatches.getAndIncrement() == 0;
    }

    // --- the loop's -----------------------------------------------------------------------------------------------

    /** Sends the first INIT and starts the keepalive timer. */
    void start() {
        if (started || stopped) {
            return;
        }
        started = true;
        setState(TunnelStatus.PeerState.CONNECTING, scheduler.nanoTime());
        sendInit();
        tick = scheduler.schedule(params.keepalive(), this::tick);
    }

    /** Stops the timer and withdraws the sessions from the data path; nothing is sent any more. Idempotent. */
    void stop() {
        stopped = true;
        sessions = Sessions.NONE;
        outstanding = null;
        if (tick != null) {
            tick.cancel();
        }
    }

    /** See {@link TunnelEndpoint#retune}. */
    void retune(Duration keepalive, Duration deadInterval, int pathMtu) {
        TunnelParams old = params;
        TunnelParams next = new TunnelParams(
                old.name(),
                old.local(),
                old.localPort(),
                old.peer(),
                old.peerPort(),
                old.downstream(),
                keepalive,
                deadInterval,
                pathMtu);
        params = next;
        if (keepalive.compareTo(old.keepalive()) < 0 && started && !stopped && tick != null) {
            tick.cancel();
            tick = scheduler.schedule(keepalive, this::tick);
        }
    }

    /** See {@link TunnelEndpoint#setMembership}. */
    void setMembership(Map<? extends IpAddress, Subscription> groups) {
        if (membership.setLocal(groups)) {
            publishView();
            sendMembership();
        }
    }

    /**
     * Handshakes from the peer's address failed mac1 (the receive thread counted them): the peer's key differs from
     * ours, or someone forges its address. Said at once, then at most once per {@link #KEY_MISMATCH_LOG_NANOS}.
     */
    void onKeyMismatch() {
        long now = scheduler.nanoTime();
        if (stopped
                || keyMismatches.get() == 0
                || (keyMismatchLoggedNanos != NEVER && now - keyMismatchLoggedNanos < KEY_MISMATCH_LOG_NANOS)) {
            return;
        }
        keyMismatchLoggedNanos = now;
        listener.keyMismatch(keyMismatches.getAndSet(0));
    }

    /**
     * An INIT that passed length, mac1 and the rate limit on the receive thread. Its timestamp is opened here, on the
     * loop (AES-GCM, then a Diffie-Hellman for the answer): nothing the data path waits for.
     */
    void onInit(byte[] message) {
        if (stopped) {
            return;
        }
        Handshake.ReadInit init = handshake.readInit(message);
        if (init == null) {
            counters.drop(TunnelDrop.AUTH_FAILED);
            return;
        }
        TunnelParams p = params;
        if (!p.isLocal(init.responder(), init.responderPort())) {
            counters.drop(TunnelDrop.WRONG_ENDPOINT);
            return;
        }
        Sessions now = sessions;
        // A replayed INIT is authentic: only a newer one may start a session, so that it can neither replace a
        // genuine pending session nor restart one that works. The exception lets a peer whose clock stepped back
        // in in the end: once it is not up, with nothing pending.
        boolean mayBeOlder = state != TunnelStatus.PeerState.UP && now.pending() == null;
        if (init.timestamp() <= lastPeerInitMillis && !mayBeOlder) {
            counters.drop(TunnelDrop.STALE_HANDSHAKE);
            return;
        }
        lastPeerInitMillis = Math.max(lastPeerInitMillis, init.timestamp());
        counters.controlReceived.increment();
        Handshake.Initiation ours = outstanding;
        if (ours != null && Arrays.compareUnsigned(ours.ephemeralPublic(), init.ephemeral()) > 0) {
            // Both started at once (after a restart, or rekeying together): the larger ephemeral key wins on both
            // sides alike, so the two handshakes end in one session. Ours wins: the peer answers it.
            return;
        }
        Handshake.Responded r = handshake.respond(init, p.peer(), p.peerPort(), random, null);
        if (r == null) {
            counters.drop(TunnelDrop.BAD_PAYLOAD); // a small-order ephemeral: no shared secret
            return;
        }
        outstanding = null;
        Session pending = new Session(r.keys(), p.downstream(), false, scheduler.nanoTime());
        sessions = new Sessions(now.current(), pending, now.previous());
        System.arraycopy(r.message(), 0, controlBuffer, 0, r.message().length);
        if (transmit(r.message().length)) {
            counters.controlSent.increment();
        }
    }

    /** A RESPONSE whose index matched our outstanding INIT and whose mac1 is valid. */
    void onResponse(byte[] message) {
        Handshake.Initiation ours = outstanding;
        if (stopped || ours == null || TunnelWire.counter(message) != ours.index()) {
            counters.drop(TunnelDrop.STALE_HANDSHAKE);
            return;
        }
        TunnelParams p = params;
        if (!p.isLocal(Handshake.responseEndpointAddress(message), Handshake.responseEndpointPort(message))) {
            counters.drop(TunnelDrop.WRONG_ENDPOINT);
            return;
        }
        KeySchedule.SessionKeys keys = handshake.readResponse(ours, message);
        if (keys == null) {
            counters.drop(TunnelDrop.AUTH_FAILED);
            return;
        }
        counters.controlReceived.increment();
        long now = scheduler.nanoTime();
        Session fresh = new Session(keys, p.downstream(), true, now);
        outstanding = null;
        Session old = sessions.current();
        // The old session only receives now, until the peer is heard under the new one (onCurrentConfirmed).
        sessions = new Sessions(fresh, null, old != null && old.usableAt(now) ? old : null);
        established();
        // The response answers our fresh ephemeral: the peer is alive now.
        heardAt(now);
        onHeard();
        // Proof for the responder, which holds the session as pending until something authenticates under it.
        sendLiveness();
    }

    /** A message authenticated under {@code session}, which was pending then: the initiator holds it. */
    void onConfirmed(Session session) {
        Sessions now = sessions;
        if (stopped || now.pending() != session) {
            return; // promoted already, or replaced by a newer INIT meanwhile
        }
        // The initiator sends under the new session only: the old one is of no more use here.
        sessions = new Sessions(session, null, null);
        established();
        if (!params.downstream()) {
            sendMembership();
        }
    }

    /** The peer was heard under our current session, which we initiated: the previous one is dropped. */
    void onCurrentConfirmed(Session session) {
        Sessions now = sessions;
        if (!stopped && now.current() == session && now.previous() != null) {
            sessions = new Sessions(session, now.pending(), null);
        }
    }

    /** The receive thread heard the peer while it was not up ({@link #heardAt} was called). */
    void onHeard() {
        long now = scheduler.nanoTime();
        long heard = lastHeardNanos;
        if (stopped
                || state == TunnelStatus.PeerState.UP
                || heard == NEVER
                || now - heard > params.deadInterval().toNanos()) {
            return;
        }
        setState(TunnelStatus.PeerState.UP, now);
        listener.peerUp();
    }

    /** One authentic MEMBERSHIP or MEMBERSHIP6 message's plaintext, a part of the peer's full membership. */
    void onMembershipPart(int type, byte[] plain) {
        if (stopped) {
            return;
        }
        switch (membership.receivePart(type, plain, plain.length)) {
            case MALFORMED -> counters.drop(TunnelDrop.BAD_PAYLOAD);
            case CHANGED -> {
                publishView();
                listener.membershipChanged(new LinkedHashMap<>(new TreeMap<>(membership.remote())));
            }
            default -> {
                // An old generation, a part of one still incomplete, or the same membership again.
            }
        }
    }

    private void tick() {
        if (stopped) {
            return;
        }
        long now = scheduler.nanoTime();
        if (state == TunnelStatus.PeerState.UP
                && now - lastHeardNanos > params.deadInterval().toNanos()) {
            setState(TunnelStatus.PeerState.DOWN, now);
            // Nothing more goes out under a session the peer may have lost (a restart): only new handshakes.
            sessions = Sessions.NONE;
            if (membership.withdrawRemote()) {
                publishView();
                listener.membershipChanged(Map.of());
            }
            listener.peerDown();
        }
        sessions = withoutExpired(sessions, now);
        Session current = sessions.current();
        if (current == null || state != TunnelStatus.PeerState.UP || rekeyDue(current, now)) {
            sendInit();
        }
        sendLiveness();
        onKeyMismatch(); // failures counted since the last line, once the minute is over
        tick = scheduler.schedule(params.keepalive(), this::tick);
    }

    /**
     * The initiator of a session starts a new handshake after {@link Session#REKEY_AFTER_NANOS} or
     * {@link Session#REKEY_AFTER_MESSAGES}; the responder three keepalives later, should the initiator's be lost.
     */
    private boolean rekeyDue(Session s, long now) {
        long after = Session.REKEY_AFTER_NANOS
                + (s.initiatedByUs ? 0 : 3 * params.keepalive().toNanos());
        return now - s.createdNanos >= after || s.sent() >= Session.REKEY_AFTER_MESSAGES;
    }

    /** The sessions without those past {@link Session#REJECT_AFTER_NANOS}: they send and accept nothing more. */
    private static Sessions withoutExpired(Sessions s, long now) {
        Session current = live(s.current(), now);
        Session pending = live(s.pending(), now);
        Session previous = live(s.previous(), now);
        if (current == s.current() && pending == s.pending() && previous == s.previous()) {
            return s;
        }
        return new Sessions(current, pending, previous);
    }

    private static Session live(Session s, long now) {
        return s != null && s.usableAt(now) ? s : null;
    }

    private void established() {
        handshakes++;
        membership.newSession();
        publishView();
    }

    private void setState(TunnelStatus.PeerState next, long now) {
        state = next;
        stateSinceNanos = now;
        publishView();
    }

    private void publishView() {
        TunnelParams p = params;
        view = new View(
                state,
                stateSinceNanos,
                handshakes,
                p.downstream() ? membership.remote().size() : membership.localSize(),
                membership.remote());
    }

    // --- sending, under no lock -----------------------------------------------------------------------------------

    /** A new INIT with a fresh ephemeral key and index; with mac2 if the peer gave us a cookie lately. */
    private void sendInit() {
        byte[] index = new byte[8];
        random.fill(index);
        long now = scheduler.nanoTime();
        Cookie c = cookie;
        byte[] mac2Key = c != null && now - c.receivedNanos() < COOKIE_LIFE_NANOS ? c.value() : null;
        TunnelParams p = params;
        outstanding = handshake.init(
                TunnelWire.getLong(index, 0),
                p.peer(),
                p.peerPort(),
                wallMillis.getAsLong(),
                random,
                mac2Key,
                controlBuffer);
        if (transmit(TunnelWire.INIT_LENGTH)) {
            counters.controlSent.increment();
        }
    }

    /** The downstream side sends keepalives; the upstream side its membership, which keeps the peer's view fresh. */
    private void sendLiveness() {
        Session s = sessions.current();
        if (s == null) {
            return;
        }
        if (params.downstream()) {
            if (seal(s, TunnelWire.KEEPALIVE, controlBuffer, 0, 0)) {
                counters.controlSent.increment();
            }
        } else {
            sendMembership();
        }
    }

    private void sendMembership() {
        Session s = sessions.current();
        if (s == null || stopped) {
            return;
        }
        for (FamilyMemberships.Message m : membership.localMessages(params.maxMessage() - TunnelWire.OVERHEAD)) {
            if (seal(s, m.type(), m.payload(), 0, m.payload().length)) {
                counters.controlSent.increment();
            }
        }
    }

    private boolean seal(Session s, int type, byte[] payload, int offset, int length) {
        long counter = s.nextCounter();
        if (counter >= Session.REJECT_AFTER_MESSAGES || !s.usableAt(scheduler.nanoTime())) {
            counters.drop(TunnelDrop.NO_SESSION);
            return false;
        }
        int n = s.send.seal(type, s.id, counter, payload, offset, length, controlBuffer);
        return transmit(n);
    }

    private boolean transmit(int n) {
        boolean ok = transmitter.transmit(controlBuffer, n);
        if (!ok) {
            counters.sendErrors.increment();
        }
        return ok;
    }
}
