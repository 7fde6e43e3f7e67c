package dev.mcgate.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.mcgate.io.FrameHandler;
import dev.mcgate.io.InterfacePort;
import dev.mcgate.net.Ip4;
import dev.mcgate.net.MacAddress;
import dev.mcgate.packet.GroupRecord;
import dev.mcgate.packet.IgmpEncoder;
import dev.mcgate.packet.IgmpMessage;
import dev.mcgate.packet.LeaveGroup;
import dev.mcgate.packet.MalformedPacketException;
import dev.mcgate.packet.RecordType;
import dev.mcgate.packet.V2MembershipReport;
import dev.mcgate.packet.V3MembershipReport;
import dev.mcgate.packet.V3Query;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The capture-thread side: decode, count by kind and reason, drop our own frames, hand the rest on. */
class IgmpIntakeTest {

    private static final Ip4 OWN = Ip4.parse("198.51.100.1");
    private static final Ip4 HOST = Ip4.parse("198.51.100.10");
    private static final MacAddress MAC = MacAddress.parse("02:00:00:00:00:01");

    @Test
    void theEndOfACaptureBatchReachesTheDataPlane() {
        List<InterfacePort> ended = new ArrayList<>();
        FrameHandler dataPlane = new FrameHandler() {
            @Override
            public void onFrame(InterfacePort port, byte[] frame, int length) {}

            @Override
            public void onBatchEnd(InterfacePort port) {
                ended.add(port);
            }
        };
        IgmpIntake intake = new IgmpIntake(OWN::equals, (port, source, message) -> {}, dataPlane);
        InterfacePort port = RecordingPort.ethernet("up0", MAC);

        intake.onBatchEnd(port);

        assertEquals(List.of(port), ended, "the forwarder flushes its queued copies there");
    }

    @Test
    void decodesCountsDropsOwnFramesAndHandsTheRestOn() {
        List<String> heard = new ArrayList<>();
        List<byte[]> data = new ArrayList<>();
        IgmpIntake intake = new IgmpIntake(
                OWN::equals,
                (port, source, message) -> heard.add(port.netInterface().name() + " " + source + " " + message),
                (p, f, l) -> data.add(f));
        InterfacePort port = RecordingPort.ethernet("down1", MAC);

        byte[] report = IgmpEncoder.ethernetFrame(MAC, HOST, new V2MembershipReport(Ip4.parse("239.1.1.1")));
        byte[] leaveFromZero = IgmpEncoder.ethernetFrame(MAC, Ip4.ANY, new LeaveGroup(Ip4.parse("239.1.1.1")));
        byte[] ownQuery = IgmpEncoder.ethernetFrame(MAC, OWN, V3Query.general(100, 2, 125));
        byte[] udp = report.clone();
        udp[14 + 9] = 17; // the same frame as a UDP datagram: not IGMP, so it is the data plane's
        byte[] corrupt = report.clone();
        corrupt[corrupt.length - 1] ^= 0x55; // the IGMP checksum no longer matches

        for (byte[] frame : List.of(report, leaveFromZero, ownQuery, udp, corrupt)) {
            intake.onFrame(port, frame, frame.length);
        }

        assertEquals(
                List.of(
                        "down1 198.51.100.10 V2MembershipReport[group=239.1.1.1]",
                        "down1 0.0.0.0 LeaveGroup[group=239.1.1.1]"),
                heard);
        assertEquals(1, intake.count("down1", IgmpKind.V2_REPORT));
        assertEquals(1, intake.count("down1", IgmpKind.V2_LEAVE));
        assertEquals(1, intake.count("down1", IgmpKind.OWN));
        assertEquals(1, intake.malformed("down1", MalformedPacketException.Reason.BAD_CHECKSUM));
        assertEquals(1, intake.count("down1", IgmpKind.MALFORMED));
        assertEquals(0, intake.count("down1", IgmpKind.V3_REPORT));
        assertEquals(1, data.size(), "the UDP frame went to the data plane");
        assertTrue(data.get(0) == udp);
    }

    @Test
    void aFloodOfMalformedIgmpIsCountedInFullButLoggedAsAFewLines() {
        java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong();
        IgmpIntake intake = new IgmpIntake(OWN::equals, (port, source, message) -> {}, (p, f, l) -> {}, now::get);
        InterfacePort port = RecordingPort.ethernet("down1", MAC);
        byte[] corrupt = IgmpEncoder.ethernetFrame(MAC, HOST, new V2MembershipReport(Ip4.parse("239.1.1.1")));
        corrupt[corrupt.length - 1] ^= 0x55;
        java.io.PrintStream saved = System.err;
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            for (int i = 0; i < 1000; i++) {
                intake.onFrame(port, corrupt, corrupt.length);
            }
            now.addAndGet(java.time.Duration.ofSeconds(10).toNanos());
            intake.onFrame(port, corrupt, corrupt.length);
        } finally {
            System.setErr(saved);
        }
        long counted = intake.count("down1", IgmpKind.MALFORMED);
        assertEquals(1001, counted);
        List<String> lines =
                err.toString(java.nio.charset.StandardCharsets.UTF_8).lines().toList();
        assertEquals(6, lines.size(), "a burst of 5, then one after 10 s: " + lines);
        assertTrue(lines.get(0).contains("down1: malformed IGMP frame dropped"), lines.get(0));
        assertTrue(lines.get(5).endsWith("(995 similar warnings suppressed)"), lines.get(5));
    }

    @Test
    void otherIgmpTypesAreCountedByNameWithoutAWarning() {
        IgmpIntake intake = new IgmpIntake(OWN::equals, (port, source, message) -> fail("not ours"), (p, f, l) -> {});
        InterfacePort port = RecordingPort.ethernet("down1", MAC);
        byte[] report = IgmpEncoder.ethernetFrame(MAC, HOST, new V2MembershipReport(Ip4.parse("239.1.1.1")));
        java.io.PrintStream saved = System.err;
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            // DVMRP, mtrace response and query, and a type nobody defined: the same frame with another type octet.
            for (int type : new int[] {0x13, 0x1e, 0x1f, 0x44}) {
                byte[] frame = report.clone();
                frame[38] = (byte) type;
                dev.mcgate.packet.InternetChecksum.fill(frame, 38, 8, 40);
                intake.onFrame(port, frame, frame.length);
            }
        } finally {
            System.setErr(saved);
        }
        assertEquals(1, intake.count("down1", IgmpKind.DVMRP));
        assertEquals(2, intake.count("down1", IgmpKind.MTRACE));
        assertEquals(1, intake.count("down1", IgmpKind.OTHER_TYPE));
        assertEquals(0, intake.count("down1", IgmpKind.MALFORMED));
        assertEquals("", err.toString(java.nio.charset.StandardCharsets.UTF_8), "no line per message");
    }

    @Test
    void aReportsUnrecognizedRecordsAreCountedAndItsOthersHandedOn() {
        List<IgmpMessage> heard = new ArrayList<>();
        IgmpIntake intake = new IgmpIntake(OWN::equals, (port, source, message) -> heard.add(message), (p, f, l) -> {});
        // [type 7, 239.255.255.255, {198.51.100.7}] then ALLOW(239.1.1.2, {198.51.100.10}), as in the decoder's test.
        byte[] igmp = java.util.HexFormat.of()
                .parseHex("22009d7e00000002" + "07000001efffffffc6336407" + "05000001ef010102c633640a");
        byte[] frame = IgmpEncoder.ethernetFrame(
                MAC,
                HOST,
                new V3MembershipReport(List.of(new GroupRecord(
                        RecordType.ALLOW_NEW_SOURCES, Ip4.parse("239.1.1.2"), List.of(Ip4.parse("198.51.100.7"))))));
        // Same length (one record of one source each way): put the golden message in place of the encoded one.
        byte[] withType7 = java.util.Arrays.copyOf(frame, 14 + 24 + igmp.length);
        System.arraycopy(igmp, 0, withType7, 14 + 24, igmp.length);
        withType7[14 + 3] = (byte) (24 + igmp.length);
        dev.mcgate.packet.InternetChecksum.fill(withType7, 14, 24, 14 + 10);

        intake.onFrame(RecordingPort.ethernet("down1", MAC), withType7, withType7.length);

        assertEquals(
                List.of(new V3MembershipReport(
                        List.of(new GroupRecord(
                                RecordType.ALLOW_NEW_SOURCES,
                                Ip4.parse("239.1.1.2"),
                                List.of(Ip4.parse("198.51.100.10")))),
                        1)),
                heard);
        assertEquals(1, intake.count("down1", IgmpInputCounter.UNRECOGNIZED_RECORDS));
    }
}
