package dev.mcgate.counters;

import java.util.List;

/**
 * One counter family, as a constant of its subsystem's enum: the name it is shown under and the labels of its values.
 */
public interface Counter {

    /** Prefix of every Prometheus family; the {@code counters} command shows the bare name. */
    String PROMETHEUS_PREFIX = "mcgate_";

    /**
     * The stable name: snake_case, unique among all counters, without the {@code mcgate_} prefix or the
     * {@code _total} suffix Prometheus adds. Scripts and dashboards depend on it: never rename one lightly.
     */
    default String metric() {
        return spec().metric();
    }

    /** One line for an operator: what is counted. */
    default String help() {
        return spec().help();
    }

    /** The names of the labels each value carries, in order (empty: one value for the whole daemon). */
    default List<String> labelNames() {
        return spec().labelNames();
    }

    /** The name, help and label names, which each enum constant holds. */
    CounterSpec spec();
}
