package dev.mcgate.daemon;

import dev.mcgate.counters.Counter;
import dev.mcgate.counters.CounterRecorder;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One count per input rule per interface (the IGMP or the MLD rules): several capture threads add, any thread reads.
 * Allocation-free once the interface has its slots, so a flood of forged messages costs no garbage.
 */
final class RuleCounts<C extends Enum<C> & Counter> {

    private final C[] rules;
    private final Map<String, AtomicLongArray> counts = new ConcurrentHashMap<>();

    RuleCounts(C[] rules) {
        this.rules = rules.clone();
    }

    void add(String ifName, C rule, long n) {
        AtomicLongArray slots = counts.get(ifName);
        if (slots == null) {
            slots = counts.computeIfAbsent(ifName, name -> new AtomicLongArray(rules.length));
        }
        slots.addAndGet(rule.ordinal(), n);
    }

    long get(String ifName, C rule) {
        AtomicLongArray slots = counts.get(ifName);
        return slots == null ? 0 : slots.get(rule.ordinal());
    }

    /** Every rule's count on these interfaces and on any other counted on, zeros included. */
    void recordInto(CounterRecorder out, Collection<String> interfaces) {
        Set<String> names = new TreeSet<>(interfaces);
        names.addAll(counts.keySet());
        for (String name : names) {
            for (C rule : rules) {
                out.record(rule, get(name, rule), name);
            }
        }
    }
}
