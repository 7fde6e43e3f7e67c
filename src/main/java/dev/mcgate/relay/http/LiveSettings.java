package dev.mcgate.relay.http;

import java.util.function.LongSupplier;

/**
 * The relay's settings in force and what follows from them: the {@link JoinGate} (replaced when {@code max-groups} or
 * {@code http-join-rate} changes) and the global {@link QueueBudget}'s limit ({@code http-queue-budget}).
 *
 * <p>Threads: changed by a reload on any thread; read on the server thread (new clients) and the loop (the gate).
 */
final class LiveSettings {

    private final LongSupplier nanoClock;
    private final QueueBudget budget;
    private volatile HttpRelayServer.Settings settings;
    /** The loop's: replaced when a reload changes max-groups or http-join-rate. */
    private volatile JoinGate gate;

    LiveSettings(HttpRelayServer.Settings settings, LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        this.settings = settings;
        this.budget = new QueueBudget(settings.config().queueBudget());
        this.gate = new JoinGate(settings.maxGroups(), settings.config().joinRate(), nanoClock);
    }

    HttpRelayServer.Settings now() {
        return settings;
    }

    JoinGate gate() {
        return gate;
    }

    QueueBudget budget() {
        return budget;
    }

    /** New clients get {@code next}; the budget's new limit holds at once (the server cuts down to it). */
    void update(HttpRelayServer.Settings next) {
        JoinGate g = gate;
        if (g.maxGroups() != next.maxGroups() || g.joinRate() != next.config().joinRate()) {
            gate = new JoinGate(next.maxGroups(), next.config().joinRate(), nanoClock);
        }
        budget.limit(next.config().queueBudget());
        settings = next;
    }
}
