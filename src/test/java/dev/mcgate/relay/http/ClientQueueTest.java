package dev.mcgate.relay.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import org.junit.jupiter.api.Test;

/** The slow-client policy: a bounded queue that a client which does not read overflows, and gathering writes. */
class ClientQueueTest {

    /** A client socket that takes at most {@code room} more bytes, and keeps what it took. */
    private static final class FakeChannel implements GatheringByteChannel {
        int room;
        int writes;
        final ByteArrayOutputStream taken = new ByteArrayOutputStream();

        FakeChannel(int room) {
            this.room = room;
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) {
            writes++;
            long n = 0;
            for (int i = offset; i < offset + length && room > 0; i++) {
                while (srcs[i].hasRemaining() && room > 0) {
                    taken.write(srcs[i].get());
                    room--;
                    n++;
                }
            }
            return n;
        }

        @Override
        public long write(ByteBuffer[] srcs) {
            return write(srcs, 0, srcs.length);
        }

        @Override
        public int write(ByteBuffer src) {
            return (int) write(new ByteBuffer[] {src});
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {}
    }

    private static ByteBuffer datagram(int seq, int size) {
        ByteBuffer b = ByteBuffer.allocate(size);
        for (int i = 0; i < size; i++) {
            b.put(i, (byte) seq);
        }
        return b.asReadOnlyBuffer();
    }

    @Test
    void aClientThatReadsGetsEveryDatagramInOrderInFewWrites() throws Exception {
        ClientQueue q = new ClientQueue(1000, Long.MAX_VALUE, new QueueBudget(Long.MAX_VALUE));
        FakeChannel ch = new FakeChannel(Integer.MAX_VALUE);
        for (int i = 0; i < 300; i++) {
            assertTrue(q.offer(datagram(i, 10)));
        }
        assertTrue(q.writeTo(ch));
        byte[] got = ch.taken.toByteArray();
        assertEquals(3000, got.length);
        for (int i = 0; i < 300; i++) {
            assertEquals((byte) i, got[i * 10]);
            assertEquals((byte) i, got[i * 10 + 9]);
        }
        assertEquals(5, ch.writes, "gathering writes of 64 slices");
        assertEquals(300, q.datagramsWritten());
        assertEquals(0, q.queued());
    }

    @Test
    void aClientThatStopsReadingOverflowsAtTheBoundAndGetsNothingMore() throws Exception {
        ClientQueue q = new ClientQueue(16, Long.MAX_VALUE, new QueueBudget(Long.MAX_VALUE));
        FakeChannel ch = new FakeChannel(25); // two and a half datagrams fit the socket
        for (int i = 0; i < 16; i++) {
            assertTrue(q.offer(datagram(i, 10)), "within the bound: " + i);
        }
        assertFalse(q.writeTo(ch), "the socket is full");
        assertEquals(14, q.queued(), "the half-written one still counts");
        assertTrue(q.offer(datagram(16, 10)));
        assertTrue(q.offer(datagram(17, 10)));
        assertFalse(q.overflowed());
        assertFalse(q.offer(datagram(18, 10)), "the 17th behind");
        assertTrue(q.overflowed());
        ch.room = Integer.MAX_VALUE;
        assertFalse(q.offer(datagram(19, 10)), "once slow, always slow: the server disconnects it");
        assertTrue(q.writeTo(ch));
        byte[] got = ch.taken.toByteArray();
        assertEquals(18 * 10, got.length, "what was queued arrives whole and in order");
        assertEquals((byte) 17, got[179]);
    }

    @Test
    void aPartlyWrittenDatagramResumesWhereItStopped() throws Exception {
        ClientQueue q = new ClientQueue(16, Long.MAX_VALUE, new QueueBudget(Long.MAX_VALUE));
        FakeChannel ch = new FakeChannel(15);
        q.offer(datagram(1, 10));
        q.offer(datagram(2, 10));
        assertFalse(q.writeTo(ch));
        ch.room = 5;
        assertTrue(q.writeTo(ch));
        assertEquals(20, ch.taken.size());
        assertEquals(2, q.datagramsWritten());
        assertEquals(20, q.bytesWritten());
    }

    @Test
    void theByteBoundStopsAClientOfLargeDatagramsLongBeforeItsDatagramBound() throws Exception {
        QueueBudget budget = new QueueBudget(Long.MAX_VALUE);
        ClientQueue q = new ClientQueue(1000, 3000, budget);
        FakeChannel ch = new FakeChannel(0); // reads nothing
        assertTrue(q.offer(datagram(1, 1316)));
        assertTrue(q.offer(datagram(2, 1316)));
        assertFalse(q.offer(datagram(3, 1316)), "3948 bytes would be over 3000");
        assertTrue(q.overflowed());
        assertEquals(2632, q.queuedBytes());
        assertEquals(2632, budget.queued());
        assertFalse(q.writeTo(ch));
    }

    @Test
    void theBudgetCountsWhatIsQueuedUntilItIsWrittenOrDiscarded() throws Exception {
        QueueBudget budget = new QueueBudget(1500);
        ClientQueue a = new ClientQueue(1000, 1 << 20, budget);
        ClientQueue b = new ClientQueue(1000, 1 << 20, budget);
        a.offer(datagram(1, 1000));
        b.offer(datagram(2, 400));
        assertFalse(budget.over());
        b.offer(datagram(3, 400));
        assertTrue(budget.over(), "1800 queued in all");
        FakeChannel ch = new FakeChannel(300);
        assertFalse(a.writeTo(ch));
        assertEquals(1500, budget.queued(), "what the socket took left the budget, part of a datagram included");
        a.discard();
        assertEquals(800, budget.queued(), "a client gone takes its queue out");
        assertFalse(a.offer(datagram(4, 10)), "and queues nothing more");
        assertEquals(800, budget.queued());
    }
}
