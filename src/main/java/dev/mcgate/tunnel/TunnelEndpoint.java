package dev.mcgate.tunnel;

import dev.mcgate.net.Ip4;
import dev.mcgate.net.IpAddress;
import dev.mcgate.net.Subscription;
import dev.mcgate.time.Scheduler;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * One end of an mcgate tunnel, in two paths. The <b>data path</b> ({@link #sendData}, {@link #receive}) runs on the
 * capture threads and the socket's receive thread: it seals and opens under the {@link Sessions} the loop last
 * published (a volatile read), counts with adders and takes no lock the loop takes. The <b>control path</b>
 * ({@link PeerControl}: handshake, liveness, membership) is the loop's: {@link #start}, {@link #stop},
 * {@link #retune} and {@link #setMembership} are called there, and the control messages the receive thread
 * authenticates are posted to it through the {@link Inbox}, a bounded number at a time.
 *
 * <p><b>Handshake</b> (see {@link KeySchedule}, {@link Handshake}). Either side may start one: at start, every
 * keepalive interval while it has no session or the peer is not up, and to rekey ({@link Session#REKEY_AFTER_NANOS}).
 * INIT carries a fresh ephemeral X25519 key and the sender's wall-clock milliseconds, sealed; RESPONSE the responder's
 * ephemeral key. Session keys come from the pre-shared key and the ephemerals' Diffie-Hellman output, so a capture and
 * the key file together do not reveal them. The receive thread checks a handshake's exact length, the index it
 * answers and its mac1, and rate-limits INITs (cookie replies under load, {@link HandshakeLimiter}) before the loop
 * spends an X25519 on it. The initiator installs the session on the RESPONSE and sends at once under it; the
 * responder keeps it pending, beside the current one, until a message authenticates under it (proof that the
 * initiator holds it). A replayed INIT not newer than the last is dropped while the peer is up, a replayed RESPONSE
 * matches no outstanding index, and old sessions' messages carry unknown session ids. When both sides start at once,
 * the INIT with the larger ephemeral key wins. Sessions older than {@link Session#REJECT_AFTER_NANOS} are refused.
 *
 * <p><b>Liveness.</b> A keepalive (the upstream-role side sends its membership instead) goes out every keepalive
 * interval; the peer is down after the dead interval without an authentic message, and up again on the next one.
 * Going down withdraws the membership learnt from the peer.
 *
 * <p>Threads: {@link #status}, {@link #state}, {@link #drops}, {@link #params} and {@link #remoteMembership} may be
 * called from any thread. The {@link Listener} is called on the loop.
 */
public final class TunnelEndpoint {

    /** Sends one message to the peer; synchronous (the bytes may be reused when it returns) and thread-safe. */
    @FunctionalInterface
    public interface Transmitter {
        boolean transmit(byte[] message, int length);
    }

    /**
     * Secure random octets (the daemon passes SecureRandom): ephemeral keys and indexes on the loop, the cookie secret
     * and cookie nonces on the receive thread, so it must be thread-safe.
     */
    @FunctionalInterface
    public interface RandomBytes {
        void fill(byte[] into);
    }

    /** Queues a named task for the loop without blocking; false if it was refused (the loop's inbox is full). */
    @FunctionalInterface
    public interface Inbox {
        boolean post(String event, Runnable task);
    }

    /** What the endpoint reports, on the loop. */
    public interface Listener {
        void peerUp();

        void peerDown();

        /** The full membership the peer asks for now (empty when the peer went down). */
        void membershipChanged(Map<IpAddress, Subscription> groups);

        /**
         * {@code failures} handshakes from the peer's address failed authentication since the last call: its key
         * differs from ours, or someone forges its address. Called at the first, then at most once a minute.
         */
        default void keyMismatch(long failures) {}
    }

    /** Per thread that sends data: the sealed message, handed to the transmitter before the next one is sealed. */
    private static final ThreadLocal<byte[]> SEALED = ThreadLocal.withInitial(() -> new byte[65536]);

    private final Scheduler scheduler;
    private final Handshake handshake;
    private final HandshakeLimiter limiter;
    /** The key the peer seals its cookie replies with. */
    private final byte[] peerCookieKey;
    /** The receive thread's buffer for cookie replies. */
    private final byte[] cookieReply = new byte[TunnelWire.COOKIE_LENGTH];

    private final int[] cookieReplyLength = new int[1];
    private final TunnelCounters counters = new TunnelCounters();
    private final PeerControl control;
    private final ControlInbox inbox;
    private final Transmitter transmitter;
    /** Set while a "heard" event is on its way to the loop, so that a burst of datagrams posts one. */
    private final AtomicBoolean heardPosted = new AtomicBoolean();
    /** Set while a "new session confirmed" event is on its way, so that a burst of data posts one. */
    private final AtomicBoolean retirePosted = new AtomicBoolean();

    private final String initEvent;
    private final String responseEvent;
    private final String confirmedEvent;
    private final String membershipEvent;
    private final String heardEvent;
    private final String retireEvent;
    private final String keyMismatchEvent;

    /**
     * @param scheduler the loop's timers and clock ({@link #start}, {@link #stop}, {@link #retune} and
     *                  {@link #setMembership} are called on its thread)
     * @param inbox     where the receive thread posts the control messages it authenticated
     */
    public TunnelEndpoint(
            TunnelParams params,
            byte[] psk,
            Scheduler scheduler,
            Inbox inbox,
            LongSupplier wallMillis,
            RandomBytes random,
            Transmitter transmitter,
            Listener listener) {
        KeySchedule keys = new KeySchedule(psk, params.name());
        this.scheduler = scheduler;
        this.handshake = new Handshake(keys, params.downstream());
        this.limiter = new HandshakeLimiter(keys, params.downstream(), params, random, scheduler.nanoTime());
        this.peerCookieKey = keys.cookieKey(!params.downstream());
        this.transmitter = transmitter;
        this.control =
                new PeerControl(params, handshake, scheduler, wallMillis, random, transmitter, listener, counters);
        this.inbox = new ControlInbox(inbox);
        String name = "tunnel " + params.name() + ": ";
        this.initEvent = name + "INIT received";
        this.responseEvent = name + "RESPONSE received";
        this.confirmedEvent = name + "pending session confirmed";
        this.membershipEvent = name + "MEMBERSHIP received";
        this.heardEvent = name + "peer heard";
        this.retireEvent = name + "new session confirmed";
        this.keyMismatchEvent = name + "handshake failed authentication";
    }

    public TunnelParams params() {
        return control.params();
    }

    /** Tests: the control path, to reach the sessions. */
    PeerControl control() {
        return control;
    }

    /**
     * New timing and path MTU under the running session (a reload). None of them is part of the session: the keys,
     * counters and replay windows stay, so nothing in flight is lost. A shorter keepalive takes effect at once (the
     * pending tick is rescheduled), a longer one from the next tick; the dead interval is checked against the peer's
     * last message at the next tick; a new MTU applies to the next message sent or received. On the loop.
     *
     * @throws IllegalArgumentException if the values are not valid together (as {@link TunnelParams} checks)
     */
    public void retune(Duration keepalive, Duration deadInterval, int pathMtu) {
        control.retune(keepalive, deadInterval, pathMtu);
    }

    /** Sends the first INIT and starts the keepalive timer. On the loop. */
    public void start() {
        control.start();
    }

    /** Stops the timer; nothing is sent or received any more. Idempotent. On the loop. */
    public void stop() {
        control.stop();
    }

    /** The full membership this side asks the peer for (upstream role); sent now if it changed, and periodically. */
    public void setMembership(Map<? extends IpAddress, Subscription> groups) {
        control.setMembership(groups);
    }

    // --- the data path ----------------------------------------------------------------------------------------------

    /**
     * One UDP datagram from {@code from}:{@code fromPort}, on the receive thread. Returns the length of the inner IP
     * packet written to {@code plainOut} (at offset 0; it must hold at least {@code length} octets) for an authentic,
     * new DATA message; -1 for everything else (drops are counted by reason). Authentic control messages are posted
     * to the loop; a forged one is dropped here and costs the loop nothing.
     */
    public int receive(byte[] message, int length, Ip4 from, int fromPort, byte[] plainOut) {
        if (control.stopped()) {
            return -1;
        }
        TunnelParams params = control.params();
        if (!from.equals(params.peer()) || fromPort != params.peerPort()) {
            return counters.drop(TunnelDrop.WRONG_PEER);
        }
        if (length < TunnelWire.OVERHEAD) {
            return counters.drop(TunnelDrop.TRUNCATED);
        }
        if (length > params.maxMessage()) {
            return counters.drop(TunnelDrop.OVERSIZED);
        }
        if (message[1] != TunnelWire.VERSION || message[2] != 0 || message[3] != 0) {
            return counters.drop(TunnelDrop.BAD_HEADER);
        }
        int type = TunnelWire.type(message);
        int id = TunnelWire.sessionId(message);
        int handshakeLength = TunnelWire.handshakeLength(type);
        if (handshakeLength > 0) {
            if (id != 0) {
                return counters.drop(TunnelDrop.BAD_HEADER);
            }
            return length != handshakeLength
                    ? counters.drop(TunnelDrop.BAD_LENGTH)
                    : receiveHandshake(type, message, length);
        }
        if (type != TunnelWire.DATA
                && type != TunnelWire.KEEPALIVE
                && type != TunnelWire.MEMBERSHIP
                && type != TunnelWire.MEMBERSHIP6) {
            return counters.drop(TunnelDrop.BAD_HEADER);
        }
        if (type == TunnelWire.KEEPALIVE && length != TunnelWire.OVERHEAD) {
            return counters.drop(TunnelDrop.BAD_LENGTH);
        }
        Sessions sessions = control.sessions();
        Session s = sessions.find(id);
        if (s == null) {
            return counters.drop(TunnelDrop.UNKNOWN_SESSION);
        }
        long now = scheduler.nanoTime();
        if (!s.usableAt(now)) {
            return counters.drop(TunnelDrop.EXPIRED_SESSION);
        }
        long counter = TunnelWire.counter(message);
        // The window is only consulted before authenticating: a forged counter must not move it.
        if (s.window.check(counter) != ReplayWindow.Verdict.NEW) {
            return counters.drop(TunnelDrop.REPLAYED);
        }
        int n = s.receive.open(message, length, plainOut);
        if (n < 0) {
            return counters.drop(TunnelDrop.AUTH_FAILED);
        }
        if (!s.window.accept(counter)) {
            return counters.drop(TunnelDrop.REPLAYED);
        }
        if (s == sessions.pending()) {
            post(confirmedEvent, () -> control.onConfirmed(s));
        } else if (s == sessions.current() && sessions.previous() != null && retirePosted.compareAndSet(false, true)) {
            if (!post(retireEvent, () -> {
                retirePosted.set(false);
                control.onCurrentConfirmed(s);
            })) {
                retirePosted.set(false);
            }
        }
        heard(now);
        switch (type) {
            case TunnelWire.DATA -> {
                counters.dataReceived.increment();
                return n;
            }
            case TunnelWire.KEEPALIVE -> {
                counters.controlReceived.increment();
                return -1;
            }
            default -> {
                counters.controlReceived.increment();
                byte[] part = Arrays.copyOf(plainOut, n);
                post(membershipEvent, () -> control.onMembershipPart(type, part));
                return -1;
            }
        }
    }

    /**
     * INIT, RESPONSE or COOKIE of its exact length. Here only cheap checks run (the index of the INIT answered, mac1
     * as one HMAC, the rate limit); the Diffie-Hellman and AEAD work of INIT and RESPONSE is the loop's, and a COOKIE
     * is opened here (one AES-GCM, only if it answers our outstanding INIT's random index).
     */
    private int receiveHandshake(int type, byte[] message, int length) {
        if (type != TunnelWire.INIT) {
            Handshake.Initiation ours = control.outstanding();
            if (ours == null || TunnelWire.counter(message) != ours.index()) {
                return counters.drop(TunnelDrop.STALE_HANDSHAKE);
            }
            if (type == TunnelWire.COOKIE) {
                byte[] value = HandshakeLimiter.openCookie(peerCookieKey, message, ours.mac1());
                if (value == null) {
                    return counters.drop(TunnelDrop.AUTH_FAILED);
                }
                counters.controlReceived.increment();
                control.cookieReceived(value, scheduler.nanoTime());
                return -1;
            }
        }
        if (!handshake.mac1Valid(message, length)) {
            counters.drop(TunnelDrop.AUTH_FAILED);
            if (control.keyMismatch()) {
                post(keyMismatchEvent, control::onKeyMismatch);
            }
            return -1;
        }
        if (type == TunnelWire.INIT) {
            switch (limiter.admit(message, scheduler.nanoTime(), cookieReply, cookieReplyLength)) {
                case COOKIE_REQUIRED -> {
                    if (cookieReplyLength[0] > 0) {
                        if (transmitter.transmit(cookieReply, cookieReplyLength[0])) {
                            counters.controlSent.increment();
                        } else {
                            counters.sendErrors.increment();
                        }
                    }
                    return counters.drop(TunnelDrop.COOKIE_REQUIRED);
                }
                case RATE_LIMITED -> {
                    return counters.drop(TunnelDrop.HANDSHAKE_RATE);
                }
                default -> {
                    // handed to the loop below
                }
            }
        }
        byte[] copy = Arrays.copyOf(message, length);
        if (type == TunnelWire.INIT) {
            post(initEvent, () -> control.onInit(copy));
        } else {
            post(responseEvent, () -> control.onResponse(copy));
        }
        return -1;
    }

    /** The peer was heard now; if the loop does not see it up, it is told, once per burst. */
    private void heard(long now) {
        control.heardAt(now);
        if (control.view().state() != TunnelStatus.PeerState.UP && heardPosted.compareAndSet(false, true)) {
            if (!post(heardEvent, () -> {
                heardPosted.set(false);
                control.onHeard();
            })) {
                heardPosted.set(false);
            }
        }
    }

    private boolean post(String event, Runnable task) {
        if (inbox.offer(event, task)) {
            return true;
        }
        counters.drop(TunnelDrop.CONTROL_BACKLOG);
        return false;
    }

    /**
     * Seals one inner IP packet (IPv4 or IPv6) and sends it to the peer, on the calling (capture) thread. False, counted, if it is
     * larger than the inner MTU or there is no session yet.
     */
    public boolean sendData(byte[] packet, int offset, int length) {
        if (length > control.params().innerMtu()) {
            counters.drop(TunnelDrop.MTU_EXCEEDED);
            return false;
        }
        Session s = control.sessions().current();
        long counter = s == null ? 0 : s.nextCounter();
        if (s == null || counter >= Session.REJECT_AFTER_MESSAGES || !s.usableAt(scheduler.nanoTime())) {
            counters.drop(TunnelDrop.NO_SESSION);
            return false;
        }
        byte[] sealed = SEALED.get();
        int n = s.send.seal(TunnelWire.DATA, s.id, counter, packet, offset, length, sealed);
        if (!transmitter.transmit(sealed, n)) {
            counters.sendErrors.increment();
            return false;
        }
        counters.dataSent.increment();
        return true;
    }

    // --- any thread -------------------------------------------------------------------------------------------------

    /** The membership the peer asks for, as last received in full (empty while it is down). */
    public Map<IpAddress, Subscription> remoteMembership() {
        return control.view().remote();
    }

    public TunnelStatus.PeerState state() {
        return control.view().state();
    }

    public long drops(TunnelDrop reason) {
        return counters.drops(reason);
    }

    /** Counts {@code n} messages lost outside the endpoint (its socket's receive path); any thread. */
    public void countDrops(TunnelDrop reason, long n) {
        counters.add(reason, n);
    }

    public TunnelStatus status() {
        long now = scheduler.nanoTime();
        TunnelParams params = control.params();
        PeerControl.View view = control.view();
        Session current = control.sessions().current();
        long heard = control.lastHeardNanos();
        return new TunnelStatus(
                params.name(),
                params.peer() + ":" + params.peerPort(),
                params.downstream() ? "downstream" : "upstream",
                view.state(),
                Duration.ofNanos(now - view.stateSinceNanos()),
                heard == PeerControl.NEVER ? Optional.empty() : Optional.of(Duration.ofNanos(now - heard)),
                current == null ? Optional.empty() : Optional.of(Duration.ofNanos(now - current.createdNanos)),
                view.handshakes(),
                view.groups(),
                counters.dataSent.sum(),
                counters.dataReceived.sum(),
                counters.controlSent.sum(),
                counters.controlReceived.sum(),
                counters.sendErrors.sum(),
                counters.dropsByReason(),
                params.innerMtu());
    }
}
