package dev.mcgate.control;

import dev.mcgate.counters.Counter;
import dev.mcgate.counters.CounterReading;
import dev.mcgate.counters.CounterReadings;
import dev.mcgate.forward.ForwardingCounter;
import dev.mcgate.io.PortCounter;
import dev.mcgate.tunnel.TunnelCounter;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Renders {@code mcgate counters} as text: the tables operators know, then every other counter the daemon keeps. */
final class CounterText {

    private static final String NONE = "-";

    private CounterText() {}

    static String render(DaemonSnapshot s) {
        CounterReadings c = s.counters();
        StringBuilder out = new StringBuilder();
        TextTable ports = new TextTable(
                "INTERFACE",
                ">RX-FRAMES",
                ">TX-FRAMES",
                ">SEND-ERR",
                ">KERNEL-DROP",
                ">FWD-RX",
                ">FWD-FORWARDED",
                ">FWD-SENT",
                ">FWD-SENT-BYTES");
        for (DaemonSnapshot.Interface i : s.interfaces()) {
            String name = i.name();
            Optional<Long> kernelDrops = CounterViews.only(c, PortCounter.KERNEL_DROPS, name);
            ports.row(
                    name,
                    c.value(PortCounter.FRAMES_RECEIVED, name),
                    c.value(PortCounter.FRAMES_SENT, name),
                    c.value(PortCounter.SEND_ERRORS, name),
                    kernelDrops.isPresent() ? kernelDrops.get() : NONE,
                    c.value(ForwardingCounter.RECEIVED, name),
                    c.value(ForwardingCounter.FORWARDED, name),
                    c.value(ForwardingCounter.SENT, name),
                    c.value(ForwardingCounter.SENT_BYTES, name));
        }
        out.append("Frames:\n");
        ports.appendTo(out);
        out.append("\nDrops (in: arrived and not forwarded; out: copies not sent):\n");
        List<CounterViews.Drop> drops = CounterViews.drops(c);
        if (drops.isEmpty()) {
            out.append("  none\n");
        } else {
            TextTable t = new TextTable("INTERFACE", "DIR", "REASON", ">COUNT");
            drops.forEach(d -> t.row(d.interfaceName(), d.direction(), d.reason(), d.count()));
            t.appendTo(out);
        }
        out.append("\nIGMP messages heard:\n");
        List<CounterReading> igmp = CounterViews.nonZero(c, CounterViews.IGMP_MESSAGES);
        if (igmp.isEmpty()) {
            out.append("  none\n");
        } else {
            TextTable t = new TextTable("INTERFACE", "KIND", "REASON", ">COUNT");
            igmp.forEach(r -> t.row(
                    r.label("interface"),
                    r.label("kind"),
                    r.label("reason").isEmpty() ? NONE : r.label("reason"),
                    r.value()));
            t.appendTo(out);
        }
        out.append("\nInternal: ")
                .append(CounterViews.value(c, CounterViews.LOOP_INBOX_DROPS))
                .append(" loop events dropped (inbox full), ")
                .append(CounterViews.value(c, CounterViews.LOOP_FAILED_TASKS))
                .append(" loop tasks failed, ")
                .append(c.value(ForwardingCounter.FLOWS_EVICTED))
                .append(" flows evicted from a full flow table\n");
        others(c, out);
        return out.toString();
    }

    /** The families the sections above show. */
    private static Set<String> shownAbove() {
        return Set.of(
                PortCounter.FRAMES_RECEIVED.metric(),
                PortCounter.FRAMES_SENT.metric(),
                PortCounter.SEND_ERRORS.metric(),
                PortCounter.KERNEL_DROPS.metric(),
                ForwardingCounter.RECEIVED.metric(),
                ForwardingCounter.FORWARDED.metric(),
                ForwardingCounter.SENT.metric(),
                ForwardingCounter.SENT_BYTES.metric(),
                ForwardingCounter.DROPS.metric(),
                ForwardingCounter.FLOWS_EVICTED.metric(),
                TunnelCounter.DROPS.metric(),
                CounterViews.IGMP_MESSAGES,
                CounterViews.LOOP_INBOX_DROPS,
                CounterViews.LOOP_FAILED_TASKS);
    }

    /**
     * Every other family, one row per value. A family counted by reason or kind shows its non-zero values only (most
     * of them are zero, and the JSON has them all); one with nothing to show has a row of its own, so that every
     * name appears.
     */
    private static void others(CounterReadings c, StringBuilder out) {
        Set<String> above = shownAbove();
        TextTable t = new TextTable("COUNTER", "LABELS", ">VALUE");
        for (Counter family : c.families()) {
            if (above.contains(family.metric())) {
                continue;
            }
            boolean byReason = family.labelNames().size() > 1;
            List<CounterReading> shown = c.of(family).stream()
                    .filter(r -> !byReason || r.value() != 0)
                    .toList();
            if (shown.isEmpty()) {
                t.row(family.metric(), NONE, byReason && !c.of(family).isEmpty() ? 0 : NONE);
            }
            for (CounterReading r : shown) {
                String labels = r.labels().entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining(" "));
                t.row(family.metric(), labels.isEmpty() ? NONE : labels, r.value());
            }
        }
        if (!t.isEmpty()) {
            out.append("\nEvery other counter (by reason or kind: non-zero values only; --json has them all):\n");
            t.appendTo(out);
        }
    }
}
