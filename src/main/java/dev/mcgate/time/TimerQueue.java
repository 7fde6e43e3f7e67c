package dev.mcgate.time;

import java.util.Arrays;

/**
 * The timer heap shared by {@link ManualScheduler} and {@link EventLoop}: tasks ordered by deadline, ties in the order
 * they were scheduled, so that two timers set for the same instant fire in a predictable order.
 *
 * <p>An indexed binary heap: each entry knows its slot, so a cancel removes it in O(log n) instead of searching the
 * heap for it. That matters because every IGMP report restarts a group timer ("set the group timer to GMI") and a
 * restart is a cancel and a schedule; with a search, each report cost in proportion to all timers of all groups.
 *
 * <p>Not thread-safe: its owner runs it on one thread.
 */
final class TimerQueue {

    /** Not in the heap: the entry ran or was cancelled. */
    private static final int GONE = -1;

    private Entry[] heap = new Entry[16];
    private int size;
    private long sequence;
    /** Slot writes made by sifts, for the structure test that shows a cancel stays within O(log n) of them. */
    private long moves;

    /** One scheduled task; {@code index} is its slot in the heap, or {@link #GONE}. */
    final class Entry implements Timer, NamedTask {
        private final long deadline;
        private final long order;
        private final Runnable task;
        private final String name;
        private int index = GONE;

        private Entry(long deadline, long order, String name, Runnable task) {
            this.deadline = deadline;
            this.order = order;
            this.name = name;
            this.task = task;
        }

        @Override
        public void cancel() {
            if (index != GONE) {
                removeAt(index);
            }
        }

        @Override
        public boolean isPending() {
            return index != GONE;
        }

        @Override
        public long deadlineNanos() {
            return deadline;
        }

        /** The name it was scheduled with, or one made from the task's class (only when a log line needs it). */
        @Override
        public String name() {
            return name != null ? name : TaskNames.ofTimer(task);
        }

        @Override
        public void execute() {
            task.run();
        }

        private boolean before(Entry o) {
            return deadline != o.deadline ? deadline < o.deadline : order < o.order;
        }
    }

    /** Schedules {@code task} at {@code deadline}; {@code name} may be null (a name is then made when needed). */
    Timer add(long deadline, String name, Runnable task) {
        Entry e = new Entry(deadline, sequence++, name, task);
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        place(e, size++);
        siftUp(e.index);
        return e;
    }

    Timer add(long deadline, Runnable task) {
        return add(deadline, null, task);
    }

    /** The earliest deadline, or Long.MAX_VALUE when nothing is scheduled. */
    long nextDeadline() {
        return size == 0 ? Long.MAX_VALUE : heap[0].deadline;
    }

    /** Removes the earliest task if it is due at {@code now} and returns it (no longer pending), or null. */
    Entry pollDue(long now) {
        if (size == 0 || heap[0].deadline > now) {
            return null;
        }
        Entry e = heap[0];
        removeAt(0);
        return e;
    }

    /** Removes and runs the earliest task if it is due at {@code now}; returns whether one ran. */
    boolean runOneDue(long now) {
        Entry e = pollDue(now);
        if (e == null) {
            return false;
        }
        e.task.run();
        return true;
    }

    int size() {
        return size;
    }

    long moves() {
        return moves;
    }

    /** Whether every entry is in the slot it believes it is in and no child comes before its parent (for tests). */
    boolean isValidHeap() {
        for (int i = 0; i < size; i++) {
            if (heap[i].index != i || (i > 0 && heap[i].before(heap[(i - 1) / 2]))) {
                return false;
            }
        }
        for (int i = size; i < heap.length; i++) {
            if (heap[i] != null) {
                return false;
            }
        }
        return true;
    }

    /** Takes the entry out of slot {@code i}: the last entry fills the hole, then moves up or down to its place. */
    private void removeAt(int i) {
        Entry removed = heap[i];
        int last = --size;
        Entry moved = heap[last];
        heap[last] = null;
        removed.index = GONE;
        if (i != last) {
            place(moved, i);
            siftDown(i);
            if (moved.index == i) {
                siftUp(i);
            }
        }
    }

    private void siftUp(int i) {
        Entry e = heap[i];
        while (i > 0) {
            int parent = (i - 1) / 2;
            if (!e.before(heap[parent])) {
                break;
            }
            place(heap[parent], i);
            i = parent;
        }
        place(e, i);
    }

    private void siftDown(int i) {
        Entry e = heap[i];
        int half = size / 2;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && heap[right].before(heap[child])) {
                child = right;
            }
            if (!heap[child].before(e)) {
                break;
            }
            place(heap[child], i);
            i = child;
        }
        place(e, i);
    }

    private void place(Entry e, int i) {
        heap[i] = e;
        e.index = i;
        moves++;
    }
}
