package dev.mcgate.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.io.CaptureFilter;
import dev.mcgate.io.InterfacePort;
import dev.mcgate.lab.LabTopology;
import dev.mcgate.net.Ip4;
import dev.mcgate.packet.LinkType;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The pcap adapter against real kernels: what a kernel host sends is captured, what we inject a kernel host receives,
 * and what we inject is never captured back on the same interface.
 */
@EndToEnd
class PcapPortE2ETest {

    private static TestLab lab;

    @BeforeAll
    static void up() throws Exception {
        lab = TestLab.up();
    }

    @AfterAll
    static void down() throws Exception {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void capturesTheIgmpReportAKernelHostSendsWhenAnApplicationJoins() throws Exception {
        BlockingQueue<byte[]> frames = new LinkedBlockingQueue<>();
        InterfacePort port = lab.openPcap(
                lab.topology().router(),
                "down1",
                CaptureFilter.IGMP,
                (p, frame, length) -> frames.add(Arrays.copyOf(frame, length)));
        assertEquals(LinkType.ETHERNET, port.linkType());
        Ip4 group = Ip4.of(239, 7, 7, 7);

        lab.join(1, group, 5001, Optional.empty());

        byte[] report = frames.poll(5, TimeUnit.SECONDS);
        assertNotNull(report, "no IGMP frame captured within 5 s of the join");
        assertEquals(2, TestFrames.ipProtocol(report), "IP protocol of the captured frame");
        assertEquals(LabTopology.RX1_LINK.hostAddress(), TestFrames.ipSource(report));
        // The default kernel speaks IGMPv3: the report goes to 224.0.0.22 and names the group in its record.
        assertEquals(Ip4.ALL_IGMPV3_ROUTERS, TestFrames.ipDestination(report));
        int igmp = 14 + (report[14] & 0x0f) * 4;
        assertEquals(0x22, report[igmp] & 0xff, "IGMPv3 membership report type");
        assertEquals(group, Ip4.fromBytes(report, igmp + 8 + 4), "group of the first record");
        assertTrue(port.counters().received() >= 1);
    }

    @Test
    void capturesMulticastDataTheSourceKernelSends() throws Exception {
        BlockingQueue<byte[]> frames = new LinkedBlockingQueue<>();
        lab.openPcap(
                lab.topology().router(),
                LabTopology.UPSTREAM_IF,
                CaptureFilter.IGMP_AND_MULTICAST,
                (p, frame, length) -> frames.add(Arrays.copyOf(frame, length)));
        Ip4 group = Ip4.of(239, 7, 7, 8);
        byte[] payload = "market data 42".getBytes(StandardCharsets.US_ASCII);

        lab.sendFromSource(group, 6000, payload, 8);

        byte[] frame = pollFor(frames, f -> TestFrames.ipProtocol(f) == 17);
        assertNotNull(frame, "the datagram was not captured on up0");
        assertEquals(LabTopology.SOURCE_LINK.hostAddress(), TestFrames.ipSource(frame));
        assertEquals(group, TestFrames.ipDestination(frame));
        assertEquals(8, frame[14 + 8] & 0xff, "TTL as sent");
        assertArrayEquals(payload, Arrays.copyOfRange(frame, 14 + 20 + 8, 14 + 20 + 8 + payload.length));
    }

    @Test
    void aFrameItInjectsIsReceivedByAKernelHostSocket() throws Exception {
        Ip4 group = Ip4.of(239, 7, 7, 9);
        TestLab.Membership member = lab.join(1, group, 5002, Optional.empty());
        InterfacePort port =
                lab.openPcap(lab.topology().router(), "down1", CaptureFilter.NOTHING, (p, frame, length) -> {});
        byte[] mac = port.netInterface().mac().orElseThrow().toBytes();
        byte[] payload = "injected by mcgate".getBytes(StandardCharsets.US_ASCII);
        byte[] frame = TestFrames.udpMulticast(mac, LabTopology.RX1_LINK.routerAddress(), group, 5002, payload, 4);

        assertTrue(port.send(frame, frame.length), "send");

        Optional<byte[]> received = member.receive(3000);
        assertTrue(received.isPresent(), "the receiver's kernel delivered nothing to the joined socket");
        assertArrayEquals(payload, received.get());
        assertEquals(1, port.counters().sent());
        assertEquals(0, port.counters().sendErrors());
    }

    @Test
    void aFrameItInjectsIsNotCapturedBackOnTheSameInterface() throws Exception {
        BlockingQueue<byte[]> own = new LinkedBlockingQueue<>();
        BlockingQueue<byte[]> peer = new LinkedBlockingQueue<>();
        InterfacePort port = lab.openPcap(
                lab.topology().router(),
                "down2",
                CaptureFilter.IGMP_AND_MULTICAST,
                (p, frame, length) -> own.add(Arrays.copyOf(frame, length)));
        // A second handle on the same interface: the kernel shows it our send as an outgoing frame, which only
        // direction IN keeps out (the sending socket itself never sees its own frames either way).
        BlockingQueue<byte[]> second = new LinkedBlockingQueue<>();
        lab.openPcap(
                lab.topology().router(),
                "down2",
                CaptureFilter.IGMP_AND_MULTICAST,
                (p, frame, length) -> second.add(Arrays.copyOf(frame, length)));
        // The far end of the veth, in the receiver's namespace, proves the frame really went out.
        lab.openPcap(
                lab.topology().receiver(2),
                LabTopology.HOST_IF,
                CaptureFilter.IGMP_AND_MULTICAST,
                (p, frame, length) -> peer.add(Arrays.copyOf(frame, length)));
        Ip4 group = Ip4.of(239, 7, 7, 10);
        byte[] frame = TestFrames.udpMulticast(
                port.netInterface().mac().orElseThrow().toBytes(),
                LabTopology.RX2_LINK.routerAddress(),
                group,
                5003,
                new byte[] {1, 2, 3},
                4);

        assertTrue(port.send(frame, frame.length));

        byte[] seen = pollFor(
                peer,
                f -> TestFrames.ipProtocol(f) == 17
                        && TestFrames.ipDestination(f).equals(group));
        assertNotNull(seen, "the injected frame did not reach the other end of the veth");
        assertArrayEquals(frame, seen);
        // It has been on the wire; had direction IN not held, the own capture would have it by now.
        Thread.sleep(300);
        assertNull(
                own.stream()
                        .filter(f -> TestFrames.ipProtocol(f) == 17)
                        .findFirst()
                        .orElse(null),
                "the port captured its own injected frame");
        assertNull(
                second.stream()
                        .filter(f -> TestFrames.ipProtocol(f) == 17)
                        .findFirst()
                        .orElse(null),
                "another port on the same interface captured the injected frame as input");
    }

    @Test
    void closingAnIdlePortEndsItsCaptureThread() throws Exception {
        String threadName = "mcgate-capture-down1";
        // Other tests of this class may hold their own down1 ports until the lab closes: count, don't just look.
        long before = liveThreads(threadName);
        InterfacePort port =
                lab.openPcap(lab.topology().router(), "down1", CaptureFilter.NOTHING, (p, frame, length) -> {});
        assertEquals(before + 1, liveThreads(threadName), "one capture thread per open port");
        long start = System.nanoTime();

        port.close();

        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(tookMs < 4000, "close of an idle capture took " + tookMs + " ms");
        assertEquals(before, liveThreads(threadName), "capture thread still alive after close");
        assertFalse(port.send(new byte[60], 60), "send after close must fail");
        assertEquals(1, port.counters().sendErrors(), "the failed send is counted");
    }

    private static long liveThreads(String name) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals(name) && t.isAlive())
                .count();
    }

    private static byte[] pollFor(BlockingQueue<byte[]> queue, java.util.function.Predicate<byte[]> wanted)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            byte[] f = queue.poll(100, TimeUnit.MILLISECONDS);
            if (f != null && wanted.test(f)) {
                return f;
            }
        }
        return null;
    }
}
