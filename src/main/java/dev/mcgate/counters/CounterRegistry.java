package dev.mcgate.counters;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Knows every counter family the daemon keeps and every source of their values, and reads them into
 * {@link CounterReadings}. Sources are of two kinds: those whose counters belong to the event loop (read them on the
 * loop, {@link #readLoopOwned()}) and those safe to read from any thread ({@link #readOthers()}).
 *
 * <p>Thread-safe: sources may be added while a reading is taken (the control server is added once it is started).
 */
public final class CounterRegistry {

    private final List<Counter> families;
    private final Set<Counter> known;
    private final List<CounterSource> loopOwned = new CopyOnWriteArrayList<>();
    private final List<CounterSource> others = new CopyOnWriteArrayList<>();

    /** @param families the enums of every family, in the order they are shown */
    @SafeVarargs
    public CounterRegistry(Class<? extends Counter>... families) {
        Set<Counter> all = new LinkedHashSet<>();
        Set<String> names = new LinkedHashSet<>();
        for (Class<? extends Counter> family : families) {
            Counter[] constants = family.getEnumConstants();
            if (constants == null) {
                throw new IllegalArgumentException(family.getName() + " is not an enum");
            }
            for (Counter c : constants) {
                if (!names.add(c.metric())) {
                    throw new IllegalArgumentException("two counters are named " + c.metric());
                }
                all.add(c);
            }
        }
        this.families = List.copyOf(all);
        this.known = Set.copyOf(all);
    }

    /** Every family, in the order shown. */
    public List<Counter> families() {
        return families;
    }

    /** A source whose counters only the event loop may read. */
    public void addLoopOwned(CounterSource source) {
        loopOwned.add(source);
    }

    /** A source whose counters any thread may read. */
    public void add(CounterSource source) {
        others.add(source);
    }

    /** The loop-owned sources' values, with every family listed. Call on the event loop. */
    public CounterReadings readLoopOwned() {
        return read(loopOwned);
    }

    /** The other sources' values, with every family listed. Any thread. */
    public CounterReadings readOthers() {
        return read(others);
    }

    /** These sources' values now, with every family listed: for parts a caller has read already. */
    public CounterReadings read(CounterSource... sources) {
        return read(List.of(sources));
    }

    private CounterReadings read(List<CounterSource> sources) {
        List<CounterReading> values = new ArrayList<>();
        CounterRecorder recorder = (counter, value, labels) -> {
            if (!known.contains(counter)) {
                // A family the registry was not told about would be shown nowhere in the order of the others.
                throw new IllegalArgumentException(counter.metric() + " is not registered");
            }
            values.add(new CounterReading(counter, List.of(labels), value));
        };
        for (CounterSource s : sources) {
            s.recordInto(recorder);
        }
        return new CounterReadings(families, values);
    }
}
