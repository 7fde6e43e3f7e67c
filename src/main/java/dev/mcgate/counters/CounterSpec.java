package dev.mcgate.counters;

import java.util.List;

/**
 * What a counter family is called and what its values carry, held by each {@link Counter} constant.
 *
 * @param metric the stable name (see {@link Counter#metric()})
 * @param help one line for an operator
 * @param labelNames the names of the labels each value carries, in order
 */
public record CounterSpec(String metric, String help, List<String> labelNames) {
    public CounterSpec {
        labelNames = List.copyOf(labelNames);
    }
}
