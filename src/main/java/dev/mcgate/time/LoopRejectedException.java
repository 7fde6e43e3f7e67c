package dev.mcgate.time;

import java.util.concurrent.RejectedExecutionException;

/** The event loop refused a task because it is stopping: the task did not run and never will. */
public final class LoopRejectedException extends RejectedExecutionException {

    private static final long serialVersionUID = 1L;

    private final String taskName;

    LoopRejectedException(String taskName, String why) {
        super("loop task '" + taskName + "' refused: " + why + "; it did not run");
        this.taskName = taskName;
    }

    public String taskName() {
        return taskName;
    }
}
