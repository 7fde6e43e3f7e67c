package dev.mcgate.fuzz;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts one fuzz target's executions and how far its inputs got, and prints one line with them when the test class
 * ends ({@code fuzz-tally NAME: N executions, ...}): how far a fuzz run's inputs got (.ci/fuzz prints the lines with
 * libFuzzer's own count).
 */
public final class FuzzTally {

    private final String name;
    private final AtomicLong executions = new AtomicLong();
    private final Map<String, AtomicLong> outcomes = new TreeMap<>();

    public FuzzTally(String name) {
        this.name = name;
    }

    /** One execution that ended with {@code outcome} (e.g. "accepted", or the reason it was refused). */
    public void count(String outcome) {
        executions.incrementAndGet();
        AtomicLong n;
        synchronized (outcomes) {
            n = outcomes.computeIfAbsent(outcome, k -> new AtomicLong());
        }
        n.incrementAndGet();
    }

    public long executions() {
        return executions.get();
    }

    /** The line, printed to standard output. */
    public void print() {
        StringBuilder line = new StringBuilder("fuzz-tally ").append(name).append(": ");
        line.append(executions.get()).append(" executions");
        synchronized (outcomes) {
            outcomes.forEach((k, v) -> line.append(", ").append(k).append(' ').append(v.get()));
        }
        System.out.println(line);
    }
}
