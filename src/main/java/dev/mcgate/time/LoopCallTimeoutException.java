package dev.mcgate.time;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * A {@link Loop#call} that got no answer in time, and what became of its task: cancelled before it ran (it never will,
 * so the caller may undo its own half), or still running on the loop (its effects will appear later).
 */
public final class LoopCallTimeoutException extends TimeoutException {

    private static final long serialVersionUID = 1L;

    private final String taskName;
    private final boolean stillRunning;

    private LoopCallTimeoutException(String taskName, boolean stillRunning, String message) {
        super(message);
        this.taskName = taskName;
        this.stillRunning = stillRunning;
    }

    /** The task had not started: it was taken off the loop and never runs. {@code why}: what held it up. */
    public static LoopCallTimeoutException cancelled(String taskName, Duration timeout, String why) {
        return new LoopCallTimeoutException(
                taskName,
                false,
                "loop task '" + taskName + "' got no answer within " + millis(timeout) + " (" + why
                        + ") and was cancelled: it never ran and will not run");
    }

    /** The task was running when the time was up: it will finish, later. */
    public static LoopCallTimeoutException stillRunning(String taskName, Duration timeout) {
        return new LoopCallTimeoutException(
                taskName,
                true,
                "loop task '" + taskName + "' got no answer within " + millis(timeout)
                        + " and is still running: its effects may appear later");
    }

    public String taskName() {
        return taskName;
    }

    /** True if the task is running and will finish; false if it was cancelled and never ran. */
    public boolean stillRunning() {
        return stillRunning;
    }

    private static String millis(Duration d) {
        return d.toMillis() + " ms";
    }
}
