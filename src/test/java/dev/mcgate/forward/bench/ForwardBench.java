package dev.mcgate.forward.bench;

import dev.mcgate.config.InterfaceDefaults;
import dev.mcgate.config.Role;
import dev.mcgate.forward.Forwarder;
import dev.mcgate.forward.ForwardingTableBuilder;
import dev.mcgate.forward.InterfaceSpec;
import dev.mcgate.io.InterfacePort;
import dev.mcgate.io.NetInterface;
import dev.mcgate.io.PortCounters;
import dev.mcgate.net.Ip4;
import dev.mcgate.net.Ip4Prefix;
import dev.mcgate.net.MacAddress;
import dev.mcgate.net.Subscription;
import dev.mcgate.packet.InternetChecksum;
import dev.mcgate.packet.LinkType;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The forwarder's cost per packet without I/O: table lookup (flow cache hit), checks, duplicate guard, TTL rewrite and
 * the per-egress MAC rewrite, into ports that only count. 228-octet IP packets (200 octets of UDP payload), a table of
 * 1000 groups. Each operation first copies the frame into the capture buffer, as a capture would (~10 ns).
 *
 * <p>Run (from the project root):
 * <pre>
 * mvn -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) dev.mcgate.forward.bench.ForwardBench
 * </pre>
 * With arguments they go to JMH's own command line.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(2)
public class ForwardBench {

    private static final int FRAMES = 64;
    private static final Ip4 SOURCE = Ip4.parse("192.0.2.10");

    private long now = 1_000_000_000L;
    private Forwarder forwarder;
    private CountingPort up0;
    private byte[][] wanted;
    private byte[][] unwanted;
    private final byte[] work = new byte[2048];
    private int next;

    /** A port that only counts what it is asked to send. */
    static final class CountingPort implements InterfacePort {
        private final NetInterface nif;
        long sent;

        CountingPort(NetInterface nif) {
            this.nif = nif;
        }

        @Override
        public NetInterface netInterface() {
            return nif;
        }

        @Override
        public LinkType linkType() {
            return LinkType.ETHERNET;
        }

        @Override
        public boolean send(byte[] frame, int length) {
            sent += frame[length - 1];
            return true;
        }

        @Override
        public PortCounters counters() {
            return new PortCounters(0, sent, 0, 0);
        }

        @Override
        public void close() {}
    }

    @Setup
    public void setUp() {
        NetInterface up = nif("up0", 1, "192.0.2.1");
        NetInterface d1 = nif("down1", 2, "198.51.100.1");
        NetInterface d2 = nif("down2", 3, "203.0.113.1");
        forwarder = new Forwarder(() -> now);
        up0 = new CountingPort(up);
        forwarder.attach(up0);
        forwarder.attach(new CountingPort(d1));
        forwarder.attach(new CountingPort(d2));
        Map<Ip4, Subscription> groups = new HashMap<>();
        for (int i = 0; i < 1000; i++) {
            groups.put(Ip4.of(239, 1, i >> 8, i & 0xff), Subscription.ANY_SOURCE);
        }
        InterfaceDefaults d = InterfaceDefaults.BUILT_IN;
        forwarder.publish(new ForwardingTableBuilder()
                .add(InterfaceSpec.of(up, d.forInterface("up0", Role.UPSTREAM)))
                .add(InterfaceSpec.of(d1, d.forInterface("down1", Role.DOWNSTREAM)))
                .add(InterfaceSpec.of(d2, d.forInterface("down2", Role.DOWNSTREAM)))
                .membership("down1", groups)
                .membership("down2", groups)
                .build());
        wanted = new byte[FRAMES][];
        unwanted = new byte[FRAMES][];
        for (int i = 0; i < FRAMES; i++) {
            wanted[i] = frame(Ip4.of(239, 1, 0, 7), i);
            unwanted[i] = frame(Ip4.of(239, 200, 0, 7), i);
        }
    }

    /** One packet in, two copies out. */
    @Benchmark
    public void forwardToTwoDownstreams() {
        arrive(wanted);
    }

    /** One packet in that nobody wants: the cost of upstream traffic we must look at and drop. */
    @Benchmark
    public void dropUnwanted() {
        arrive(unwanted);
    }

    private void arrive(byte[][] frames) {
        byte[] frame = frames[next++ & (FRAMES - 1)];
        System.arraycopy(frame, 0, work, 0, frame.length);
        // 100 µs apart: a frame comes round again after 6.4 ms, outside the duplicate window.
        now += 100_000L;
        forwarder.onFrame(up0, work, frame.length);
    }

    private static NetInterface nif(String name, int index, String address) {
        Ip4 a = Ip4.parse(address);
        return new NetInterface(
                name,
                index,
                Optional.of(new MacAddress(0x020000000000L + index)),
                List.of(new NetInterface.InterfaceAddress(a, Ip4Prefix.containing(a, 24))),
                1500,
                new NetInterface.Flags(true, true, true, false, false));
    }

    private static byte[] frame(Ip4 group, int seed) {
        int payload = 200;
        ByteBuffer b = ByteBuffer.allocate(14 + 28 + payload);
        MacAddress.forGroup(group).writeTo(b.array(), 0);
        b.position(6);
        b.put(new byte[] {0x0a, 0, 0, 0, 0, 0x0a}).putShort((short) 0x0800);
        b.put((byte) 0x45)
                .put((byte) 0)
                .putShort((short) (28 + payload))
                .putShort((short) 0)
                .putShort((short) 0x4000)
                .put((byte) 64)
                .put((byte) 17)
                .putShort((short) 0)
                .putInt(SOURCE.bits())
                .putInt(group.bits());
        b.putShort((short) 40000)
                .putShort((short) 5000)
                .putShort((short) (8 + payload))
                .putShort((short) 0);
        for (int i = 0; i < payload; i++) {
            b.put((byte) (seed * 31 + i));
        }
        InternetChecksum.fill(b.array(), 14, 20, 24);
        return b.array();
    }

    public static void main(String[] args) throws RunnerException, java.io.IOException {
        if (args.length > 0) {
            org.openjdk.jmh.Main.main(args);
            return;
        }
        Options options = new OptionsBuilder()
                .include(ForwardBench.class.getName() + ".*")
                .forks(2)
                .warmupIterations(3)
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(3)
                .measurementTime(TimeValue.seconds(1))
                .addProfiler(GCProfiler.class)
                .build();
        new Runner(options).run();
    }
}
