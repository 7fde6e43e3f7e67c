package dev.mcgate.control;

import dev.mcgate.counters.Counter;
import dev.mcgate.counters.CounterReading;
import dev.mcgate.counters.CounterReadings;
import dev.mcgate.forward.ForwardingCounter;
import dev.mcgate.tunnel.TunnelCounter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The views of counter readings that the {@code counters} command has shown since schema 1: one value, the non-zero
 * values of a family, the drops of forwarder and tunnels together.
 *
 * <p>The event loop's and the IGMP intake's families are named here by their stable metric names, because their
 * enums live in the daemon package, which depends on this one.
 */
final class CounterViews {

    static final String IGMP_MESSAGES = "igmp_messages";
    static final String LOOP_INBOX_DROPS = "loop_inbox_drops";
    static final String LOOP_FAILED_TASKS = "loop_failed_tasks";

    /** A non-zero drop count, of the forwarder (by interface) or of a tunnel (by tunnel name). */
    record Drop(String interfaceName, String direction, String reason, long count) {}

    private CounterViews() {}

    /** The value recorded for exactly these labels, if one was. */
    static Optional<Long> only(CounterReadings c, Counter family, String... labelValues) {
        List<String> wanted = List.of(labelValues);
        return c.of(family).stream()
                .filter(r -> r.labelValues().equals(wanted))
                .map(CounterReading::value)
                .findFirst();
    }

    /** The value of a family without labels, by its name; 0 when it is not listed. */
    static long value(CounterReadings c, String metric) {
        return c.family(metric).map(c::value).orElse(0L);
    }

    /** The family's values that are not zero, in the order recorded. */
    static List<CounterReading> nonZero(CounterReadings c, String metric) {
        return c.family(metric)
                .map(f -> c.of(f).stream().filter(r -> r.value() != 0).toList())
                .orElse(List.of());
    }

    /** The family's values that are not zero, in the order recorded. */
    static List<CounterReading> nonZero(CounterReadings c, Counter family) {
        return c.of(family).stream().filter(r -> r.value() != 0).toList();
    }

    /** The forwarder's non-zero drops, then the tunnels' under their names. */
    static List<Drop> drops(CounterReadings c) {
        List<Drop> out = new ArrayList<>();
        for (CounterReading r : nonZero(c, ForwardingCounter.DROPS)) {
            out.add(new Drop(r.label("interface"), r.label("direction"), r.label("reason"), r.value()));
        }
        for (CounterReading r : nonZero(c, TunnelCounter.DROPS)) {
            out.add(new Drop(r.label("tunnel"), r.label("direction"), r.label("reason"), r.value()));
        }
        return out;
    }
}
