package dev.mcgate.lab;

import dev.mcgate.control.JsonWriter;
import dev.mcgate.net.IpFamily;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code mcgate lab bench} found: the machine, the settings, the forwarders under test and every metric; rendered
 * as a table for people and as JSON for scripts. Each compared forwarder is divided by its own baseline: mcgate by the
 * kernel, mcgate's tunnel by plain mcgate. A forwarded rate within 5 % of the sender's ceiling (a column of its own) is
 * marked as the sender's limit. A figure of one address family's traffic carries it ({@code "family": "IPv6"} in the
 * JSON, the family in the description).
 */
public final class BenchReport {

    /** A ratio column: median(forwarder) / median(baseline), headed {@code label}. */
    public record Comparison(String forwarder, String baseline, String label) {}

    /** A forwarded rate at or above this fraction of the sender's ceiling is the sender's limit, not the forwarder's. */
    static final double SENDER_LIMITED_FRACTION = 0.95;
    /** Marks a sender-limited figure in the table. */
    static final String SENDER_LIMITED_MARK = "*";

    private final Map<String, String> machine;
    private final Map<String, String> settings;
    private final List<String> forwarders;
    private final String baseline;
    private final List<Comparison> comparisons;
    private final String ceiling;
    private final List<BenchMetric> metrics = new ArrayList<>();

    /**
     * @param forwarders the names of the forwarders under test, in column order
     * @param baseline the main baseline (the kernel), one of {@code forwarders}
     * @param comparisons the ratio columns, in order; a forwarder is compared with one baseline at most
     */
    public BenchReport(
            Map<String, String> machine,
            Map<String, String> settings,
            List<String> forwarders,
            String baseline,
            List<Comparison> comparisons) {
        this(machine, settings, forwarders, baseline, comparisons, null);
    }

    /**
     * @param ceiling the column with the sender's ceiling (what it delivers over one link, no forwarder), or null
     */
    public BenchReport(
            Map<String, String> machine,
            Map<String, String> settings,
            List<String> forwarders,
            String baseline,
            List<Comparison> comparisons,
            String ceiling) {
        if (ceiling != null && !forwarders.contains(ceiling)) {
            throw new IllegalArgumentException("ceiling " + ceiling + " is not among " + forwarders);
        }
        if (!forwarders.contains(baseline)) {
            throw new IllegalArgumentException("baseline " + baseline + " is not among " + forwarders);
        }
        for (Comparison c : comparisons) {
            if (!forwarders.contains(c.forwarder())
                    || !forwarders.contains(c.baseline())
                    || c.forwarder().equals(c.baseline())) {
                throw new IllegalArgumentException("comparison " + c + " is not between two of " + forwarders);
            }
        }
        if (comparisons.stream().map(Comparison::forwarder).distinct().count() != comparisons.size()) {
            throw new IllegalArgumentException("a forwarder is compared twice in " + comparisons);
        }
        this.machine = new LinkedHashMap<>(machine);
        this.settings = new LinkedHashMap<>(settings);
        this.forwarders = List.copyOf(forwarders);
        this.baseline = baseline;
        this.comparisons = List.copyOf(comparisons);
        this.ceiling = ceiling;
    }

    /**
     * True if the sender, not the forwarder, set the forwarder's median rate for this metric: it is within 5 % of the
     * sender's ceiling in the same run, or in most rounds the sender fell short of the rate the search offered next
     * while the forwarder passed all it got. Only forwarded rates are judged.
     */
    public boolean senderLimited(BenchMetric m, String forwarder) {
        if (ceiling == null || forwarder.equals(ceiling) || !m.key().startsWith("capacity_pps")) {
            return false;
        }
        double limit = m.median(ceiling);
        double rate = m.median(forwarder);
        if (Double.isNaN(rate)) {
            return false;
        }
        boolean nearCeiling = !Double.isNaN(limit) && rate >= SENDER_LIMITED_FRACTION * limit;
        return nearCeiling || 2 * m.shortfalls(forwarder) > m.samples(forwarder).size();
    }

    public BenchMetric metric(String key, String description, String unit) {
        return metric(key, description, unit, Optional.empty());
    }

    /** The metric of {@code key}, made with these if it is new: {@code family} is that of the traffic measured. */
    public BenchMetric metric(String key, String description, String unit, IpFamily family) {
        return metric(key, description, unit, Optional.of(family));
    }

    private BenchMetric metric(String key, String description, String unit, Optional<IpFamily> family) {
        for (BenchMetric m : metrics) {
            if (m.key().equals(key)) {
                return m;
            }
        }
        BenchMetric m = new BenchMetric(key, description, unit, family);
        metrics.add(m);
        return m;
    }

    public List<BenchMetric> metrics() {
        return List.copyOf(metrics);
    }

    public List<String> forwarders() {
        return forwarders;
    }

    /** The table: metric, the median of each forwarder, each comparison's ratio, rounds; notes below. */
    public String table() {
        List<String[]> rows = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("metric", "unit"));
        header.addAll(forwarders);
        comparisons.forEach(c -> header.add(c.label()));
        header.add("rounds");
        rows.add(header.toArray(String[]::new));
        // Many metrics share a note: each distinct note once, with the metrics it is about.
        Map<String, List<String>> notes = new LinkedHashMap<>();
        boolean marked = false;
        for (BenchMetric m : metrics) {
            List<String> row = new ArrayList<>(List.of(m.description(), m.unit()));
            for (String f : forwarders) {
                boolean limited = senderLimited(m, f);
                marked |= limited;
                row.add(number(m.median(f)) + (limited ? SENDER_LIMITED_MARK : ""));
            }
            comparisons.forEach(c -> row.add(ratio(m.ratio(c.forwarder(), c.baseline()))));
            row.add(Integer.toString(m.rounds()));
            rows.add(row.toArray(String[]::new));
            if (!m.note().isEmpty()) {
                notes.computeIfAbsent(m.note(), n -> new ArrayList<>()).add(m.description());
            }
        }
        int[] widths = new int[header.size()];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                widths[i] = Math.max(widths[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                String cell = i < 2
                        ? String.format("%-" + widths[i] + "s", r[i])
                        : String.format("%" + widths[i] + "s", r[i]);
                sb.append(i == 0 ? "" : "  ").append(cell);
            }
            sb.append('\n');
        }
        if (marked) {
            sb.append(String.format(
                    Locale.ROOT,
                    "%s the sender's limit, not the forwarder's: within %.0f %% of %s, or "
                            + "the sender fell short of the next offered rate in most rounds%n",
                    SENDER_LIMITED_MARK,
                    100 * (1 - SENDER_LIMITED_FRACTION),
                    ceiling));
        }
        if (!notes.isEmpty()) {
            sb.append("notes:\n");
            notes.forEach((note, about) -> sb.append("  ")
                    .append(about.get(0))
                    .append(about.size() > 1 ? " (and " + (about.size() - 1) + " more like it)" : "")
                    .append(": ")
                    .append(note)
                    .append('\n'));
        }
        return sb.toString();
    }

    /**
     * The JSON document: machine, settings, forwarders, the main baseline, each compared forwarder's baseline and
     * every metric with its samples and ratios.
     */
    public String json() {
        StringBuilder sb = new StringBuilder();
        JsonWriter w = JsonWriter.pretty(sb);
        w.beginObject();
        w.name("machine").beginObject();
        machine.forEach(w::field);
        w.endObject();
        w.name("settings").beginObject();
        settings.forEach(w::field);
        w.endObject();
        w.name("forwarders").beginArray();
        forwarders.forEach(w::value);
        w.endArray();
        w.field("baseline", baseline);
        if (ceiling != null) {
            w.field("sender_ceiling", ceiling);
        }
        w.name("baselines").beginObject();
        comparisons.forEach(c -> w.field(c.forwarder(), c.baseline()));
        w.endObject();
        w.name("metrics").beginArray();
        for (BenchMetric m : metrics) {
            w.beginObject()
                    .field("key", m.key())
                    .field("description", m.description())
                    .field("unit", m.unit())
                    .field("rounds", m.rounds());
            m.family().ifPresent(f -> w.field("family", f.toString()));
            w.name("results").beginObject();
            for (String f : forwarders) {
                w.name(f);
                List<Double> s = m.samples(f);
                if (s.isEmpty()) {
                    w.nullValue();
                    continue;
                }
                w.beginObject().field("median", m.median(f));
                if (ceiling != null && m.key().startsWith("capacity_pps") && !f.equals(ceiling)) {
                    w.field("sender_limited", senderLimited(m, f));
                }
                w.name("samples").beginArray();
                s.forEach(w::value);
                w.endArray().endObject();
            }
            w.endObject();
            w.name("ratio").beginObject();
            for (Comparison c : comparisons) {
                double r = m.ratio(c.forwarder(), c.baseline());
                w.name(c.forwarder());
                if (Double.isNaN(r)) {
                    w.nullValue();
                } else {
                    w.value(r);
                }
            }
            w.endObject();
            w.field("note", m.note()).endObject();
        }
        w.endArray();
        w.endObject();
        w.finish();
        return sb.toString();
    }

    private static String number(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        if (Math.abs(v) >= 100) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String ratio(double r) {
        return Double.isNaN(r) ? "n/a" : String.format(Locale.ROOT, "%.2f", r);
    }
}
