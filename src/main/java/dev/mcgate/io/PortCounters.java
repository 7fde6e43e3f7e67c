package dev.mcgate.io;

import dev.mcgate.counters.CounterRecorder;
import java.util.Arrays;

/**
 * A snapshot of one port's counters, one value per {@link PortCounter}; {@link PortCounter#KERNEL_DROPS} is -1 when
 * unknown.
 */
public final class PortCounters {

    private static final PortCounter[] ALL = PortCounter.values();

    private final long[] values;

    /**
     * The four every port has; the others 0.
     *
     * @param received        frames handed to the handler
     * @param sent            frames handed to the kernel
     * @param sendErrors      sends the kernel refused (interface gone or down, frame too large)
     * @param droppedByKernel frames the capture ring overflowed on (libpcap's ps_drop), or -1 when unknown
     */
    public PortCounters(long received, long sent, long sendErrors, long droppedByKernel) {
        this(new long[ALL.length]);
        values[PortCounter.FRAMES_RECEIVED.ordinal()] = received;
        values[PortCounter.FRAMES_SENT.ordinal()] = sent;
        values[PortCounter.SEND_ERRORS.ordinal()] = sendErrors;
        values[PortCounter.KERNEL_DROPS.ordinal()] = droppedByKernel;
    }

    private PortCounters(long[] values) {
        this.values = values;
    }

    /** Every counter's value from a function (a port's own tally). */
    public static PortCounters of(java.util.function.ToLongFunction<PortCounter> value) {
        long[] values = new long[ALL.length];
        for (PortCounter c : ALL) {
            values[c.ordinal()] = value.applyAsLong(c);
        }
        return new PortCounters(values);
    }

    /** These counters with one more value set. */
    public PortCounters with(PortCounter counter, long value) {
        long[] copy = values.clone();
        copy[counter.ordinal()] = value;
        return new PortCounters(copy);
    }

    public long get(PortCounter counter) {
        return values[counter.ordinal()];
    }

    public long received() {
        return get(PortCounter.FRAMES_RECEIVED);
    }

    public long sent() {
        return get(PortCounter.FRAMES_SENT);
    }

    public long sendErrors() {
        return get(PortCounter.SEND_ERRORS);
    }

    public long droppedByKernel() {
        return get(PortCounter.KERNEL_DROPS);
    }

    /** Every counter of the port under its interface's name; an unknown kernel drop count has no value. */
    public void recordInto(CounterRecorder out, String interfaceName) {
        for (PortCounter c : ALL) {
            if (values[c.ordinal()] >= 0) {
                out.record(c, values[c.ordinal()], interfaceName);
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PortCounters p && Arrays.equals(values, p.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("PortCounters[");
        for (PortCounter c : ALL) {
            out.append(c.metric())
                    .append('=')
                    .append(values[c.ordinal()])
                    .append(c.ordinal() < ALL.length - 1 ? ", " : "]");
        }
        return out.toString();
    }
}
