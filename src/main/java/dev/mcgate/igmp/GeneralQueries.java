package dev.mcgate.igmp;

import dev.mcgate.time.Timer;

/**
 * The querier's General Queries (RFC 3376 §8.6, §8.7, §8.2): on start, [Startup Query Count] queries [Startup Query
 * Interval] apart, then one every [Query Interval]; on taking the role back from another querier, one at once and
 * then every Query Interval. Nothing is sent while not querier.
 */
final class GeneralQueries {

    private final RouterContext context;
    private final Runnable sendOne;
    private Timer next;
    private int sentInStartup;
    private boolean startup;

    /** @param sendOne sends one general query if the interface should (the owner decides about handovers) */
    GeneralQueries(RouterContext context, Runnable sendOne) {
        this.context = context;
        this.sendOne = sendOne;
    }

    void startup() {
        startup = true;
        sentInStartup = 0;
        fire();
    }

    /** Took the querier role back (Other Querier Present timer expired): query now, then every Query Interval. */
    void resume() {
        startup = false;
        fire();
    }

    void stop() {
        if (next != null) {
            next.cancel();
            next = null;
        }
    }

    private void fire() {
        stop();
        if (!context.isQuerier()) {
            return;
        }
        sendOne.run();
        if (startup && ++sentInStartup >= context.settings().startupQueryCount()) {
            startup = false;
        }
        next = context.scheduler()
                .schedule(
                        startup
                                ? context.settings().startupQueryInterval()
                                : context.settings().queryInterval(),
                        this::fire);
    }
}
