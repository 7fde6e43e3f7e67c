package dev.mcgate.counters;

/**
 * Something that keeps counters and can say their current values. Records every counter it keeps, zero or not, so
 * that the set of names and labels shown is stable from the first scrape on.
 */
@FunctionalInterface
public interface CounterSource {

    void recordInto(CounterRecorder out);
}
