package dev.mcgate.forward;

import static dev.mcgate.forward.Lab.GROUP;
import static dev.mcgate.forward.Lab.REMOTE_SOURCE;
import static dev.mcgate.forward.Lab.RX1_SOURCE;
import static dev.mcgate.forward.Lab.SOURCE_MAC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mcgate.config.Role;
import dev.mcgate.net.Ip6;
import dev.mcgate.net.Subscription;
import java.lang.management.ManagementFactory;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A property, not a timing: once its flows are known, forwarding allocates nothing on the capture thread. Measured
 * with the JVM's per-thread allocation counter over 100,000 packets after warm-up, across Ethernet and raw-IP egress,
 * a local source going upstream, and UDP checksum repair.
 */
class ForwarderAllocationTest {

    private static final int FRAMES = 64;
    private static final int WARM_UP = 30_000;
    private static final int MEASURED = 100_000;
    /** A few hundred bytes of slack for the measurement itself; a per-packet allocation would be megabytes. */
    private static final long TOLERANCE_BYTES = 1024;

    private long now = 1_000_000_000L;

    @Test
    void forwardingAllocatesNothingInSteadyState() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported(), "this JVM cannot count allocated bytes per thread");
        threads.setThreadAllocatedMemoryEnabled(true);

        RecordingPort up0 = new RecordingPort(Lab.UP0, false);
        RecordingPort down1 = new RecordingPort(Lab.DOWN1, false);
        RecordingPort down2 = new RecordingPort(Lab.DOWN2, false);
        RecordingPort tun0 = new RecordingPort(Lab.TUN0, false);
        Forwarder forwarder = new Forwarder(() -> now, ForwarderOptions.DEFAULTS, message -> {});
        for (RecordingPort port : new RecordingPort[] {up0, down1, down2, tun0}) {
            forwarder.attach(port);
        }
        forwarder.publish(new ForwardingTableBuilder()
                .add(Lab.upstream().withRepairUdpChecksum(true))
                .add(Lab.down1())
                .add(Lab.down2())
                .add(Lab.tun0(Role.DOWNSTREAM))
                .membership("down1", Map.of(GROUP, Subscription.ANY_SOURCE))
                .membership("down2", Map.of(GROUP, Subscription.ANY_SOURCE))
                .membership("tun0", Map.of(GROUP, Subscription.ANY_SOURCE))
                .build());

        // Distinct datagrams (so that the duplicate guard passes them), made before measuring.
        byte[][] frames = new byte[FRAMES][];
        for (int i = 0; i < FRAMES; i++) {
            frames[i] = i % 4 == 3
                    ? Frames.udp(Lab.RX1_MAC, RX1_SOURCE, GROUP, 64, 200, i)
                    : Frames.udp(SOURCE_MAC, REMOTE_SOURCE, GROUP, 64, 200, i);
            if (i % 4 == 1) {
                Frames.breakUdpChecksum(frames[i], Frames.ETH);
            }
        }
        byte[] work = new byte[2048];
        run(forwarder, frames, work, WARM_UP, up0, down1);
        long sentBefore = totalSent(forwarder);
        long repairedBefore = repaired(forwarder);

        long threadId = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(threadId);
        run(forwarder, frames, work, MEASURED, up0, down1);
        long allocated = threads.getThreadAllocatedBytes(threadId) - before;
        long sent = totalSent(forwarder) - sentBefore;

        System.out.printf(
                "forwarding allocated %d bytes over %d packets (%d copies sent)%n", allocated, MEASURED, sent);
        assertTrue(sentBefore > 0);
        // Once a flow is seen with wrong checksums, every datagram of it is recomputed (3 in 4 come from up0).
        assertEquals(MEASURED / 4 * 3, repaired(forwarder) - repairedBefore, "the repair path ran too");
        // Remote datagrams go to down1, down2, tun0; the local source's from down1 to up0, down2, tun0.
        assertEquals(MEASURED * 3L, sent, "every packet forwarded, none deduplicated");
        assertTrue(allocated < TOLERANCE_BYTES, "allocated " + allocated + " bytes over " + MEASURED + " packets");
    }

    /** The same property for IPv6: Ethernet and raw-IP egress, and a local source going upstream. */
    @Test
    void forwardingIpv6AllocatesNothingInSteadyState() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported(), "this JVM cannot count allocated bytes per thread");
        threads.setThreadAllocatedMemoryEnabled(true);

        RecordingPort up0 = new RecordingPort(Lab.UP0, false);
        RecordingPort down1 = new RecordingPort(Lab.DOWN1, false);
        RecordingPort down2 = new RecordingPort(Lab.DOWN2, false);
        RecordingPort tun0 = new RecordingPort(Lab.TUN0, false);
        Forwarder forwarder = new Forwarder(() -> now, ForwarderOptions.DEFAULTS, message -> {});
        for (RecordingPort port : new RecordingPort[] {up0, down1, down2, tun0}) {
            forwarder.attach(port);
        }
        Ip6 group = Ipv6ForwardingTest.GROUP;
        forwarder.publish(new ForwardingTableBuilder()
                .add(Ipv6ForwardingTest.up0())
                .add(Ipv6ForwardingTest.down1())
                .add(Ipv6ForwardingTest.down2())
                .add(Lab.tun0(Role.DOWNSTREAM))
                .membership("down1", Map.of(group, Subscription.ANY_SOURCE))
                .membership("down2", Map.of(group, Subscription.ANY_SOURCE))
                .membership("tun0", Map.of(group, Subscription.ANY_SOURCE))
                .build());
        byte[][] frames = new byte[FRAMES][];
        for (int i = 0; i < FRAMES; i++) {
            frames[i] = i % 4 == 3
                    ? Frames6.udp(Lab.RX1_MAC, Ipv6ForwardingTest.RX1, group, 64, 200, i)
                    : Frames6.udp(SOURCE_MAC, Ipv6ForwardingTest.REMOTE, group, 64, 200, i);
        }
        byte[] work = new byte[2048];
        run(forwarder, frames, work, WARM_UP, up0, down1);
        long sentBefore = totalSent(forwarder);

        long threadId = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(threadId);
        run(forwarder, frames, work, MEASURED, up0, down1);
        long allocated = threads.getThreadAllocatedBytes(threadId) - before;
        long sent = totalSent(forwarder) - sentBefore;

        System.out.printf(
                "IPv6 forwarding allocated %d bytes over %d packets (%d copies sent)%n", allocated, MEASURED, sent);
        assertTrue(sentBefore > 0);
        assertEquals(MEASURED * 3L, sent, "every packet forwarded, none deduplicated");
        assertTrue(allocated < TOLERANCE_BYTES, "allocated " + allocated + " bytes over " + MEASURED + " packets");
    }

    private void run(
            Forwarder forwarder, byte[][] frames, byte[] work, int packets, RecordingPort up0, RecordingPort down1) {
        for (int i = 0; i < packets; i++) {
            byte[] frame = frames[i % FRAMES];
            System.arraycopy(frame, 0, work, 0, frame.length);
            // 100 µs apart: a frame comes round again after 6.4 ms, outside the duplicate window.
            now += 100_000L;
            forwarder.onFrame(i % 4 == 3 ? down1 : up0, work, frame.length);
        }
    }

    private static long repaired(Forwarder forwarder) {
        return forwarder.counters().interfaceNamed("up0").orElseThrow().udpChecksumRepaired();
    }

    private static long totalSent(Forwarder forwarder) {
        return forwarder.counters().interfaces().stream()
                .mapToLong(InterfaceCounters::sent)
                .sum();
    }
}
