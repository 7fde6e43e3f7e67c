package dev.mcgate.counters;

/** Where a {@link CounterSource} writes the current value of each of its counters. */
@FunctionalInterface
public interface CounterRecorder {

    /**
     * One value.
     *
     * @param labelValues one per {@link Counter#labelNames()}, in the same order
     */
    void record(Counter counter, long value, String... labelValues);
}
