package dev.mcgate.daemon;

import dev.mcgate.counters.Counter;
import dev.mcgate.counters.CounterRecorder;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Function;

/**
 * The messages an intake heard per interface: one count per kind, and the malformed ones per reason (the IGMP or the
 * MLD kinds and reasons). Several capture threads add; allocation-free once the interface has its slots.
 *
 * @param <K> the kinds; {@code malformed} is the last constant, and stands for the sum of the reasons
 * @param <R> the reasons a message did not decode
 */
final class KindCounts<K extends Enum<K>, R extends Enum<R>> {

    private final K[] kinds;
    private final K malformed;
    private final R[] reasons;
    private final Function<K, String> keyword;
    private final Map<String, AtomicLongArray> counts = new ConcurrentHashMap<>();

    KindCounts(K[] kinds, R[] reasons, Function<K, String> keyword) {
        this.kinds = kinds.clone();
        this.malformed = kinds[kinds.length - 1];
        this.reasons = reasons.clone();
        this.keyword = keyword;
    }

    void add(String ifName, K kind) {
        if (kind == malformed) {
            throw new IllegalArgumentException("malformed messages are counted by reason");
        }
        slots(ifName).incrementAndGet(kind.ordinal());
    }

    void addMalformed(String ifName, R reason) {
        slots(ifName).incrementAndGet(malformed.ordinal() + reason.ordinal());
    }

    private AtomicLongArray slots(String ifName) {
        AtomicLongArray slots = counts.get(ifName);
        if (slots == null) {
            slots = counts.computeIfAbsent(ifName, n -> new AtomicLongArray(malformed.ordinal() + reasons.length));
        }
        return slots;
    }

    /** Messages of one kind heard on an interface (for the malformed kind: of every reason). */
    long count(String ifName, K kind) {
        AtomicLongArray slots = counts.get(ifName);
        if (slots == null) {
            return 0;
        }
        if (kind != malformed) {
            return slots.get(kind.ordinal());
        }
        long sum = 0;
        for (R reason : reasons) {
            sum += slots.get(malformed.ordinal() + reason.ordinal());
        }
        return sum;
    }

    long malformed(String ifName, R reason) {
        AtomicLongArray slots = counts.get(ifName);
        return slots == null ? 0 : slots.get(malformed.ordinal() + reason.ordinal());
    }

    /**
     * Every count of these interfaces and of any other heard from, zeros included, as {@code counter} with the labels
     * interface, kind and reason (empty but for malformed ones).
     */
    void recordInto(CounterRecorder out, Counter counter, Collection<String> interfaces) {
        Set<String> names = new TreeSet<>(interfaces);
        names.addAll(counts.keySet());
        for (String name : names) {
            for (K kind : kinds) {
                if (kind != malformed) {
                    out.record(counter, count(name, kind), name, keyword.apply(kind), "");
                }
            }
            for (R reason : reasons) {
                out.record(
                        counter,
                        malformed(name, reason),
                        name,
                        keyword.apply(malformed),
                        reason.name().toLowerCase(Locale.ROOT).replace('_', '-'));
            }
        }
    }
}
