package dev.mcgate.time;

/**
 * The event loop's own counts at one moment, for status and metrics.
 *
 * @param inboxDrops  events dropped because the inbox was full
 * @param rejected    events and calls refused because the loop was stopping
 * @param timedOut    calls that got no answer in time (cancelled, or still running)
 * @param failed      tasks that threw
 * @param slow        tasks that ran longer than the slow-task threshold
 */
public record LoopCounts(long inboxDrops, long rejected, long timedOut, long failed, long slow) {

    /** A loop that has counted nothing (a hand-driven loop in tests). */
    public static final LoopCounts NONE = new LoopCounts(0, 0, 0, 0, 0);
}
