package dev.mcgate.relay.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.config.KafkaPublishRule;
import dev.mcgate.net.Ip4;
import dev.mcgate.net.IpPrefix;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The hand-off's two bounds, its copy of the payload and the space it gives back. */
class HandoffTest {

    private static final RelayFlow FLOW = new RelayFlow(Ip4.parse("10.1.0.5"), Ip4.parse("239.1.1.1"), 5000);

    private static final KafkaPublishRule RULE =
            new KafkaPublishRule(IpPrefix.parse("239.1.1.1/32"), Optional.empty(), Optional.empty());

    private static boolean offer(Handoff h, int length) {
        return h.offer(FLOW, RULE, 4000, ByteBuffer.allocate(length), 1);
    }

    @Test
    void refusesTheDatagramThatPassesTheRecordBound() {
        Handoff h = new Handoff(3, 1 << 20);
        assertTrue(offer(h, 10));
        assertTrue(offer(h, 10));
        assertTrue(offer(h, 10));
        assertFalse(offer(h, 10));
        assertEquals(30, h.bytes(), "the refused datagram's bytes are given back");
        h.poll();
        assertTrue(offer(h, 10), "a place is free again once one is taken");
    }

    @Test
    void refusesTheDatagramThatPassesTheByteBound() {
        Handoff h = new Handoff(100, 1000);
        assertTrue(offer(h, 600));
        assertFalse(offer(h, 401));
        assertTrue(offer(h, 400), "exactly the bound fits");
        assertFalse(offer(h, 1));
        assertEquals(2, h.size());
        h.poll();
        assertEquals(400, h.bytes());
        assertTrue(offer(h, 600));
    }

    @Test
    void copiesTheRemainingBytesAndLeavesTheBufferAlone() {
        Handoff h = new Handoff(4, 100);
        ByteBuffer capture = ByteBuffer.wrap(new byte[] {9, 9, 1, 2, 3, 9});
        capture.position(2).limit(5);
        assertTrue(h.offer(FLOW, RULE, 4000, capture, 77));
        assertEquals(2, capture.position());
        capture.put(2, (byte) 42); // the capture thread reuses its buffer at once
        Handoff.Datagram d = h.poll();
        assertArrayEquals(new byte[] {1, 2, 3}, d.payload());
        assertEquals(RULE, d.rule(), "the rule that selected it goes with it");
        assertEquals(77, d.arrivalNanos());
        assertNull(h.poll());
        assertEquals(0, h.bytes());
    }
}
