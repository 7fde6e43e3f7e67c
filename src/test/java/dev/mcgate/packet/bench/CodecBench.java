package dev.mcgate.packet.bench;

import dev.mcgate.net.Ip4;
import dev.mcgate.net.MacAddress;
import dev.mcgate.packet.DataFrameView;
import dev.mcgate.packet.EthernetHeader;
import dev.mcgate.packet.GroupRecord;
import dev.mcgate.packet.IgmpEncoder;
import dev.mcgate.packet.IgmpFrame;
import dev.mcgate.packet.IgmpMessage;
import dev.mcgate.packet.IgmpMessageDecoder;
import dev.mcgate.packet.IgmpMessageEncoder;
import dev.mcgate.packet.Ipv4Header;
import dev.mcgate.packet.LinkType;
import dev.mcgate.packet.MalformedPacketException;
import dev.mcgate.packet.RecordType;
import dev.mcgate.packet.V3MembershipReport;
import java.util.ArrayList;
import java.util.List;
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
 * Codec micro-benchmarks: decoding a 10-record v3 report (control path) and the flyweight read + rewrite of a data frame
 * (forwarding path, which must not allocate).
 *
 * <p>Run (from the project root):
 * <pre>
 * mvn -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) dev.mcgate.packet.bench.CodecBench
 * </pre>
 * With no arguments it runs 2 forks x 3 iterations of 1 s with the GC profiler (see gc.alloc.rate.norm for B/op);
 * with arguments it hands them to JMH's own command line (e.g. {@code -h}, {@code -prof gc -f 1 decode}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(2)
public class CodecBench {

    private byte[] report;
    private byte[] reportFrame;
    private byte[] dataFrame;
    private final DataFrameView view = new DataFrameView();
    private final MacAddress routerMac = MacAddress.parse("02:00:00:00:00:77");
    private int originalTtlWord;
    private int originalChecksum;

    @Setup
    public void setUp() {
        List<GroupRecord> records = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            List<Ip4> sources = new ArrayList<>();
            for (int s = 0; s < 4; s++) {
                sources.add(Ip4.of(10, 0, i, s + 1));
            }
            records.add(new GroupRecord(RecordType.values()[i % 6], Ip4.of(239, 1, 0, i), sources));
        }
        V3MembershipReport message = new V3MembershipReport(records);
        report = IgmpMessageEncoder.encode(message);
        reportFrame = IgmpEncoder.ethernetFrame(MacAddress.parse("02:00:00:00:00:02"), Ip4.parse("10.0.0.2"), message);
        dataFrame = udpFrame(64, 1316);
        view.wrap(dataFrame, dataFrame.length, LinkType.ETHERNET);
        int ip = view.ipOffset();
        originalTtlWord = ((dataFrame[ip + 8] & 0xff) << 8) | (dataFrame[ip + 9] & 0xff);
        originalChecksum = view.headerChecksum();
    }

    /** A multicast UDP frame like an IPTV stream's: 7 x 188 octets of payload, TTL 64. */
    private static byte[] udpFrame(int ttl, int payload) {
        Ipv4Header ip = new Ipv4Header(
                0,
                20 + 8 + payload,
                1,
                Ipv4Header.DONT_FRAGMENT,
                ttl,
                17,
                Ip4.parse("10.1.1.1"),
                Ip4.parse("232.1.1.1"),
                List.of());
        EthernetHeader ethernet = EthernetHeader.untagged(
                MacAddress.forGroup(ip.destination()),
                MacAddress.parse("02:00:00:00:00:09"),
                EthernetHeader.ETHERTYPE_IPV4);
        byte[] frame = new byte[ethernet.length() + ip.totalLength()];
        ethernet.writeTo(frame, 0);
        ip.writeTo(frame, ethernet.length());
        return frame;
    }

    @Benchmark
    public IgmpMessage decodeV3Report10Records() throws MalformedPacketException {
        return IgmpMessageDecoder.decode(report, 0, report.length);
    }

    @Benchmark
    public IgmpFrame decodeV3Report10RecordsFrame() throws MalformedPacketException {
        return IgmpFrame.decode(reportFrame, reportFrame.length, LinkType.ETHERNET);
    }

    /** What the forwarding path does per egress copy: validate, read the flow key and TTL, rewrite MAC, TTL and checksum. */
    @Benchmark
    public int flyweightReadAndRewrite() {
        DataFrameView v = view.wrap(dataFrame, dataFrame.length, LinkType.ETHERNET);
        if (!v.isValid()) {
            return -1;
        }
        int key = v.sourceBits() ^ v.destinationBits() ^ v.protocol() ^ v.totalLength();
        if (v.ttl() > 1) {
            v.setSourceMac(routerMac);
            v.decrementTtl();
        }
        // Put TTL and checksum back so that every invocation sees the same frame.
        int ip = v.ipOffset();
        dataFrame[ip + 8] = (byte) (originalTtlWord >>> 8);
        dataFrame[ip + 10] = (byte) (originalChecksum >>> 8);
        dataFrame[ip + 11] = (byte) originalChecksum;
        return key;
    }

    public static void main(String[] args) throws RunnerException, java.io.IOException {
        if (args.length > 0) {
            org.openjdk.jmh.Main.main(args);
            return;
        }
        Options options = new OptionsBuilder()
                .include(CodecBench.class.getName() + ".*")
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
