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
 * disconnects it (the stream would have a hole anyway; a player reconnects).
 *
 * <p>Threads: {@link #offer} on any thread; {@link #writeTo} on one (the server's).
 */
final class ClientQueue {

    /** Slices handed to one gathering write. */
    private static final int BATCH = 64;

    private final int bound;
    private final ConcurrentLinkedQueue<ByteBuffer> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private volatile boolean overflowed;
    // Writer thread only:
    private final ByteBuffer[] batch = new ByteBuffer[BATCH];
    private int start;
    private int end;
    private long bytesWritten;
    private long datagramsWritten;

    /** @param bound the datagrams a client may be behind by */
    ClientQueue(int bound) {
        if (bound < 1) {
            throw new IllegalArgumentException("bound " + bound);
        }
        this.bound = bound;
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
        if (queued.incrementAndGet() > bound) {
            queued.decrementAndGet();
            overflowed = true;
            return false;
        }
        queue.add(slice);
        return true;
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
            bytesWritten += n;
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
