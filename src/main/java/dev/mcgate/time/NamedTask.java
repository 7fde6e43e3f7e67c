package dev.mcgate.time;

/** What the event loop runs, timer or event: a body and the name its slow-task and failure lines show. */
interface NamedTask {

    /** Made when a line needs it, not on every run: a timer without a name gets one from its class then. */
    String name();

    void execute();
}
