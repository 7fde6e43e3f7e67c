package dev.mcgate.time;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One event in the loop's inbox, and the hand-over between the loop and whoever queued it: PENDING becomes RUNNING when
 * the loop takes it, or CANCELLED when a caller gives up first. Exactly one of them wins, so a cancelled task never
 * runs, and a caller that lost knows the task is running.
 */
class LoopTask implements NamedTask {

    private static final int PENDING = 0;
    private static final int RUNNING = 1;
    private static final int CANCELLED = 2;
    private static final int DONE = 3;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(LoopTask.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String name;
    private final Runnable body;

    @SuppressWarnings("unused") // through STATE
    private volatile int state = PENDING;

    LoopTask(String name, Runnable body) {
        this.name = name;
        this.body = body;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void execute() {
        body.run();
    }

    /** Loop thread: takes the task to run it; false if it was cancelled (the loop then skips it). */
    boolean begin() {
        return STATE.compareAndSet(this, PENDING, RUNNING);
    }

    /** Loop thread: the task ran (or threw). */
    void end() {
        state = DONE;
    }

    /** Any thread: takes the task off the loop if it has not started; false if it has (or was already cancelled). */
    boolean cancel() {
        return STATE.compareAndSet(this, PENDING, CANCELLED);
    }

    /** The loop stopped before it took this task, which {@link #cancel} has taken off: tell whoever waits for it. */
    void refuse(LoopRejectedException why) {
        // A posted event has nobody waiting.
    }
}
