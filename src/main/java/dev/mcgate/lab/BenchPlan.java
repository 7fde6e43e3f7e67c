package dev.mcgate.lab;

import dev.mcgate.net.IpFamily;
import java.util.List;

/**
 * How much the benchmark measures: the full run, a quick one with fewer points, or a smoke run for the tests. Every
 * plan alternates the forwarders in each round.
 *
 * @param name full, quick or smoke
 * @param rounds rounds; each runs every forwarder once, in turn
 * @param points the capacity points (address family, payload size, receivers, groups)
 * @param tunnelPoints the capacity points of the tunnel path: one receiver, one group (its path has one receiver; what
 *                     the tunnel adds is per datagram, and plain forwarding's 100-group figures cover the lookup)
 * @param stepSeconds how long each offered rate is held
 * @param startPps the first offered rate of a search
 * @param ceilingPps the highest rate offered
 * @param bisections halvings after the first failing rate
 * @param latencyPps the moderate rate of the latency measurement; lower for a forwarder whose 64-octet capacity in
 *                   the same round is under twice this (the tunnel): latency at half the capacity, not queueing
 * @param latencySeconds how long the latency stream runs
 * @param joins joins (and leaves) per round and receiver
 * @param hosts simulated hosts for the memory figure
 * @param groupsPerHost groups each simulated host joins
 * @param reportRates offered IGMP report rates, reports per second, rising
 * @param reportsPerStep reports injected per rate step
 * @param loadEveryRound whether the memory and report-rate phase runs every round, or only in the last one
 * @param tunnelEveryRound whether the tunnel path is measured every round, or only in the last one
 * @param ceilingEveryRound whether the sender's ceiling is measured every round, or only in the last one
 * @param mldJoinsEveryRound whether the MLDv2 join probe (IPv6) runs every round, or only in the last one
 * @param http the HTTP relay's rows: how many clients, from which rate, in which rounds
 * @param kafka the Kafka relay's rows (last round only: the broker starts once)
 */
public record BenchPlan(
        String name,
        int rounds,
        List<Point> points,
        List<Point> tunnelPoints,
        double stepSeconds,
        double startPps,
        double ceilingPps,
        int bisections,
        int latencyPps,
        double latencySeconds,
        int joins,
        int hosts,
        int groupsPerHost,
        List<Integer> reportRates,
        int reportsPerStep,
        boolean loadEveryRound,
        boolean tunnelEveryRound,
        boolean ceilingEveryRound,
        boolean mldJoinsEveryRound,
        HttpRelayRows http,
        KafkaRelayRows kafka) {

    /**
     * The Kafka relay's rows, mcgate's only, measured in the last round against a broker of their own.
     *
     * @param measured whether the plan has them
     * @param steadyPps the rate of the latency measurement (datagrams per second to one group)
     * @param steadySeconds how long it runs: two of the publisher's latency windows and a second, so that the last
     *                      complete one lies within it (the smoke plan: one and a second, the rows' path only)
     * @param startPps the first rate of the publish-rate search
     * @param stepSeconds how long each rate of that search is held
     */
    public record KafkaRelayRows(
            boolean measured, double steadyPps, double steadySeconds, double startPps, double stepSeconds) {
        public KafkaRelayRows {
            if (!(steadyPps > 0) || !(steadySeconds > 0) || !(startPps > 0) || !(stepSeconds > 0)) {
                throw new IllegalArgumentException("Kafka relay rows: steady " + steadyPps + "/s for " + steadySeconds
                        + " s, search from " + startPps + "/s, " + stepSeconds + " s a step");
            }
        }
    }

    /**
     * The HTTP relay's throughput rows, mcgate's only (the kernel has no relay): one search per client count.
     *
     * @param clients the client counts, one row set each; none for no rows
     * @param startDeliveredPps the first rate of each search in datagrams delivered per second over all clients (so
     *                          50 clients start at a 50th of one client's rate per stream)
     * @param everyRound whether they are measured every round, or only in the last one
     */
    public record HttpRelayRows(List<Integer> clients, double startDeliveredPps, boolean everyRound) {
        public HttpRelayRows {
            clients = List.copyOf(clients);
            if (clients.stream().anyMatch(c -> c < 1) || !(startDeliveredPps > 0)) {
                throw new IllegalArgumentException(
                        "HTTP relay rows: clients " + clients + ", start " + startDeliveredPps);
            }
        }

        /** Whether round {@code round} (1-based) of {@code rounds} measures them. */
        public boolean measuredIn(int round, int rounds) {
            return !clients.isEmpty() && (everyRound || round == rounds);
        }

        /** The most clients any row has: what the relay's limits must allow. */
        public int maxClients() {
            return clients.stream().mapToInt(Integer::intValue).max().orElse(0);
        }
    }

    /**
     * One capacity point: the address family of the stream, UDP payload bytes, receivers (1 or 2), concurrent groups.
     */
    public record Point(IpFamily family, int size, int receivers, int groups) {

        /** An IPv4 point, as every point was before IPv6 rows existed. */
        public Point(int size, int receivers, int groups) {
            this(IpFamily.IPV4, size, receivers, groups);
        }

        /**
         * The metric key's tail: {@code 64B.1rx.1g} for IPv4 (the keys scripts read since before IPv6),
         * {@code ipv6.64B.1rx.1g} for IPv6.
         */
        public String key() {
            return (family == IpFamily.IPV6 ? "ipv6." : "") + size + "B." + receivers + "rx." + groups + "g";
        }

        public String label() {
            return family + ", " + size + " B, " + receivers + " rx, " + groups + (groups == 1 ? " group" : " groups");
        }
    }

    public BenchPlan {
        points = List.copyOf(points);
        tunnelPoints = List.copyOf(tunnelPoints);
        reportRates = List.copyOf(reportRates);
    }

    private static final List<Point> ALL_POINTS = List.of(
            new Point(64, 1, 1),
            new Point(1316, 1, 1),
            new Point(64, 1, 100),
            new Point(1316, 1, 100),
            new Point(64, 2, 1),
            new Point(1316, 2, 1),
            new Point(64, 2, 100),
            new Point(1316, 2, 100),
            new Point(IpFamily.IPV6, 64, 1, 1),
            new Point(IpFamily.IPV6, 1316, 1, 1));

    public static BenchPlan full() {
        return new BenchPlan(
                "full",
                3,
                ALL_POINTS,
                List.of(new Point(64, 1, 1), new Point(1316, 1, 1)),
                1.0,
                25_000,
                400_000,
                2,
                10_000,
                3.0,
                20,
                1000,
                10,
                List.of(1000, 2000, 4000, 8000, 16000, 32000),
                1000,
                true,
                true,
                true,
                true,
                new HttpRelayRows(List.of(1, 50), 5_000, true),
                new KafkaRelayRows(true, 10_000, 16, 10_000, 2));
    }

    public static BenchPlan quick() {
        // Each dimension once (size, receivers, groups); doubling only, so a figure is within a factor of 2. One round,
        // so that the default run stays under 2 min (3 min 16 s with two rounds and both relays' rows, 2026-12-07):
        // the tunnel at 64 octets only, its hardest case; IPv6 at both sizes, one receiver and one group (the family is
        // a dimension of its own, and its rows are the IPv4 base rows' counterparts); the HTTP relay to 50 clients
        // only, and no Kafka rows (the broker alone takes about 30 s): the full run has both.
        return new BenchPlan(
                "quick",
                1,
                List.of(
                        new Point(64, 1, 1),
                        new Point(1316, 1, 1),
                        new Point(64, 2, 100),
                        new Point(IpFamily.IPV6, 64, 1, 1),
                        new Point(IpFamily.IPV6, 1316, 1, 1)),
                List.of(new Point(64, 1, 1)),
                0.4,
                25_000,
                400_000,
                0,
                10_000,
                1.5,
                20,
                1000,
                10,
                List.of(2000, 8000, 32000),
                1000,
                false,
                false,
                false,
                false,
                // One short search from 20 000 datagrams delivered a second (400 a stream), about 15 s.
                new HttpRelayRows(List.of(50), 20_000, false),
                // Not measured (the values are those a measured quick row would use: 10 000/s for 11 s, 1 s steps).
                new KafkaRelayRows(false, 10_000, 11, 10_000, 1));
    }

    /** For the end-to-end test: every metric, once, small; both families' 64-octet rate. */
    public static BenchPlan smoke() {
        return new BenchPlan(
                "smoke",
                1,
                List.of(new Point(64, 1, 1), new Point(IpFamily.IPV6, 64, 1, 1)),
                List.of(new Point(64, 1, 1)),
                0.5,
                10_000,
                20_000,
                0,
                5_000,
                1.0,
                20,
                100,
                10,
                List.of(1000),
                200,
                false,
                true,
                true,
                false,
                // One client, three steps: the rows' whole path (config, clients, search, report) in a few seconds.
                new HttpRelayRows(List.of(1), 5_000, false),
                // The rows' whole path (broker, config, latency, search, report) at low rates.
                new KafkaRelayRows(true, 2_000, 6, 5_000, 0.5));
    }
}
