package dev.mcgate.daemon;

/**
 * Where the loop sends work that blocks (opening and closing a port, binding a socket): tasks with the same key run in
 * the order given, tasks with different keys may run side by side, and none runs on the loop.
 *
 * <p>The key is the interface (or tunnel) name, so that a close always finishes before the next open of the same
 * interface starts, while a slow open of one interface never holds up another's.
 */
@FunctionalInterface
public interface IoExecutor {

    /** Runs every task at once on the calling thread: for tests on a hand-driven loop. */
    IoExecutor DIRECT = (key, task) -> task.run();

    /** Runs {@code task} after every task given before with the same key; never blocks the caller. */
    void execute(String key, Runnable task);
}
