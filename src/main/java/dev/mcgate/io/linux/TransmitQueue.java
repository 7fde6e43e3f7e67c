package dev.mcgate.io.linux;

/**
 * Frames waiting to leave one packet socket, handed to the kernel together: one {@code sendmmsg} per flush instead of
 * one {@code sendto} per frame, so a capture batch costs one system call per egress port.
 *
 * <p>Order: frames leave in the order they were added, whichever thread added or flushes them; a full batch is sent
 * before the next frame is added, and an immediate {@link #send} first sends what is queued. A frame the kernel
 * refuses is counted under its errno and skipped, and the rest of the batch still goes out; nothing is dropped without
 * a count.
 *
 * <p>Thread-safe: every method holds this object's lock, also across the send call, which waits for the kernel only,
 * never for another thread of ours (the caller must not hold another lock that such a thread needs).
 */
final class TransmitQueue {

    /** Where queued frames wait: numbered slots of at most {@link #slotSize()} octets. */
    interface Slots {
        int capacity();

        int slotSize();

        /** Copies the first {@code length} octets of {@code frame} into slot {@code i}. */
        void put(int i, byte[] frame, int length);
    }

    /** The system call. */
    @FunctionalInterface
    interface Sender {
        /** Sends slots {@code first} to {@code first + count - 1}: how many the kernel took (>= 1), or -errno. */
        int send(int first, int count);
    }

    /** Errno values counted one by one; larger ones go to slot 0. */
    static final int ERRNO_LIMIT = 256;

    private static final int EINTR_RETRIES = 3;

    private final Slots slots;
    private final Sender sender;
    private int queued;
    private boolean closed;
    private long sent;
    private long sendCalls;
    private long fullFlushes;
    private long refusedClosed;
    private long refusedLength;
    private long failed;
    private final long[] failedByErrno = new long[ERRNO_LIMIT];
    private int lastErrno;
    /** Frames discarded by close() that no flush has reported yet. */
    private int discardedUnreported;

    TransmitQueue(Slots slots, Sender sender) {
        this.slots = slots;
        this.sender = sender;
    }

    /**
     * Queues one frame (copied now). A full batch is sent first.
     *
     * @return false if refused at once: the queue is closed, or the frame is empty or longer than a slot
     */
    synchronized boolean add(byte[] frame, int length) {
        if (!accepts(frame, length)) {
            return false;
        }
        if (queued == slots.capacity()) {
            fullFlushes++;
            sendQueued();
        }
        slots.put(queued++, frame, length);
        return true;
    }

    /**
     * Sends one frame now, after the queued ones.
     *
     * @return true if the kernel took this frame
     */
    synchronized boolean send(byte[] frame, int length) {
        if (!add(frame, length)) {
            return false;
        }
        int last = queued - 1;
        // Frames leave in slot order, so this frame failed exactly when the last refusal was its slot.
        return sendQueued() != last;
    }

    /**
     * Sends every queued frame.
     *
     * @return how many of them the kernel refused; after {@link #close()}, once, how many queued frames it discarded
     */
    synchronized int flush() {
        if (closed) {
            int discarded = discardedUnreported;
            discardedUnreported = 0;
            return discarded;
        }
        long failedBefore = failed;
        sendQueued();
        return (int) (failed - failedBefore);
    }

    /** Refuses every later frame and counts the queued ones as not sent: the socket is about to close. */
    synchronized void close() {
        refusedClosed += queued;
        discardedUnreported += queued;
        queued = 0;
        closed = true;
    }

    private boolean accepts(byte[] frame, int length) {
        if (closed) {
            refusedClosed++;
            return false;
        }
        if (length <= 0 || length > frame.length || length > slots.slotSize()) {
            refusedLength++;
            return false;
        }
        return true;
    }

    /** Caller holds the lock. Sends slots 0 to queued - 1; returns the slot of the last refused frame, or -1. */
    private int sendQueued() {
        int lastFailed = -1;
        int first = 0;
        int retries = 0;
        while (first < queued) {
            sendCalls++;
            int n = sender.send(first, queued - first);
            if (n > 0) {
                sent += Math.min(n, queued - first);
                first += n;
                retries = 0;
            } else if (n == -Errno.EINTR && retries < EINTR_RETRIES) {
                retries++;
            } else {
                // sendmmsg reports an error only for the first message of the call: skip that one, send the rest.
                int errno = -n;
                failed++;
                failedByErrno[errno > 0 && errno < ERRNO_LIMIT ? errno : 0]++;
                lastErrno = errno;
                lastFailed = first;
                first++;
                retries = 0;
            }
        }
        queued = 0;
        return lastFailed;
    }

    /**
     * What the queue did so far.
     *
     * @param sent frames the kernel took
     * @param sendCalls system calls made
     * @param fullFlushes batches sent early because they were full
     * @param failed frames the kernel refused
     * @param refusedClosed frames refused or discarded because the port closed
     * @param refusedLength frames refused because they were empty or longer than a slot
     * @param failedByErrno refused frames by errno (index 0: an errno out of range)
     * @param lastErrno the errno of the last refusal, 0 if none
     */
    record Counters(
            long sent,
            long sendCalls,
            long fullFlushes,
            long failed,
            long refusedClosed,
            long refusedLength,
            long[] failedByErrno,
            int lastErrno) {

        /** Every frame that did not leave. */
        long notSent() {
            return failed + refusedClosed + refusedLength;
        }
    }

    synchronized Counters counters() {
        return new Counters(
                sent, sendCalls, fullFlushes, failed, refusedClosed, refusedLength, failedByErrno.clone(), lastErrno);
    }

    synchronized int queued() {
        return queued;
    }
}
