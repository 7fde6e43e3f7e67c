package dev.mcgate.counters;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The values of every counter family at one moment: an immutable set the reports and the metrics render. Every
 * family is listed, also one with no value now (no interface open yet), so that the set of names never changes.
 *
 * @param families every family the daemon keeps, in the order they are shown
 * @param readings the values, family by family in the order recorded
 */
public record CounterReadings(List<Counter> families, List<CounterReading> readings) {

    /** No family at all (a snapshot built without a registry, as in some tests). */
    public static final CounterReadings EMPTY = new CounterReadings(List.of(), List.of());

    public CounterReadings {
        families = List.copyOf(families);
        readings = List.copyOf(readings);
    }

    /** The values of one family, in the order recorded. */
    public List<CounterReading> of(Counter family) {
        return readings.stream().filter(r -> r.counter() == family).toList();
    }

    /** The value for exactly these labels; 0 when none was recorded. */
    public long value(Counter family, String... labelValues) {
        List<String> wanted = List.of(labelValues);
        return readings.stream()
                .filter(r -> r.counter() == family && r.labelValues().equals(wanted))
                .mapToLong(CounterReading::value)
                .sum();
    }

    /** The family of this name, if it is listed. */
    public Optional<Counter> family(String metric) {
        return families.stream().filter(f -> f.metric().equals(metric)).findFirst();
    }

    /** These families and values, then the other's that are not here yet. */
    public CounterReadings with(CounterReadings other) {
        Set<Counter> all = new LinkedHashSet<>(families);
        all.addAll(other.families);
        List<CounterReading> values = new ArrayList<>(readings);
        values.addAll(other.readings);
        return new CounterReadings(List.copyOf(all), values);
    }
}
