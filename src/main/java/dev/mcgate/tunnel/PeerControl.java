package dev.mcgate.tunnel;

import dev.mcgate.net.Ip4;
import dev.mcgate.net.Subscription;
import dev.mcgate.time.Scheduler;
import dev.mcgate.time.Timer;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
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
            Map<Ip4, Subscription> remote) {}

    static final long NEVER = Long.MIN_VALUE;
    private static final int BUFFER = 65536;

    private final KeySchedule keys;
    private final Sealer handshakeSend;
    private final Scheduler scheduler;
    private final LongSupplier wallMillis;
    private final TunnelEndpoint.RandomBytes random;
    private final TunnelEndpoint.Transmitter transmitter;
    private final TunnelEndpoint.Listener listener;
    private final TunnelCounters counters;
    private final byte[] controlBuffer = new byte[BUFFER];
    private final MembershipExchange membership = new MembershipExchange();

    /** Replaced only by {@link #retune} (on the loop); the peer, the role and the key never change under a session. */
    private volatile TunnelParams params;

    private volatile Sessions sessions = Sessions.NONE;
    private volatile View view;
    /** Written by the loop and the receive thread (the last authentic message); read by the loop's tick. */
    private volatile long lastHeardNanos = NEVER;

    private volatile boolean stopped;

    private byte[] outstandingNonce;
    private long lastPeerInitMillis = Long.MIN_VALUE;
    private TunnelStatus.PeerState state = TunnelStatus.PeerState.CONNECTING;
    private long stateSinceNanos;
    private long handshakes;
    private Timer tick;
    private boolean started;

    PeerControl(
            TunnelParams params,
            KeySchedule keys,
            Scheduler scheduler,
            LongSupplier wallMillis,
            TunnelEndpoint.RandomBytes random,
            TunnelEndpoint.Transmitter transmitter,
            TunnelEndpoint.Listener listener,
            TunnelCounters counters) {
        this.params = params;
        this.keys = keys;
        this.handshakeSend = new Sealer(keys.handshakeKey(params.downstream()));
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

    /** The receive thread heard an authentic message now; the loop acts on it at its next tick or event. */
    void heardAt(long nanos) {
        lastHeardNanos = nanos;
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
        if (tick != null) {
            tick.cancel();
        }
    }

    /** See {@link TunnelEndpoint#retune}. */
    void retune(Duration keepalive, Duration deadInterval, int pathMtu) {
        TunnelParams old = params;
        TunnelParams next = new TunnelParams(
                old.name(), old.peer(), old.peerPort(), old.downstream(), keepalive, deadInterval, pathMtu);
        params = next;
        if (keepalive.compareTo(old.keepalive()) < 0 && started && !stopped && tick != null) {
            tick.cancel();
            tick = scheduler.schedule(keepalive, this::tick);
        }
    }

    /** See {@link TunnelEndpoint#setMembership}. */
    void setMembership(Map<Ip4, Subscription> groups) {
        if (membership.setLocal(groups)) {
            publishView();
            sendMembership();
        }
    }

    /** An authentic INIT's plaintext: the peer's nonce and its wall clock. */
    void onInit(byte[] plain) {
        if (stopped) {
            return;
        }
        if (plain.length != KeySchedule.NONCE_LENGTH + 8) {
            counters.drop(TunnelDrop.BAD_PAYLOAD);
            return;
        }
        long sentAt = TunnelWire.getLong(plain, KeySchedule.NONCE_LENGTH);
        Sessions now = sessions;
        // A replayed INIT is authentic: only a newer one may start a session, so that it can neither replace a
        // genuine pending session nor restart one that works. The exception lets a peer whose clock stepped back
        // in in the end: once it has been silent past the dead interval, with nothing pending.
        boolean mayBeOlder = state != TunnelStatus.PeerState.UP && now.pending() == null;
        if (sentAt <= lastPeerInitMillis && !mayBeOlder) {
            counters.drop(TunnelDrop.STALE_HANDSHAKE);
            return;
        }
        lastPeerInitMillis = Math.max(lastPeerInitMillis, sentAt);
        counters.controlReceived.increment();
        byte[] nonceI = Arrays.copyOf(plain, KeySchedule.NONCE_LENGTH);
        if (outstandingNonce != null && Arrays.compareUnsigned(outstandingNonce, nonceI) > 0) {
            // Both started at once: ours wins, the peer answers it.
            return;
        }
        outstandingNonce = null;
        byte[] nonceR = new byte[KeySchedule.NONCE_LENGTH];
        random.fill(nonceR);
        Session pending = new Session(keys.session(nonceI, nonceR), params.downstream(), scheduler.nanoTime());
        sessions = new Sessions(now.current(), pending, now.previous());
        byte[] answer = new byte[2 * KeySchedule.NONCE_LENGTH];
        System.arraycopy(nonceI, 0, answer, 0, KeySchedule.NONCE_LENGTH);
        System.arraycopy(nonceR, 0, answer, KeySchedule.NONCE_LENGTH, KeySchedule.NONCE_LENGTH);
        sendHandshake(TunnelWire.RESPONSE, answer);
    }

    /** An authentic RESPONSE's plaintext: our nonce echoed and the peer's. */
    void onResponse(byte[] plain) {
        if (stopped) {
            return;
        }
        if (plain.length != 2 * KeySchedule.NONCE_LENGTH) {
            counters.drop(TunnelDrop.BAD_PAYLOAD);
            return;
        }
        if (outstandingNonce == null
                || !Arrays.equals(plain, 0, KeySchedule.NONCE_LENGTH, outstandingNonce, 0, KeySchedule.NONCE_LENGTH)) {
            counters.drop(TunnelDrop.STALE_HANDSHAKE);
            return;
        }
        counters.controlReceived.increment();
        byte[] nonceR = Arrays.copyOfRange(plain, KeySchedule.NONCE_LENGTH, 2 * KeySchedule.NONCE_LENGTH);
        Session fresh = new Session(keys.session(outstandingNonce, nonceR), params.downstream(), scheduler.nanoTime());
        outstandingNonce = null;
        sessions = new Sessions(fresh, null, sessions.current());
        established();
        // The response echoes our fresh nonce: the peer is alive now.
        heardAt(scheduler.nanoTime());
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
        sessions = new Sessions(session, null, now.current());
        established();
        if (!params.downstream()) {
            sendMembership();
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

    /** One authentic MEMBERSHIP message's plaintext, a part of the peer's full membership. */
    void onMembershipPart(byte[] plain) {
        if (stopped) {
            return;
        }
        switch (membership.receivePart(plain, plain.length)) {
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
            if (membership.withdrawRemote()) {
                publishView();
                listener.membershipChanged(Map.of());
            }
            listener.peerDown();
        }
        if (sessions.current() == null || state != TunnelStatus.PeerState.UP) {
            sendInit();
        }
        sendLiveness();
        tick = scheduler.schedule(params.keepalive(), this::tick);
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

    private void sendInit() {
        outstandingNonce = new byte[KeySchedule.NONCE_LENGTH];
        random.fill(outstandingNonce);
        byte[] plain = new byte[KeySchedule.NONCE_LENGTH + 8];
        System.arraycopy(outstandingNonce, 0, plain, 0, KeySchedule.NONCE_LENGTH);
        TunnelWire.putLong(plain, KeySchedule.NONCE_LENGTH, wallMillis.getAsLong());
        sendHandshake(TunnelWire.INIT, plain);
    }

    private void sendHandshake(int type, byte[] plain) {
        byte[] counter = new byte[8];
        // Handshake messages share one key per role: a random 64-bit counter keeps their nonces apart.
        random.fill(counter);
        int n = handshakeSend.seal(type, 0, TunnelWire.getLong(counter, 0), plain, 0, plain.length, controlBuffer);
        transmit(n);
        counters.controlSent.increment();
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
        for (byte[] part : membership.localParts(params.maxMessage() - TunnelWire.OVERHEAD)) {
            if (seal(s, TunnelWire.MEMBERSHIP, part, 0, part.length)) {
                counters.controlSent.increment();
            }
        }
    }

    private boolean seal(Session s, int type, byte[] payload, int offset, int length) {
        int n = s.send.seal(type, s.id, s.nextCounter(), payload, offset, length, controlBuffer);
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
