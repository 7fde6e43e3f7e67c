package dev.mcgate.time;

/** Names for loop tasks that were given none, made from the task's class so that a log line still points somewhere. */
final class TaskNames {

    private TaskNames() {}

    /**
     * "timer:GroupState" for a lambda or method reference made in {@code GroupState}: the class that scheduled it is
     * what a reader of a slow-task warning needs, and it costs nothing until a line is written.
     */
    static String ofTimer(Runnable task) {
        return "timer:" + owner(task.getClass());
    }

    /** The simple name of the class that made a lambda ("Outer$$Lambda$12/0x..." is "Outer"), else the class's own. */
    static String owner(Class<?> type) {
        String name = type.getName();
        int lambda = name.indexOf("$$Lambda");
        if (lambda >= 0) {
            name = name.substring(0, lambda);
        }
        return name.substring(name.lastIndexOf('.') + 1);
    }
}
