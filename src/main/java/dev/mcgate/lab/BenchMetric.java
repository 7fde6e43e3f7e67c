package dev.mcgate.lab;

import dev.mcgate.net.IpFamily;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One figure of the benchmark (say, forwarded pps for 64-byte datagrams) with one sample per round for each
 * forwarder under test. A forwarder with no samples has no such figure (n/a, with the reason in the note).
 */
public final class BenchMetric {

    private final String key;
    private final String description;
    private final String unit;
    private final Optional<IpFamily> family;
    private final Map<String, List<Double>> samples = new LinkedHashMap<>();
    private final Map<String, Integer> shortfalls = new LinkedHashMap<>();
    private String note = "";

    /**
     * @param key a stable identifier for scripts, e.g. {@code capacity_pps.64B.1rx.1g}
     * @param description what it is, for the table
     * @param unit e.g. pps, ns/pkt, us, MiB
     */
    public BenchMetric(String key, String description, String unit) {
        this(key, description, unit, Optional.empty());
    }

    /** @param family the address family of the traffic it measures, for a figure that depends on it */
    public BenchMetric(String key, String description, String unit, Optional<IpFamily> family) {
        this.key = key;
        this.description = description;
        this.unit = unit;
        this.family = family;
    }

    public void add(String forwarder, double sample) {
        if (!Double.isFinite(sample)) {
            throw new IllegalArgumentException(key + ": sample for " + forwarder + " is " + sample);
        }
        samples.computeIfAbsent(forwarder, f -> new ArrayList<>()).add(sample);
    }

    /**
     * Records that in this round the sender could not reach the rate the search offered next, with the forwarder
     * taking everything it got: the figure is the sender's, a lower bound of the forwarder's.
     */
    public void senderShortfall(String forwarder) {
        shortfalls.merge(forwarder, 1, Integer::sum);
    }

    /** In how many rounds the sender fell short for this forwarder. */
    public int shortfalls(String forwarder) {
        return shortfalls.getOrDefault(forwarder, 0);
    }

    /** Why a forwarder has no figure, or how it was measured; shown under the table and in the JSON. */
    public BenchMetric note(String text) {
        this.note = text;
        return this;
    }

    public String key() {
        return key;
    }

    public String description() {
        return description;
    }

    public String unit() {
        return unit;
    }

    /** The address family of the traffic measured; empty for a figure of neither (memory, report rate). */
    public Optional<IpFamily> family() {
        return family;
    }

    public String note() {
        return note;
    }

    public List<Double> samples(String forwarder) {
        return List.copyOf(samples.getOrDefault(forwarder, List.of()));
    }

    /** The median over rounds, NaN when the forwarder has no samples. */
    public double median(String forwarder) {
        return BenchStatistics.median(samples(forwarder));
    }

    /** median(forwarder) / median(baseline), NaN when either is missing. */
    public double ratio(String forwarder, String baseline) {
        return BenchStatistics.ratio(median(forwarder), median(baseline));
    }

    /** The most rounds any forwarder has samples for. */
    public int rounds() {
        return samples.values().stream().mapToInt(List::size).max().orElse(0);
    }
}
