package dev.mcgate.time;

import java.util.PriorityQueue;

/**
 * The timer heap shared by {@link ManualScheduler} and {@link EventLoop}: tasks ordered by deadline, ties in the order
 * they were scheduled, so that two timers set for the same instant fire in a predictable order.
 *
 * <p>Not thread-safe: its owner runs it on one thread.
 */
final class TimerQueue {

    private final PriorityQueue<Entry> heap = new PriorityQueue<>();
    private long sequence;

    final class Entry implements Timer, Comparable<Entry> {
        private final long deadline;
        private final long order;
        private final Runnable task;
        private boolean pending = true;

        Entry(long deadline, long order, Runnable task) {
            this.deadline = deadline;
            this.order = order;
            this.task = task;
        }

        @Override
        public void cancel() {
            if (pending) {
                pending = false;
                heap.remove(this);
            }
        }

        @Override
        public boolean isPending() {
            return pending;
        }

        @Override
        public long deadlineNanos() {
            return deadline;
        }

        @Override
        public int compareTo(Entry o) {
            int c = Long.compare(deadline, o.deadline);
            return c != 0 ? c : Long.compare(order, o.order);
        }
    }

    Timer add(long deadline, Runnable task) {
        Entry e = new Entry(deadline, sequence++, task);
        heap.add(e);
        return e;
    }

    /** The earliest deadline, or Long.MAX_VALUE when nothing is scheduled. */
    long nextDeadline() {
        Entry e = heap.peek();
        return e == null ? Long.MAX_VALUE : e.deadline;
    }

    /** Removes and runs the earliest task if it is due at {@code now}; returns whether one ran. */
    boolean runOneDue(long now) {
        Entry e = heap.peek();
        if (e == null || e.deadline > now) {
            return false;
        }
        heap.poll();
        e.pending = false;
        e.task.run();
        return true;
    }

    int size() {
        return heap.size();
    }
}
