package dev.mcgate.daemon;

import dev.mcgate.counters.CounterRecorder;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;

/** The {@link IgmpInputCounter}s of every interface; several capture threads add, any thread reads. */
final class IgmpInputCounts {

    private final Map<String, AtomicLongArray> counts = new ConcurrentHashMap<>();

    /** Allocation-free once the interface has its slots: a flood of forged IGMP costs no garbage. */
    void add(String ifName, IgmpInputCounter counter, long n) {
        AtomicLongArray slots = counts.get(ifName);
        if (slots == null) {
            slots = counts.computeIfAbsent(ifName, name -> new AtomicLongArray(IgmpInputCounter.VALUES.length));
        }
        slots.addAndGet(counter.ordinal(), n);
    }

    long get(String ifName, IgmpInputCounter counter) {
        AtomicLongArray slots = counts.get(ifName);
        return slots == null ? 0 : slots.get(counter.ordinal());
    }

    /** Every counter of these interfaces and of any other counted on, zeros included. */
    void recordInto(CounterRecorder out, Collection<String> interfaces) {
        Set<String> names = new TreeSet<>(interfaces);
        names.addAll(counts.keySet());
        for (String name : names) {
            for (IgmpInputCounter counter : IgmpInputCounter.VALUES) {
                out.record(counter, get(name, counter), name);
            }
        }
    }
}
