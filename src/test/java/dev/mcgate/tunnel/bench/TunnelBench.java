package dev.mcgate.tunnel.bench;

import dev.mcgate.net.Ip4;
import dev.mcgate.net.Subscription;
import dev.mcgate.time.ManualScheduler;
import dev.mcgate.tunnel.TunnelEndpoint;
import dev.mcgate.tunnel.TunnelParams;
import dev.mcgate.tunnel.TunnelStatus;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The mcgate tunnel's cost per datagram without I/O: gateway A seals an inner IPv4 packet (AES-256-GCM, header as
 * nonce), gateway B authenticates, checks the replay window and opens it. 64-octet and 1316-octet UDP payloads.
 * {@code seal} is A's side alone; {@code sealAndOpen} is both ends, what one forwarded datagram costs the pair.
 *
 * <p>Run: {@code bench/jmh TunnelBench}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(2)
public class TunnelBench {

    private static final Ip4 A = Ip4.parse("198.18.0.1");
    private static final Ip4 B = Ip4.parse("198.18.0.2");
    private static final int PORT = 7400;

    @Param({"64", "1316"})
    public int payload;

    private final ManualScheduler scheduler = new ManualScheduler();
    private final Deque<byte[]> toA = new ArrayDeque<>();
    private final Deque<byte[]> toB = new ArrayDeque<>();
    private final byte[] wire = new byte[2048];
    private final byte[] plain = new byte[65536];
    private int wireLength;
    private boolean handshaking = true;
    private TunnelEndpoint a;
    private TunnelEndpoint b;
    private byte[] packet;

    private static final TunnelEndpoint.Listener QUIET = new TunnelEndpoint.Listener() {
        @Override
        public void peerUp() {}

        @Override
        public void peerDown() {}

        @Override
        public void membershipChanged(Map<dev.mcgate.net.IpAddress, Subscription> groups) {}
    };

    @Setup
    public void setUp() {
        byte[] psk = new byte[32];
        new SplittableRandom(7).nextBytes(psk);
        SplittableRandom random = new SplittableRandom(42);
        a = new TunnelEndpoint(
                new TunnelParams("ab", A, PORT, B, PORT, true, Duration.ofSeconds(1), Duration.ofSeconds(5), 1500),
                psk,
                scheduler,
                this::post,
                () -> 1_700_000_000_000L,
                random::nextBytes,
                (m, n) -> transmit(toB, m, n),
                QUIET);
        b = new TunnelEndpoint(
                new TunnelParams("ab", B, PORT, A, PORT, false, Duration.ofSeconds(1), Duration.ofSeconds(5), 1500),
                psk,
                scheduler,
                this::post,
                () -> 1_700_000_000_000L,
                random::nextBytes,
                (m, n) -> transmit(toA, m, n),
                QUIET);
        a.start();
        b.start();
        for (int i = 0; i < 20 && !(toA.isEmpty() && toB.isEmpty()); i++) {
            while (!toB.isEmpty()) {
                byte[] m = toB.poll();
                b.receive(m, m.length, A, PORT, plain);
            }
            while (!toA.isEmpty()) {
                byte[] m = toA.poll();
                a.receive(m, m.length, B, PORT, plain);
            }
            scheduler.runDue();
        }
        if (a.state() != TunnelStatus.PeerState.UP || b.state() != TunnelStatus.PeerState.UP) {
            throw new IllegalStateException("the handshake did not complete: " + a.state() + ", " + b.state());
        }
        handshaking = false;
        packet = new byte[20 + 8 + payload];
        packet[0] = 0x45;
        packet[8] = 32;
        packet[9] = 17;
    }

    /** The scheduler is the loop: control messages run at its next turn. */
    private boolean post(String event, Runnable task) {
        scheduler.schedule(Duration.ZERO, task);
        return true;
    }

    private boolean transmit(Deque<byte[]> queue, byte[] message, int length) {
        if (handshaking) {
            queue.add(Arrays.copyOf(message, length));
        } else {
            System.arraycopy(message, 0, wire, 0, length);
            wireLength = length;
        }
        return true;
    }

    @Benchmark
    public int seal() {
        a.sendData(packet, 0, packet.length);
        return wireLength;
    }

    @Benchmark
    public int sealAndOpen() {
        a.sendData(packet, 0, packet.length);
        int n = b.receive(wire, wireLength, A, PORT, plain);
        if (n != packet.length) {
            throw new IllegalStateException("opened " + n + " octets of " + packet.length);
        }
        return n;
    }
}
