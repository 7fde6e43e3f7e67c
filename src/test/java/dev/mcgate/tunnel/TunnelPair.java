package dev.mcgate.tunnel;

import dev.mcgate.net.Ip4;
import dev.mcgate.net.IpAddress;
import dev.mcgate.net.Subscription;
import dev.mcgate.time.ManualScheduler;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;

/**
 * Two tunnel ends on one {@link ManualScheduler}, with a wire the test controls: messages queue per direction and
 * are delivered by {@link #deliver()} (so a test can drop, copy, replay or alter them first). The scheduler is the
 * loop: what the ends post runs when it runs ({@link #inject} runs it after each message unless {@link #loopBusy}).
 */
final class TunnelPair {

    static final Ip4 A_ADDRESS = Ip4.parse("192.0.2.1");
    static final Ip4 B_ADDRESS = Ip4.parse("198.51.100.1");
    static final int PORT = 4789;
    static final String NAME = "tun-ab";
    static final Duration KEEPALIVE = Duration.ofSeconds(1);
    static final Duration DEAD = Duration.ofSeconds(5);
    static final int PATH_MTU = 1400;

    /** One end and what it told its listener. */
    static final class End implements TunnelEndpoint.Listener {
        final String name;
        TunnelEndpoint endpoint;
        final Deque<byte[]> outbox = new ArrayDeque<>();
        final List<byte[]> sentLog = new ArrayList<>();
        final List<Map<IpAddress, Subscription>> memberships = new ArrayList<>();
        final List<byte[]> delivered = new ArrayList<>();
        final List<Long> keyMismatches = new ArrayList<>();
        int ups;
        int downs;
        /** If set, {@link #membershipChanged} waits for it: the loop stuck inside the endpoint's own listener. */
        volatile CountDownLatch hold;

        final CountDownLatch inListener = new CountDownLatch(1);

        End(String name) {
            this.name = name;
        }

        boolean transmit(byte[] message, int length) {
            byte[] copy = Arrays.copyOf(message, length);
            outbox.add(copy);
            sentLog.add(copy);
            return true;
        }

        @Override
        public void peerUp() {
            ups++;
        }

        @Override
        public void peerDown() {
            downs++;
        }

        @Override
        public void keyMismatch(long failures) {
            keyMismatches.add(failures);
        }

        @Override
        public void membershipChanged(Map<IpAddress, Subscription> groups) {
            memberships.add(groups);
            CountDownLatch h = hold;
            if (h != null) {
                inListener.countDown();
                try {
                    h.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        Map<IpAddress, Subscription> lastMembership() {
            return memberships.isEmpty() ? Map.of() : memberships.get(memberships.size() - 1);
        }
    }

    final ManualScheduler scheduler = new ManualScheduler();
    /** The names of the events the ends posted, in order. */
    final List<String> posted = new ArrayList<>();
    /** While true, posted events wait (the loop is busy elsewhere): {@link #inject} does not run them. */
    boolean loopBusy;
    /** Where the ends post from now on, if not the hand-run scheduler (a real loop thread). */
    volatile TunnelEndpoint.Inbox elsewhere;

    final byte[] psk;
    final End a = new End("A");
    final End b = new End("B");
    private final SplittableRandom random = new SplittableRandom(42);
    long wallMillis = 1_700_000_000_000L;

    TunnelPair() {
        psk = new byte[KeySchedule.PSK_LENGTH];
        for (int i = 0; i < psk.length; i++) {
            psk[i] = (byte) (i * 7 + 1);
        }
        a.endpoint = newEnd(a, true, psk);
        b.endpoint = newEnd(b, false, psk);
    }

    TunnelEndpoint newEnd(End end, boolean downstream, byte[] key) {
        Ip4 peer = downstream ? B_ADDRESS : A_ADDRESS;
        Ip4 local = downstream ? A_ADDRESS : B_ADDRESS;
        // Both ends are one tunnel: its name is bound into the handshake and must agree.
        TunnelParams params = new TunnelParams(NAME, local, PORT, peer, PORT, downstream, KEEPALIVE, DEAD, PATH_MTU);
        return new TunnelEndpoint(
                params,
                key,
                scheduler,
                this::post,
                () -> wallMillis,
                into -> {
                    for (int i = 0; i < into.length; i++) {
                        into[i] = (byte) random.nextInt(256);
                    }
                },
                end::transmit,
                end);
    }

    private boolean post(String event, Runnable task) {
        TunnelEndpoint.Inbox other = elsewhere;
        if (other != null) {
            return other.post(event, task);
        }
        posted.add(event);
        scheduler.schedule(Duration.ZERO, task);
        return true;
    }

    /** Advances time by {@code by} in 100 ms steps, delivering only what {@code keep} lets through. */
    void run(Duration by, java.util.function.Predicate<byte[]> keep) {
        long steps = by.toMillis() / 100;
        for (long i = 0; i < steps; i++) {
            scheduler.advance(Duration.ofMillis(100));
            wallMillis += 100;
            for (int rounds = 0; rounds < 100 && (!a.outbox.isEmpty() || !b.outbox.isEmpty()); rounds++) {
                deliverOnly(a, b, A_ADDRESS, keep);
                deliverOnly(b, a, B_ADDRESS, keep);
            }
        }
    }

    private void deliverOnly(End from, End to, Ip4 fromAddress, java.util.function.Predicate<byte[]> keep) {
        while (!from.outbox.isEmpty()) {
            byte[] m = from.outbox.poll();
            if (keep.test(m)) {
                inject(to, m, fromAddress, PORT);
            }
        }
    }

    /** Restarts one end: a new endpoint with nothing of the old one, as a restarted daemon. */
    void restart(End end) {
        end.endpoint.stop();
        end.outbox.clear();
        // A restart takes a moment of wall-clock time: the new INIT is newer than the old one.
        wallMillis += 1000;
        end.endpoint = newEnd(end, end == a, psk);
        end.endpoint.start();
    }

    void start() {
        a.endpoint.start();
        b.endpoint.start();
        deliver();
    }

    /** Delivers everything queued, both ways, until nothing more is sent. */
    void deliver() {
        for (int rounds = 0; rounds < 100 && (!a.outbox.isEmpty() || !b.outbox.isEmpty()); rounds++) {
            deliverOne(a, b, A_ADDRESS);
            deliverOne(b, a, B_ADDRESS);
        }
    }

    /** Drops everything queued. */
    void lose() {
        a.outbox.clear();
        b.outbox.clear();
    }

    private void deliverOne(End from, End to, Ip4 fromAddress) {
        while (!from.outbox.isEmpty()) {
            byte[] m = from.outbox.poll();
            inject(to, m, fromAddress, PORT);
        }
    }

    /** Hands a message to an end as if it came from {@code address}:{@code port}; returns the endpoint's answer. */
    int inject(End to, byte[] message, Ip4 address, int port) {
        byte[] plain = new byte[65536];
        int n = to.endpoint.receive(message.clone(), message.length, address, port, plain);
        if (n >= 0) {
            to.delivered.add(Arrays.copyOf(plain, n));
        }
        if (!loopBusy) {
            scheduler.runDue();
        }
        return n;
    }

    /** Advances time by {@code by} in keepalive steps, delivering the wire after each. */
    void run(Duration by) {
        long steps = by.toMillis() / 100;
        for (long i = 0; i < steps; i++) {
            scheduler.advance(Duration.ofMillis(100));
            wallMillis += 100;
            deliver();
        }
    }

    static int type(byte[] message) {
        return message[0] & 0xff;
    }
}
