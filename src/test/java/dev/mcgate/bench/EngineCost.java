package dev.mcgate.bench;

import dev.mcgate.config.InterfaceDefaults;
import dev.mcgate.config.Role;
import dev.mcgate.forward.Forwarder;
import dev.mcgate.forward.ForwardingTableBuilder;
import dev.mcgate.forward.InterfaceSpec;
import dev.mcgate.io.CaptureFilter;
import dev.mcgate.io.FrameHandler;
import dev.mcgate.io.InterfacePort;
import dev.mcgate.io.NetInterface;
import dev.mcgate.io.PacketIo;
import dev.mcgate.io.linux.AfPacketPacketIo;
import dev.mcgate.io.linux.Netns;
import dev.mcgate.io.linux.SystemInterfaces;
import dev.mcgate.io.pcap.PcapPacketIo;
import dev.mcgate.net.Ip4;
import dev.mcgate.net.Subscription;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The data path's CPU cost per packet, measured so that a machine shared with other work does not distort it: the
 * capture thread is held while a burst of datagrams queues up in the kernel (socket buffer or pcap ring), then
 * released to drain it through the real {@link Forwarder} and out of a second interface; the capture thread's own CPU
 * time and allocated bytes over the drain, divided by the frames it forwarded, are the figures. Scheduling delays do
 * not count, since only the thread's running time does.
 *
 * <p>Run as root against a lab built with {@code mcgate lab up --prefix P} (the router's up0 in, down1 out):
 * <pre>
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) dev.mcgate.bench.EngineCost P pcap|af-packet [SIZE]
 * </pre>
 * {@code -Dmcgate.pcap.readWithLoop=true} measures the pcap engine reading through pcap4j's loop() instead.
 */
public final class EngineCost {

    private static final Ip4 GROUP = Ip4.parse("239.1.2.4");
    private static final int BURST = Integer.getInteger("burst", 6000);
    private static final int ROUNDS = Integer.getInteger("rounds", 30);
    /** Holds a burst of 6000 frames of up to MTU 1500 in either engine's buffer. */
    private static final int BURST_BUFFER_BYTES = 32 << 20;

    private final Forwarder forwarder = new Forwarder(System::nanoTime);
    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private volatile CountDownLatch hold = new CountDownLatch(1);
    private volatile CountDownLatch drained;
    private volatile int target;
    private int seen;
    private long cpuStart;
    private long bytesStart;
    private volatile long cpuNanos;
    private volatile long allocated;

    public static void main(String[] args) throws Exception {
        String prefix = args[0];
        String engine = args[1];
        int size = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        new EngineCost().run(prefix, engine, size);
        System.exit(0);
    }

    private void run(String prefix, String engine, int size) throws Exception {
        threads.setThreadAllocatedMemoryEnabled(true);
        String rtr = prefix + "-rtr";
        PacketIo io = engine.equals("af-packet") ? new AfPacketPacketIo() : new PcapPacketIo();
        FrameHandler handler = new FrameHandler() {
            @Override
            public void onFrame(InterfacePort port, byte[] frame, int length) {
                EngineCost.this.onFrame(port, frame, length);
            }

            @Override
            public void onBatchEnd(InterfacePort port) {
                EngineCost.this.onBatchEnd(port);
            }
        };
        InterfacePort[] ports = Netns.call(rtr, () -> {
            SystemInterfaces system = new SystemInterfaces();
            NetInterface up0 = system.find("up0").orElseThrow();
            NetInterface down1 = system.find("down1").orElseThrow();
            // A large buffer, so bursts queue in the kernel rather than overflow (what this measures by).
            return new InterfacePort[] {
                io.open(up0, CaptureFilter.IGMP_AND_MULTICAST, BURST_BUFFER_BYTES, handler),
                io.open(down1, CaptureFilter.NOTHING, (p, f, l) -> {})
            };
        });
        forwarder.attach(ports[0]);
        forwarder.attach(ports[1]);
        InterfaceDefaults d = InterfaceDefaults.BUILT_IN;
        forwarder.publish(new ForwardingTableBuilder()
                .add(InterfaceSpec.of(ports[0].netInterface(), d.forInterface("up0", Role.UPSTREAM)))
                .add(InterfaceSpec.of(ports[1].netInterface(), d.forInterface("down1", Role.DOWNSTREAM)))
                .membership("down1", Map.of(GROUP, Subscription.ANY_SOURCE))
                .build());

        DatagramChannel sender = Netns.call(prefix + "-src", () -> {
            DatagramChannel c = DatagramChannel.open(StandardProtocolFamily.INET);
            c.setOption(StandardSocketOptions.IP_MULTICAST_IF, NetworkInterface.getByName("eth0"));
            c.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 8);
            c.setOption(StandardSocketOptions.SO_SNDBUF, 4 << 20);
            return c;
        });
        InetSocketAddress to = new InetSocketAddress(InetAddress.getByAddress(GROUP.toBytes()), 5001);
        ByteBuffer payload = ByteBuffer.allocate(size);
        double[] cpu = new double[ROUNDS];
        double[] bytes = new double[ROUNDS];
        long sentBefore = 0;
        for (int r = 0; r < ROUNDS; r++) {
            // The capture thread waits in the handler on the first frame of the burst; the rest queue in the kernel.
            drained = new CountDownLatch(1);
            target = BURST;
            for (int i = 0; i < BURST + 1; i++) {
                payload.clear();
                payload.putLong(0, ((long) r << 32) | i);
                sender.send(payload, to);
            }
            hold.countDown();
            if (!drained.await(30, TimeUnit.SECONDS)) {
                throw new IOException("round " + r + ": only " + seen + " of " + BURST
                        + " frames arrived (ring or socket buffer too small for the burst?)");
            }
            long sent = ports[1].counters().sent();
            cpu[r] = cpuNanos / 1000.0 / BURST;
            bytes[r] = (double) allocated / BURST;
            System.out.printf(
                    "round %2d: %.2f us CPU and %.1f B allocated per forwarded frame (%d sent)%n",
                    r, cpu[r], bytes[r], sent - sentBefore);
            sentBefore = sent;
        }
        double[] last = Arrays.copyOfRange(cpu, ROUNDS / 2, ROUNDS);
        double[] lastBytes = Arrays.copyOfRange(bytes, ROUNDS / 2, ROUNDS);
        Arrays.sort(last);
        Arrays.sort(lastBytes);
        System.out.printf(
                "%s %d B: median of the last %d rounds: %.2f us CPU, %.1f B allocated per frame; "
                        + "kernel drops %d%n",
                engine,
                size,
                last.length,
                last[last.length / 2],
                lastBytes[lastBytes.length / 2],
                ports[0].counters().droppedByKernel());
        for (InterfacePort p : ports) {
            forwarder.detach(p);
            p.close();
        }
        sender.close();
    }

    /** On the capture thread. */
    private void onFrame(InterfacePort port, byte[] frame, int length) {
        if (seen == 0) {
            try {
                hold.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            hold = new CountDownLatch(1);
            long id = Thread.currentThread().getId();
            cpuStart = threads.getCurrentThreadCpuTime();
            bytesStart = threads.getThreadAllocatedBytes(id);
            seen = 1;
            return;
        }
        forwarder.onFrame(port, frame, length);
        ++seen;
    }

    /** On the capture thread: the copies leave here, so the burst ends after the flush of its last batch. */
    private void onBatchEnd(InterfacePort port) {
        forwarder.onBatchEnd(port);
        if (seen > target) {
            long id = Thread.currentThread().getId();
            cpuNanos = threads.getCurrentThreadCpuTime() - cpuStart;
            allocated = threads.getThreadAllocatedBytes(id) - bytesStart;
            seen = 0;
            drained.countDown();
        }
    }
}
