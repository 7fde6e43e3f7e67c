package dev.mcgate.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.config.InterfaceDefaults;
import dev.mcgate.config.Role;
import dev.mcgate.forward.DropReason;
import dev.mcgate.forward.FlowCounters;
import dev.mcgate.forward.Forwarder;
import dev.mcgate.forward.ForwardingCounters;
import dev.mcgate.forward.ForwardingTable;
import dev.mcgate.forward.ForwardingTableBuilder;
import dev.mcgate.forward.InterfaceCounters;
import dev.mcgate.forward.InterfaceSpec;
import dev.mcgate.io.CaptureFilter;
import dev.mcgate.io.InterfacePort;
import dev.mcgate.io.NetInterface;
import dev.mcgate.lab.LabTopology;
import dev.mcgate.net.Ip4;
import dev.mcgate.net.MacAddress;
import dev.mcgate.net.Subscription;
import dev.mcgate.packet.InternetChecksum;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The forwarder in this JVM on real pcap ports in the lab's router namespace, with a table made by hand (down1 wants
 * the test groups, down2 wants nothing), the source and the receivers being the kernel's own stacks: what reaches the
 * receivers, with what TTL and MACs, and what never does.
 */
@EndToEnd
@Isolated
class ForwarderE2ETest {

    private static final Ip4 GROUP = Ip4.parse("239.77.0.1");
    private static final Ip4 STREAM = Ip4.parse("239.77.0.2");
    private static final Ip4 LINK_LOCAL = Ip4.parse("224.0.0.77");
    private static final int PORT = 5077;

    private static TestLab lab;
    private static Forwarder forwarder;
    private static NetInterface down1;
    private static final BlockingQueue<byte[]> atRx1 = new LinkedBlockingQueue<>();
    private static final BlockingQueue<byte[]> atRx2 = new LinkedBlockingQueue<>();

    @TempDir
    Path dir;

    @BeforeAll
    static void up() throws Exception {
        lab = TestLab.up();
        String router = lab.topology().router();
        forwarder = new Forwarder(System::nanoTime);
        down1 = lab.netInterface(router, "down1");
        for (String name : List.of(LabTopology.UPSTREAM_IF, "down1", "down2")) {
            // As the daemon will: data arrives on the upstream; downstreams capture IGMP only, which keeps the
            // copies we inject there out of their capture rings.
            CaptureFilter filter =
                    name.equals(LabTopology.UPSTREAM_IF) ? CaptureFilter.IGMP_AND_MULTICAST : CaptureFilter.IGMP;
            InterfacePort port = lab.openPcap(router, name, filter, forwarder);
            forwarder.attach(port);
        }
        forwarder.publish(table(false));
        // Watch both receiver wires, whatever their kernels do with the frames.
        lab.openPcap(
                lab.topology().receiver(1),
                LabTopology.HOST_IF,
                CaptureFilter.IGMP_AND_MULTICAST,
                (p, frame, length) -> keepUdp(atRx1, frame, length));
        lab.openPcap(
                lab.topology().receiver(2),
                LabTopology.HOST_IF,
                CaptureFilter.IGMP_AND_MULTICAST,
                (p, frame, length) -> keepUdp(atRx2, frame, length));
    }

    private static void keepUdp(BlockingQueue<byte[]> queue, byte[] frame, int length) {
        if (length > 14 + 20 && (frame[14 + 9] & 0xff) == 17) {
            queue.add(Arrays.copyOf(frame, length));
        }
    }

    @AfterAll
    static void down() throws Exception {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void theJoinedReceiverGetsTheDatagramWithTtlOneLowerAndTheOtherNothing() throws Exception {
        TestLab.Membership rx1 = lab.join(1, GROUP, PORT, Optional.empty());
        TestLab.Membership rx2 = lab.join(2, GROUP, PORT, Optional.empty());
        byte[] payload = "forwarded by mcgate".getBytes(StandardCharsets.US_ASCII);

        lab.sendFromSource(GROUP, PORT, payload, 5);

        Optional<byte[]> received = rx1.receive(3000);
        assertTrue(
                received.isPresent(),
                "rx1's socket got nothing: UDP checksum or forwarding broken; counters " + forwarder.counters());
        assertArrayEquals(payload, received.get());
        byte[] frame = next(atRx1, GROUP, 1000);
        assertNotNull(frame, "no frame for the group on rx1's wire");
        assertEquals(4, frame[14 + 8] & 0xff, "TTL one lower than the source sent");
        assertTrue(InternetChecksum.verify(frame, 14, 20), "header checksum");
        assertArrayEquals(MacAddress.forGroup(GROUP).toBytes(), Arrays.copyOfRange(frame, 0, 6));
        assertArrayEquals(
                down1.mac().orElseThrow().toBytes(),
                Arrays.copyOfRange(frame, 6, 12),
                "source MAC is the router's down1");

        assertEquals(Optional.empty(), rx2.receive(500), "rx2 is joined but down2 is not in the table");
        assertNull(next(atRx2, GROUP, 200), "nothing for the group on rx2's wire");
        FlowCounters flow = forwarder
                .counters()
                .flow(LabTopology.UPSTREAM_IF, LabTopology.SOURCE_LINK.hostAddress(), GROUP)
                .orElseThrow();
        assertEquals(1, flow.forwarded());
        assertEquals(1, flow.copiesSent());
        rx1.close();
        rx2.close();
    }

    @Test
    void linkLocalGroupsNeverCross() throws Exception {
        TestLab.Membership rx1 = lab.join(1, LINK_LOCAL, PORT, Optional.empty());
        long before = dropped(DropReason.LINK_LOCAL_GROUP);
        lab.sendFromSource(LINK_LOCAL, PORT, new byte[] {1, 2, 3}, 5);
        assertEquals(Optional.empty(), rx1.receive(700));
        assertNull(next(atRx1, LINK_LOCAL, 100));
        assertTrue(dropped(DropReason.LINK_LOCAL_GROUP) > before, "counted as a link-local drop");
        rx1.close();
    }

    @Test
    void ttlOneNeverCrossesAndTtlTwoArrivesWithOne() throws Exception {
        TestLab.Membership rx1 = lab.join(1, GROUP, PORT + 1, Optional.empty());
        long before = dropped(DropReason.TTL_EXPIRED);
        lab.sendFromSource(GROUP, PORT + 1, new byte[] {9}, 1);
        assertEquals(Optional.empty(), rx1.receive(700));
        assertTrue(dropped(DropReason.TTL_EXPIRED) > before, "counted as expired");
        atRx1.clear();
        lab.sendFromSource(GROUP, PORT + 1, new byte[] {10}, 2);
        assertTrue(rx1.receive(3000).isPresent());
        byte[] frame = next(atRx1, GROUP, 1000);
        assertNotNull(frame);
        assertEquals(1, frame[14 + 8] & 0xff);
        rx1.close();
    }

    @Test
    void aPacedStreamArrivesWholeInOrderWithNoFalseDuplicates() throws Exception {
        Path json = dir.resolve("rx1.json");
        Process receiver = lab.startMcgate(
                lab.topology().receiver(1),
                dir.resolve("receive.log"),
                "lab",
                "receive",
                "-g",
                STREAM.toString(),
                "-i",
                LabTopology.HOST_IF,
                "-c",
                "600",
                "-d",
                "20s",
                "-q",
                "--json",
                json.toString());
        Thread.sleep(300); // the receiver joins before the first datagram
        Process sender = lab.startMcgate(
                lab.topology().source(),
                dir.resolve("send.log"),
                "lab",
                "send",
                "-g",
                STREAM.toString(),
                "--rate",
                "1000",
                "-d",
                "10s",
                "--ttl",
                "6",
                "--size",
                "200",
                "-q");
        assertTrue(receiver.waitFor(30, TimeUnit.SECONDS), "receiver did not finish");
        sender.destroy();
        sender.waitFor(10, TimeUnit.SECONDS);
        String result = Files.exists(json) ? Files.readString(json) : "";
        assertEquals(0, receiver.exitValue(), Files.readString(dir.resolve("receive.log")) + result);
        assertEquals(600, number(result, "received"), result);
        assertEquals(0, number(result, "lost"), result);
        assertEquals(0, number(result, "duplicated"), result);
        assertEquals(5, number(result, "ttlMin"), result);
        assertEquals(5, number(result, "ttlMax"), result);
        ForwardingCounters c = forwarder.counters();
        FlowCounters flow = c.flows().stream()
                .filter(f -> f.group().equals(STREAM))
                .findFirst()
                .orElseThrow();
        assertEquals(0, flow.dropped(DropReason.DUPLICATE), "every datagram is new: " + flow);
        assertEquals(0, flow.udpChecksumWrong(), "the lab's source has TX checksum offload off: " + flow);
        assertTrue(flow.forwarded() >= 600, flow.toString());
    }

    @Test
    void partialUdpChecksumsFromAnOffloadingSenderAreDetectedAndRepairedWhenAsked() throws Exception {
        Ip4 group = Ip4.parse("239.77.0.3");
        TestLab.Membership rx1 = lab.join(1, group, PORT + 2, Optional.empty());
        setSourceTxOffload(true);
        try {
            lab.sendFromSource(group, PORT + 2, "partial checksum".getBytes(StandardCharsets.US_ASCII), 8);
            assertNotNull(next(atRx1, group, 2000), "forwarded as received");
            assertEquals(Optional.empty(), rx1.receive(500), "rx1's kernel drops a datagram with a bad checksum");
            FlowCounters flow = forwarder
                    .counters()
                    .flow(LabTopology.UPSTREAM_IF, LabTopology.SOURCE_LINK.hostAddress(), group)
                    .orElseThrow();
            assertEquals(1, flow.udpChecksumWrong(), "detected: " + flow);

            forwarder.publish(table(true));
            byte[] payload = "repaired".getBytes(StandardCharsets.US_ASCII);
            lab.sendFromSource(group, PORT + 2, payload, 8);
            Optional<byte[]> received = rx1.receive(3000);
            assertTrue(received.isPresent(), "the repaired datagram reaches rx1's socket: " + forwarder.counters());
            assertArrayEquals(payload, received.get());
        } finally {
            setSourceTxOffload(false);
            forwarder.publish(table(false));
            rx1.close();
        }
    }

    /** down1 wants the test groups, down2 nothing; optionally repair UDP checksums arriving on up0. */
    private static ForwardingTable table(boolean repair) throws Exception {
        String router = lab.topology().router();
        InterfaceDefaults d = InterfaceDefaults.BUILT_IN;
        NetInterface up0 = lab.netInterface(router, LabTopology.UPSTREAM_IF);
        NetInterface down2 = lab.netInterface(router, "down2");
        return new ForwardingTableBuilder()
                .add(InterfaceSpec.of(up0, d.forInterface(up0.name(), Role.UPSTREAM))
                        .withRepairUdpChecksum(repair))
                .add(InterfaceSpec.of(down1, d.forInterface("down1", Role.DOWNSTREAM)))
                .add(InterfaceSpec.of(down2, d.forInterface("down2", Role.DOWNSTREAM)))
                .membership(
                        "down1",
                        Map.of(
                                GROUP,
                                Subscription.ANY_SOURCE,
                                STREAM,
                                Subscription.ANY_SOURCE,
                                LINK_LOCAL,
                                Subscription.ANY_SOURCE,
                                Ip4.parse("239.77.0.3"),
                                Subscription.ANY_SOURCE))
                .build();
    }

    private static void setSourceTxOffload(boolean on) throws Exception {
        Process p = new ProcessBuilder(
                        "ip",
                        "netns",
                        "exec",
                        lab.topology().source(),
                        "ethtool",
                        "-K",
                        LabTopology.HOST_IF,
                        "tx",
                        on ? "on" : "off")
                .redirectErrorStream(true)
                .start();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private static long dropped(DropReason reason) {
        InterfaceCounters up =
                forwarder.counters().interfaceNamed(LabTopology.UPSTREAM_IF).orElseThrow();
        return up.dropped(reason);
    }

    /** The next captured UDP frame to the group, or null after the timeout. */
    private static byte[] next(BlockingQueue<byte[]> queue, Ip4 group, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (true) {
            long left = deadline - System.nanoTime();
            byte[] frame = queue.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
            if (frame == null) {
                return null;
            }
            if (Ip4.fromBytes(frame, 14 + 16).equals(group)) {
                return frame;
            }
        }
    }

    private static long number(String json, String field) {
        Matcher m = Pattern.compile("\"" + field + "\": (-?\\d+)").matcher(json);
        assertTrue(m.find(), field + " in " + json);
        return Long.parseLong(m.group(1));
    }
}
