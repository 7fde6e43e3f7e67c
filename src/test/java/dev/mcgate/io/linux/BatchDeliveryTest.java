package dev.mcgate.io.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.control.DaemonSnapshot;
import dev.mcgate.control.JsonReport;
import dev.mcgate.control.MiniJson;
import dev.mcgate.control.TextReport;
import dev.mcgate.counters.CounterReadings;
import dev.mcgate.daemon.CounterCatalog;
import dev.mcgate.io.FrameHandler;
import dev.mcgate.io.InterfacePort;
import dev.mcgate.io.NetInterface;
import dev.mcgate.io.PortCounter;
import dev.mcgate.io.PortCounters;
import dev.mcgate.io.PortTally;
import dev.mcgate.packet.LinkType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A packet socket's receive batch handed over as the capture thread hands it: outgoing frames skipped, cut frames
 * and handler failures counted; and those counts, once kept but shown nowhere, in {@code counters}.
 */
class BatchDeliveryTest {

    private static final long BASE = 0x7f00_0000_0000L;
    private static final int COUNT = 4;
    private static final int SLOT = 100;
    private static final int PACKET_HOST = 0;
    private static final int PACKET_MULTICAST = 2;
    private static final int PACKET_OUTGOING = 4;

    private final ByteBuffer block =
            ByteBuffer.allocateDirect(ReceiveBatch.bytesNeeded(COUNT, SLOT)).order(ByteOrder.nativeOrder());
    private final ReceiveBatch batch = new ReceiveBatch(block, BASE, COUNT, SLOT);
    private final PortTally tally = new PortTally();

    /** Does what recvmmsg does for message {@code i}: the frame (cut to the slot), its length, type and flags. */
    private void kernelWrites(int i, int length, int packetType) {
        int header = i * ReceiveBatch.MMSGHDR_SIZE;
        int frameAt = (int) (block.getLong((int) (block.getLong(header + 16) - BASE)) - BASE);
        int stored = Math.min(length, SLOT);
        for (int k = 0; k < stored; k++) {
            block.put(frameAt + k, (byte) i);
        }
        block.putInt(header + 56, stored);
        block.put((int) (block.getLong(header) - BASE) + 10, (byte) packetType);
        block.putInt(header + 48, length > SLOT ? ReceiveBatch.MSG_TRUNC : 0);
    }

    private record Port(String name) implements InterfacePort {
        @Override
        public NetInterface netInterface() {
            return new NetInterface(
                    name, 3, Optional.empty(), List.of(), 1500, new NetInterface.Flags(true, true, true, false, false));
        }

        @Override
        public LinkType linkType() {
            return LinkType.ETHERNET;
        }

        @Override
        public boolean send(byte[] frame, int length) {
            return false;
        }

        @Override
        public PortCounters counters() {
            return new PortCounters(0, 0, 0, 0);
        }

        @Override
        public void close() {}
    }

    @Test
    void outgoingFramesAreSkippedAndCutFramesAndHandlerFailuresCounted() {
        List<Integer> lengths = new ArrayList<>();
        FrameHandler handler = (port, frame, length) -> {
            lengths.add(length);
            if (frame[0] == 3) {
                throw new IllegalStateException("a handler bug on the fourth frame (expected by the test)");
            }
        };
        BatchDelivery delivery = new BatchDelivery(new Port("down1"), handler, batch, SLOT, tally);
        kernelWrites(0, 60, PACKET_MULTICAST);
        kernelWrites(1, SLOT + 40, PACKET_MULTICAST);
        kernelWrites(2, 60, PACKET_OUTGOING);
        kernelWrites(3, 60, PACKET_HOST);
        delivery.deliver(4);

        assertEquals(List.of(60, SLOT, 60), lengths, "the outgoing frame never reached the handler");
        assertEquals(3, tally.get(PortCounter.FRAMES_RECEIVED));
        assertEquals(1, tally.get(PortCounter.TRUNCATED_FRAMES));
        assertEquals(1, tally.get(PortCounter.OUTGOING_FRAMES));
        assertEquals(1, tally.get(PortCounter.HANDLER_ERRORS));
    }

    @Test
    void countersShowTheTruncatedOutgoingAndHandlerErrorCountsOfThePort() {
        FrameHandler failsAtBatchEnd = new FrameHandler() {
            @Override
            public void onFrame(InterfacePort port, byte[] frame, int length) {}

            @Override
            public void onBatchEnd(InterfacePort port) {
                throw new IllegalStateException("fails at every batch end (expected by the test)");
            }
        };
        BatchDelivery delivery = new BatchDelivery(new Port("down1"), failsAtBatchEnd, batch, SLOT, tally);
        for (int round = 0; round < 2; round++) {
            kernelWrites(0, SLOT + 1, PACKET_MULTICAST);
            kernelWrites(1, 64, PACKET_OUTGOING);
            delivery.deliver(2);
        }

        CounterReadings readings = CounterCatalog.newRegistry()
                .read(out -> PortCounters.of(tally::get).recordInto(out, "down1"));
        DaemonSnapshot s = new DaemonSnapshot(
                        "test",
                        1,
                        List.of(new DaemonSnapshot.Interface(
                                "down1",
                                "downstream",
                                "open",
                                Optional.empty(),
                                Optional.of("ethernet"),
                                0,
                                0,
                                0,
                                0,
                                -1)),
                        List.of(),
                        List.of(),
                        List.of(),
                        0,
                        new DaemonSnapshot.Loop(0, 0, 0),
                        List.of())
                .withCounters(readings);
        Object doc = MiniJson.parse(JsonReport.counters(s));
        assertEquals(2.0, value(doc, "port_truncated_frames"));
        assertEquals(2.0, value(doc, "port_outgoing_frames"));
        assertEquals(2.0, value(doc, "port_handler_errors"));
        assertEquals(2.0, MiniJson.at(doc, "interfaces", 0, "frames", "received"), "the schema-1 section agrees");
        String text = TextReport.counters(s);
        assertTrue(text.lines().anyMatch(l -> l.matches("port_truncated_frames +interface=down1 +2")), text);
    }

    /** The value of a family's one value in {@code counters --json}. */
    private static Object value(Object doc, String name) {
        for (Object f : MiniJson.array(MiniJson.at(doc, "counters"))) {
            if (name.equals(MiniJson.at(f, "name"))) {
                return MiniJson.at(f, "values", 0, "value");
            }
        }
        throw new AssertionError(name + " is not in counters --json");
    }
}
