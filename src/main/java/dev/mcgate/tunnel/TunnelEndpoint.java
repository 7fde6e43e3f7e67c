package dev.mcgate.tunnel;

import dev.mcgate.net.Ip4;
import dev.mcgate.net.Subscription;
import dev.mcgate.time.Scheduler;
import dev.mcgate.time.Timer;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * One end of an mcgate tunnel: the session handshake, sealing and opening of every message, the replay windows, the
 * liveness of the peer and the membership exchange. It sends through a {@link Transmitter} and reports to a
 * {@link Listener}; the UDP socket and the forwarder are the caller's.
 *
 * <p><b>Handshake.</b> Either side may start one: at start, and every keepalive interval while it has no session or
 * the peer is not up. INIT carries a fresh 16-octet nonce and the sender's wall-clock milliseconds; RESPONSE echoes
 * that nonce and adds the responder's. Both are sealed with the handshake key of the sender's role, derived from the
 * pre-shared key. Session keys = HKDF(psk, nonceI | nonceR). The initiator installs the session on the RESPONSE and
 * sends at once under it; the responder keeps it pending, beside the current one, until a message authenticates
 * under it (proof that the initiator holds it). So a restarted peer is let in by its fresh nonces (its new session
 * has new keys and a fresh replay window), while a replayed INIT only makes a pending session nobody can complete
 * (and one not newer than the last is dropped while the peer is up), and a replayed RESPONSE matches no INIT. Old
 * sessions' messages carry unknown session ids. When both sides start at once, the INIT with the larger nonce wins.
 *
 * <p><b>Liveness.</b> A keepalive (the upstream-role side sends its membership instead) goes out every keepalive
 * interval; the peer is down after the dead interval without an authentic message, and up again on the next one.
 * Going down withdraws the membership learnt from the peer.
 *
 * <p>Threads: every public method is synchronized; {@code Scheduler.schedule} is called only from {@link #start},
 * {@link #retune} and the timer task, so the socket's receive thread and the senders may call in while the loop runs
 * the timer. Listener calls happen under the lock and must only hand work over (post to the loop).
 */
public final class TunnelEndpoint {

    /** Sends one message to the peer; synchronous (the bytes may be reused when it returns). */
    @FunctionalInterface
    public interface Transmitter {
        boolean transmit(byte[] message, int length);
    }

    /** Secure random octets (the daemon passes SecureRandom). */
    @FunctionalInterface
    public interface RandomBytes {
        void fill(byte[] into);
    }

    /** What the endpoint reports, under its lock. */
    public interface Listener {
        void peerUp();

        void peerDown();

        /** The full membership the peer asks for now (empty when the peer went down). */
        void membershipChanged(Map<Ip4, Subscription> groups);
    }

    private static final int BUFFER = 65536;

    /** Replaced only by {@link #retune}; the peer, the role and the key never change under a session. */
    private TunnelParams params;
    private final KeySchedule keys;
    private final Sealer handshakeSend;
    private final Sealer handshakeReceive;
    private final Scheduler scheduler;
    private final LongSupplier wallMillis;
    private final RandomBytes random;
    private final Transmitter transmitter;
    private final Listener listener;
    private final byte[] sendBuffer = new byte[BUFFER];
    private final byte[] controlPlain = new byte[BUFFER];
    private final long[] drops = new long[TunnelDrop.VALUES.length];

    private Session current;
    private Session previous;
    private Session pending;
    private byte[] outstandingNonce;
    private long lastPeerInitMillis = Long.MIN_VALUE;
    private TunnelStatus.PeerState state = TunnelStatus.PeerState.CONNECTING;
    private long stateSinceNanos;
    private long lastHeardNanos;
    private boolean heard;
    private long handshakes;
    private Map<Ip4, Subscription> localMembership = Map.of();
    private long localGeneration;
    private Map<Ip4, Subscription> remoteMembership = Map.of();
    private long appliedGeneration = -1;
    private long assemblingGeneration = -1;
    private int assemblingCount;
    private final Map<Integer, Map<Ip4, Subscription>> assembling = new HashMap<>();
    private long dataSent;
    private long dataReceived;
    private long controlSent;
    private long controlReceived;
    private long sendErrors;
    private Timer tick;
    private boolean started;
    private boolean stopped;

    public TunnelEndpoint(TunnelParams params, byte[] psk, Scheduler scheduler, LongSupplier wallMillis,
            RandomBytes random, Transmitter transmitter, Listener listener) {
        this.params = params;
        this.keys = new KeySchedule(psk);
        this.handshakeSend = new Sealer(keys.handshakeKey(params.downstream()));
        this.handshakeReceive = new Sealer(keys.handshakeKey(!params.downstream()));
        this.scheduler = scheduler;
        this.wallMillis = wallMillis;
        this.random = random;
        this.transmitter = transmitter;
        this.listener = listener;
    }

    public synchronized TunnelParams params() {
        return params;
    }

    /**
     * New timing and path MTU under the running session (a reload). None of them is part of the session: the keys,
     * counters and replay windows stay, so nothing in flight is lost. A shorter keepalive takes effect at once (the
     * pending tick is rescheduled), a longer one from the next tick; the dead interval is checked against the peer's
     * last message at the next tick; a new MTU applies to the next message sent or received. Call on the scheduler's
     * thread.
     *
     * @throws IllegalArgumentException if the values are not valid together (as {@link TunnelParams} checks)
     */
    public synchronized void retune(Duration keepalive, Duration deadInterval, int pathMtu) {
        TunnelParams next = new TunnelParams(params.name(), params.peer(), params.peerPort(), params.downstream(),
                keepalive, deadInterval, pathMtu);
        boolean sooner = keepalive.compareTo(params.keepalive()) < 0;
        params = next;
        if (sooner && started && !stopped && tick != null) {
            tick.cancel();
            tick = scheduler.schedule(keepalive, this::tick);
        }
    }

    /** Sends the first INIT and starts the keepalive timer. Call on the scheduler's thread. */
    public synchronized void start() {
        if (started) {
            return;
        }
        started = true;
        stateSinceNanos = scheduler.nanoTime();
        sendInit();
        tick = scheduler.schedule(params.keepalive(), this::tick);
    }

    /** Stops the timer; nothing is sent any more. Idempotent. */
    public synchronized void stop() {
        stopped = true;
        if (tick != null) {
            tick.cancel();
        }
    }

    /**
     * One UDP datagram from {@code from}:{@code fromPort}. Returns the length of the inner IPv4 packet written to
     * {@code plainOut} (at offset 0; it must hold at least {@code length} octets) for an authentic, new DATA message;
     * -1 for everything else (control messages are acted on here; drops are counted by reason).
     */
    public synchronized int receive(byte[] message, int length, Ip4 from, int fromPort, byte[] plainOut) {
        if (stopped) {
            return -1;
        }
        if (!from.equals(params.peer()) || fromPort != params.peerPort()) {
            return drop(TunnelDrop.WRONG_PEER);
        }
        if (length < TunnelWire.OVERHEAD) {
            return drop(TunnelDrop.TRUNCATED);
        }
        if (length > params.maxMessage()) {
            return drop(TunnelDrop.OVERSIZED);
        }
        if (message[1] != TunnelWire.VERSION || message[2] != 0 || message[3] != 0) {
            return drop(TunnelDrop.BAD_HEADER);
        }
        int type = TunnelWire.type(message);
        int id = TunnelWire.sessionId(message);
        if (type == TunnelWire.INIT || type == TunnelWire.RESPONSE) {
            if (id != 0) {
                return drop(TunnelDrop.BAD_HEADER);
            }
            int n = handshakeReceive.open(message, length, controlPlain);
            if (n < 0) {
                return drop(TunnelDrop.AUTH_FAILED);
            }
            return type == TunnelWire.INIT ? onInit(n) : onResponse(n);
        }
        if (type != TunnelWire.DATA && type != TunnelWire.KEEPALIVE && type != TunnelWire.MEMBERSHIP) {
            return drop(TunnelDrop.BAD_HEADER);
        }
        Session s = find(id);
        if (s == null) {
            return drop(TunnelDrop.UNKNOWN_SESSION);
        }
        long counter = TunnelWire.counter(message);
        // The window is only consulted before authenticating: a forged counter must not move it.
        if (s.window.check(counter) != ReplayWindow.Verdict.NEW) {
            return drop(TunnelDrop.REPLAYED);
        }
        byte[] plain = type == TunnelWire.DATA ? plainOut : controlPlain;
        int n = s.receive.open(message, length, plain);
        if (n < 0) {
            return drop(TunnelDrop.AUTH_FAILED);
        }
        s.window.accept(counter);
        if (s == pending) {
            promotePending();
        }
        heardNow();
        switch (type) {
            case TunnelWire.DATA -> {
                dataReceived++;
                return n;
            }
            case TunnelWire.KEEPALIVE -> {
                controlReceived++;
                return n == 0 ? -1 : drop(TunnelDrop.BAD_PAYLOAD);
            }
            default -> {
                controlReceived++;
                onMembershipPart(n);
                return -1;
            }
        }
    }

    /**
     * Seals one inner IPv4 packet and sends it to the peer. False, counted, if it is larger than the inner MTU or
     * there is no session yet.
     */
    public synchronized boolean sendData(byte[] packet, int offset, int length) {
        if (length > params.innerMtu()) {
            drop(TunnelDrop.MTU_EXCEEDED);
            return false;
        }
        if (current == null || stopped) {
            drop(TunnelDrop.NO_SESSION);
            return false;
        }
        if (sealAndSend(TunnelWire.DATA, packet, offset, length)) {
            dataSent++;
            return true;
        }
        return false;
    }

    /** The full membership this side asks the peer for (upstream role); sent now if it changed, and periodically. */
    public synchronized void setMembership(Map<Ip4, Subscription> groups) {
        Map<Ip4, Subscription> copy = Map.copyOf(groups);
        if (copy.equals(localMembership)) {
            return;
        }
        localMembership = copy;
        localGeneration++;
        sendMembership();
    }

    /** The membership the peer asks for, as last received in full (empty while it is down). */
    public synchronized Map<Ip4, Subscription> remoteMembership() {
        return remoteMembership;
    }

    public synchronized TunnelStatus.PeerState state() {
        return state;
    }

    public synchronized long drops(TunnelDrop reason) {
        return drops[reason.ordinal()];
    }

    public synchronized TunnelStatus status() {
        long now = scheduler.nanoTime();
        Map<TunnelDrop, Long> byReason = new EnumMap<>(TunnelDrop.class);
        for (TunnelDrop reason : TunnelDrop.VALUES) {
            if (drops[reason.ordinal()] != 0) {
                byReason.put(reason, drops[reason.ordinal()]);
            }
        }
        return new TunnelStatus(params.name(), params.peer() + ":" + params.peerPort(),
                params.downstream() ? "downstream" : "upstream", state, Duration.ofNanos(now - stateSinceNanos),
                heard ? Optional.of(Duration.ofNanos(now - lastHeardNanos)) : Optional.empty(),
                current == null ? Optional.empty() : Optional.of(Duration.ofNanos(now - current.createdNanos)),
                handshakes, params.downstream() ? remoteMembership.size() : localMembership.size(), dataSent,
                dataReceived, controlSent, controlReceived, sendErrors, byReason, params.innerMtu());
    }

    // --- handshake --------------------------------------------------------------------------------------------

    private int onInit(int n) {
        if (n != KeySchedule.NONCE_LENGTH + 8) {
            return drop(TunnelDrop.BAD_PAYLOAD);
        }
        long sentAt = TunnelWire.getLong(controlPlain, KeySchedule.NONCE_LENGTH);
        // A replayed INIT is authentic: only a newer one may start a session, so that it can neither replace a
        // genuine pending session nor restart one that works. The exception lets a peer whose clock stepped back
        // in in the end: once it has been silent past the dead interval, with nothing pending.
        boolean mayBeOlder = state != TunnelStatus.PeerState.UP && pending == null;
        if (sentAt <= lastPeerInitMillis && !mayBeOlder) {
            return drop(TunnelDrop.STALE_HANDSHAKE);
        }
        lastPeerInitMillis = Math.max(lastPeerInitMillis, sentAt);
        controlReceived++;
        byte[] nonceI = Arrays.copyOf(controlPlain, KeySchedule.NONCE_LENGTH);
        if (outstandingNonce != null && Arrays.compareUnsigned(outstandingNonce, nonceI) > 0) {
            // Both started at once: ours wins, the peer answers it.
            return -1;
        }
        outstandingNonce = null;
        byte[] nonceR = new byte[KeySchedule.NONCE_LENGTH];
        random.fill(nonceR);
        pending = new Session(keys.session(nonceI, nonceR), params.downstream(), scheduler.nanoTime());
        byte[] plain = new byte[2 * KeySchedule.NONCE_LENGTH];
        System.arraycopy(nonceI, 0, plain, 0, KeySchedule.NONCE_LENGTH);
        System.arraycopy(nonceR, 0, plain, KeySchedule.NONCE_LENGTH, KeySchedule.NONCE_LENGTH);
        sendHandshake(TunnelWire.RESPONSE, plain);
        return -1;
    }

    private int onResponse(int n) {
        if (n != 2 * KeySchedule.NONCE_LENGTH) {
            return drop(TunnelDrop.BAD_PAYLOAD);
        }
        if (outstandingNonce == null
                || !Arrays.equals(controlPlain, 0, KeySchedule.NONCE_LENGTH, outstandingNonce, 0,
                        KeySchedule.NONCE_LENGTH)) {
            return drop(TunnelDrop.STALE_HANDSHAKE);
        }
        controlReceived++;
        byte[] nonceR = Arrays.copyOfRange(controlPlain, KeySchedule.NONCE_LENGTH, 2 * KeySchedule.NONCE_LENGTH);
        Session fresh = new Session(keys.session(outstandingNonce, nonceR), params.downstream(),
                scheduler.nanoTime());
        outstandingNonce = null;
        previous = current;
        current = fresh;
        pending = null;
        established();
        // The response echoes our fresh nonce: the peer is alive now.
        heardNow();
        // Proof for the responder, which holds the session as pending until something authenticates under it.
        sendLiveness();
        return -1;
    }

    private void promotePending() {
        previous = current;
        current = pending;
        pending = null;
        established();
        if (!params.downstream()) {
            sendMembership();
        }
    }

    private void established() {
        handshakes++;
        appliedGeneration = -1;
        assemblingGeneration = -1;
        assembling.clear();
    }

    private Session find(int id) {
        if (current != null && current.id == id) {
            return current;
        }
        if (pending != null && pending.id == id) {
            return pending;
        }
        if (previous != null && previous.id == id) {
            return previous;
        }
        return null;
    }

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
        int n = handshakeSend.seal(type, 0, TunnelWire.getLong(counter, 0), plain, 0, plain.length, sendBuffer);
        transmit(n);
        controlSent++;
    }

    // --- liveness and membership --------------------------------------------------------------------------------

    private void tick() {
        synchronized (this) {
            if (stopped) {
                return;
            }
            long now = scheduler.nanoTime();
            if (state == TunnelStatus.PeerState.UP && now - lastHeardNanos > params.deadInterval().toNanos()) {
                setState(TunnelStatus.PeerState.DOWN, now);
                withdrawRemote();
                listener.peerDown();
            }
            if (current == null || state != TunnelStatus.PeerState.UP) {
                sendInit();
            }
            sendLiveness();
            tick = scheduler.schedule(params.keepalive(), this::tick);
        }
    }

    /** The downstream side sends keepalives; the upstream side its membership, which keeps the peer's view fresh. */
    private void sendLiveness() {
        if (current == null) {
            return;
        }
        if (params.downstream()) {
            if (sealAndSend(TunnelWire.KEEPALIVE, sendBuffer, 0, 0)) {
                controlSent++;
            }
        } else {
            sendMembership();
        }
    }

    private void sendMembership() {
        if (current == null || stopped) {
            return;
        }
        List<byte[]> parts = MembershipCodec.encode(localMembership, localGeneration,
                params.maxMessage() - TunnelWire.OVERHEAD);
        for (byte[] part : parts) {
            if (sealAndSend(TunnelWire.MEMBERSHIP, part, 0, part.length)) {
                controlSent++;
            }
        }
    }

    private void onMembershipPart(int n) {
        MembershipCodec.Part part = MembershipCodec.decode(controlPlain, n);
        if (part == null) {
            drop(TunnelDrop.BAD_PAYLOAD);
            return;
        }
        long g = part.generation();
        if (g <= appliedGeneration || g < assemblingGeneration) {
            return;
        }
        if (g != assemblingGeneration) {
            assemblingGeneration = g;
            assemblingCount = part.count();
            assembling.clear();
        }
        if (part.count() != assemblingCount) {
            drop(TunnelDrop.BAD_PAYLOAD);
            return;
        }
        assembling.put(part.index(), part.groups());
        if (assembling.size() < assemblingCount) {
            return;
        }
        Map<Ip4, Subscription> full = new TreeMap<>();
        assembling.values().forEach(m -> m.forEach((group, s) -> full.merge(group, s, MembershipCodec::unite)));
        appliedGeneration = g;
        assembling.clear();
        Map<Ip4, Subscription> now = Map.copyOf(full);
        if (!now.equals(remoteMembership)) {
            remoteMembership = now;
            listener.membershipChanged(new LinkedHashMap<>(new TreeMap<>(now)));
        }
    }

    private void withdrawRemote() {
        appliedGeneration = -1;
        assemblingGeneration = -1;
        assembling.clear();
        if (!remoteMembership.isEmpty()) {
            remoteMembership = Map.of();
            listener.membershipChanged(Map.of());
        }
    }

    private void heardNow() {
        long now = scheduler.nanoTime();
        lastHeardNanos = now;
        heard = true;
        if (state != TunnelStatus.PeerState.UP) {
            setState(TunnelStatus.PeerState.UP, now);
            listener.peerUp();
        }
    }

    private void setState(TunnelStatus.PeerState next, long now) {
        state = next;
        stateSinceNanos = now;
    }

    private boolean sealAndSend(int type, byte[] payload, int offset, int length) {
        Session s = current;
        int n = s.send.seal(type, s.id, s.nextCounter(), payload, offset, length, sendBuffer);
        return transmit(n);
    }

    private boolean transmit(int n) {
        boolean ok = transmitter.transmit(sendBuffer, n);
        if (!ok) {
            sendErrors++;
        }
        return ok;
    }

    private int drop(TunnelDrop reason) {
        drops[reason.ordinal()]++;
        return -1;
    }
}
