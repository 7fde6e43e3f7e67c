package dev.mcgate.lab;

import dev.mcgate.net.IpAddress;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Searches one forwarder's highest forwarded rate with less than 1 % loss at one capacity point, and its router CPU
 * time per forwarded packet at that rate. Offered and forwarded datagrams are counted on the interfaces (the source's
 * eth0, the eth0 of each receiver the forwarder serves), so neither the sender's nor a receiver's socket can pass for the
 * router. The offered rate comes from {@link TrafgenSender}.
 */
final class CapacityProbe {

    static final double MAX_LOSS = 0.01;
    /**
     * After a step, the counters are read once the receivers' interfaces have been quiet this long: a forwarder that
     * fell behind still drains its capture ring (32 MB: seconds of 64-octet datagrams at a failing rate), and what it
     * forwards late belongs to this step, not to the next one or to the latency stream after the search.
     */
    private static final long QUIET_MILLIS = 100;

    private static final long POLL_MILLIS = 50;
    /** Longer than any backlog the steps build; a forwarder still sending after this is reported as it stands. */
    private static final long DRAIN_LIMIT_MILLIS = 10_000;

    /** One offered rate, measured. */
    record Step(
            double offeredPps,
            double sentPps,
            double loss,
            long forwarded,
            long forwarderCpuNanos,
            long routerInterruptNanos) {}

    /** The outcome of a search: the highest passing rate and the CPU figures of that step; NaN if none passed. */
    record Result(double pps, double cpuNanosPerPacket, double interruptNanosPerPacket, boolean senderLimited) {}

    private final LabTopology topology;
    private final TrafgenSender sender;

    CapacityProbe(LabTopology topology, TrafgenSender sender) {
        this.topology = topology;
        this.sender = sender;
    }

    /** @param groups the capacity groups of the point's family, at least as many as the point has */
    Result search(BenchForwarder forwarder, BenchPlan plan, BenchPlan.Point point, List<? extends IpAddress> groups)
            throws LabException {
        if (TrafgenSender.familyOf(groups) != point.family()) {
            throw new IllegalArgumentException(point.label() + " with the groups " + groups);
        }
        RateSearch search = new RateSearch(plan.startPps(), plan.ceilingPps(), MAX_LOSS, plan.bisections());
        Step best = null;
        Step last = null;
        for (OptionalDouble rate = search.next(); rate.isPresent(); rate = search.next()) {
            last = step(
                    forwarder,
                    groups.subList(0, point.groups()),
                    point.receivers(),
                    point.size(),
                    rate.getAsDouble(),
                    plan.stepSeconds());
            search.record(last.sentPps(), last.loss());
            if (last.loss() < MAX_LOSS && (best == null || last.sentPps() > best.sentPps())) {
                best = last;
            }
        }
        if (best == null) {
            return new Result(Double.NaN, Double.NaN, Double.NaN, false);
        }
        boolean senderLimited = last != null && last.loss() < MAX_LOSS && last.sentPps() < 0.9 * last.offeredPps();
        double perPacket = Math.max(1, best.forwarded());
        return new Result(
                best.sentPps(),
                best.forwarderCpuNanos() / perPacket,
                best.routerInterruptNanos() / perPacket,
                senderLimited);
    }

    /** Offers {@code pps} datagrams per second (in total, over the groups) for {@code seconds}. */
    Step step(
            BenchForwarder forwarder,
            List<? extends IpAddress> groups,
            int receivers,
            int size,
            double pps,
            double seconds)
            throws LabException {
        BenchLab.NetDev src0 = BenchLab.netDev(topology.source());
        long[] rx0 = received(forwarder, receivers);
        long cpu0 = forwarder.cpuNanos();
        long irq0 = BenchProcesses.routerCpuInterruptNanos();
        TrafgenSender.Run run = sender.start(groups, pps, size);
        double sending;
        try {
            sleep((long) (seconds * 1000));
        } finally {
            // The rate is what was sent over the time it was sent: trafgen takes a moment to start.
            sending = run.stop();
        }
        awaitQuiet(forwarder, receivers);
        long cpu1 = forwarder.cpuNanos();
        long irq1 = BenchProcesses.routerCpuInterruptNanos();
        BenchLab.NetDev src1 = BenchLab.netDev(topology.source());
        long[] rx1 = received(forwarder, receivers);
        long sent = src1.offered(LabTopology.HOST_IF) - src0.offered(LabTopology.HOST_IF);
        long forwarded = 0;
        for (int i = 0; i < receivers; i++) {
            forwarded += rx1[i] - rx0[i];
        }
        double loss = sent == 0 ? 1 : Math.max(0, 1 - (double) forwarded / ((double) sent * receivers));
        return new Step(pps, sent / sending, loss, forwarded, cpu1 - cpu0, irq1 - irq0);
    }

    /** Returns once no receiver's interface has counted a datagram for {@link #QUIET_MILLIS}. */
    static void awaitQuiet(BenchForwarder forwarder, int receivers) throws LabException {
        long deadline = System.nanoTime() + DRAIN_LIMIT_MILLIS * 1_000_000;
        long[] last = received(forwarder, receivers);
        long quietSince = System.nanoTime();
        while (System.nanoTime() - quietSince < QUIET_MILLIS * 1_000_000 && System.nanoTime() < deadline) {
            sleep(POLL_MILLIS);
            long[] now = received(forwarder, receivers);
            if (!java.util.Arrays.equals(now, last)) {
                last = now;
                quietSince = System.nanoTime();
            }
        }
    }

    private static long[] received(BenchForwarder forwarder, int receivers) throws LabException {
        long[] counts = new long[receivers];
        for (int i = 0; i < receivers; i++) {
            counts[i] = BenchLab.netDev(forwarder.receivers().get(i)).received(forwarder.countedInterface());
        }
        return counts;
    }

    static void sleep(long millis) throws LabException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted");
        }
    }
}
