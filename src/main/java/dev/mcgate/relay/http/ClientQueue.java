package dev.mcgate.relay.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One client's bounded queue of payload slices and its writer: capture threads {@link #offer} shared read-only slices
 * without blocking; the server thread writes them out with gathering writes. A slice counts against the bound until
 * the socket took all of it, so the bound is what the client is behind by, beyond the kernel's socket buffer. A
 * client whose queue is full has fallen behind: the offer fails, the queue stays {@link #overflowed()}, and the server
 * disconnects it (the stream would have a hole anyway; a player reconnects). The bound is in datagrams and in bytes,
 * whichever is reached first: a channel of small datagrams fills the first, one of jumbo ones the second, and the
 * heap a client holds is bounded either way. The bytes also count in the relay's {@link QueueBudget} until written
 * or {@link #discard}ed.
 *
 * <p>Threads: {@link #offer} on any thread; {@link #writeTo} on one (the server's).
 */
final class ClientQueue {

    /** Slices handed to one gathering write. */
    private static final int BATCH = 64;

    private final int bound;
    private final long boundBytes;
    private final QueueBudget budget;
    /** Bytes queued and not yet written; guarded by this, with {@link #discarded}, so the budget stays exact. */
    private long queuedBytes;

    private boolean discarded;
    private final ConcurrentLinkedQueue<ByteBuffer> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private volatile boolean overflowed;
    // Writer thread only:
    private final ByteBuffer[] batch = new ByteBuffer[BATCH];
    private int start;
    private int end;
    /** Written by the writer thread only; volatile for the status, which any thread reads. */
    private volatile long bytesWritten;

    private long datagramsWritten;

    /**
     * @param bound      the datagrams a client may be behind by
     * @param boundBytes the payload bytes a client may be behind by
     * @param budget     the relay's budget these bytes count in
     */
    ClientQueue(int bound, long boundBytes, QueueBudget budget) {
        if (bound < 1 || boundBytes < 1) {
            throw new IllegalArgumentException("bound " + bound + ", " + boundBytes + " bytes");
        }
        this.bound = bound;
        this.boundBytes = boundBytes;
        this.budget = budget;
    }

    /**
     * Queues one slice (not copied: it must not change). Any thread, never blocks.
     *
     * @return false if the queue is full: the client is slow, this and every later slice is not queued
     */
    boolean offer(ByteBuffer slice) {
        if (overflowed) {
            return false;
        }
        int n = slice.remaining();
        synchronized (this) {
            if (discarded) {
                return false;
            }
            if (queued.get() >= bound || queuedBytes + n > boundBytes) {
                overflowed = true;
                return false;
            }
            queued.incrementAndGet();
            queuedBytes += n;
            budget.add(n);
        }
        queue.add(slice);
        return true;
    }

    /** Payload bytes queued and not yet written. Any thread. */
    synchronized long queuedBytes() {
        return queuedBytes;
    }

    /** The client is gone: what it still had queued leaves the budget, and nothing more is queued. Any thread. */
    void discard() {
        synchronized (this) {
            discarded = true;
            budget.add(-queuedBytes);
            queuedBytes = 0;
        }
        queue.clear();
    }

    private synchronized void written(long n) {
        if (!discarded) {
            queuedBytes -= n;
            budget.add(-n);
        }
    }

    boolean overflowed() {
        return overflowed;
    }

    /** Slices queued and not yet taken whole by the socket. */
    int queued() {
        return queued.get();
    }

    /**
     * Writes what the channel takes. Writer thread.
     *
     * @return true if everything queued was written; false if the channel is full (write again when it is writable)
     */
    boolean writeTo(GatheringByteChannel channel) throws IOException {
        while (true) {
            while (end < BATCH) {
                ByteBuffer next = queue.poll();
                if (next == null) {
                    break;
                }
                batch[end++] = next;
            }
            if (start == end) {
                start = 0;
                end = 0;
                return true;
            }
            long n = channel.write(batch, start, end - start);
            bytesWritten = bytesWritten + n; // one writer: no lost update
            written(n);
            while (start < end && !batch[start].hasRemaining()) {
                batch[start++] = null;
                datagramsWritten++;
                queued.decrementAndGet();
            }
            if (start == end) {
                start = 0;
                end = 0;
            } else if (n == 0 || batch[start].hasRemaining()) {
                // The socket's buffer is full: the rest waits for OP_WRITE.
                compact();
                return false;
            }
        }
    }

    /** Moves the unwritten slices to the front, so the next poll can fill the batch again. */
    private void compact() {
        if (start == 0) {
            return;
        }
        System.arraycopy(batch, start, batch, 0, end - start);
        java.util.Arrays.fill(batch, end - start, end, null);
        end -= start;
        start = 0;
    }

    long bytesWritten() {
        return bytesWritten;
    }

    long datagramsWritten() {
        return datagramsWritten;
    }
}
