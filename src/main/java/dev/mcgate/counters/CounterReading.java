package dev.mcgate.counters;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One counter's value for one set of labels.
 *
 * @param labelValues one per {@link Counter#labelNames()}, in the same order
 */
public record CounterReading(Counter counter, List<String> labelValues, long value) {

    public CounterReading {
        labelValues = List.copyOf(labelValues);
        if (labelValues.size() != counter.labelNames().size()) {
            throw new IllegalArgumentException(
                    counter.metric() + " takes labels " + counter.labelNames() + ", not " + labelValues);
        }
    }

    /** The labels by name, in the counter's order. */
    public Map<String, String> labels() {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < labelValues.size(); i++) {
            out.put(counter.labelNames().get(i), labelValues.get(i));
        }
        return out;
    }

    /** The value of one label; empty when the counter has no such label. */
    public String label(String name) {
        int i = counter.labelNames().indexOf(name);
        return i < 0 ? "" : labelValues.get(i);
    }
}
