package dev.mcgate.lab;

import dev.mcgate.net.Ip4;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Searches the rate of one MPEG-TS-sized stream (1316-octet payloads from the trafgen sender) at which mcgate's HTTP
 * relay delivers the most to N clients in receiver 1's namespace with every client getting more than 99 % of it, and
 * measures there the throughput, the worst client's share and the router CPU per delivered datagram.
 */
final class HttpRelayProbe {

    /** The relay's group: apart from the capacity groups (239.7.0.0 and up), which the receivers' kernels join. */
    static final Ip4 GROUP = Ip4.of(239, 9, 0, 1);
    /** udpxy's usual port. */
    static final int HTTP_PORT = 4022;
    /** What an MPEG-TS stream over UDP carries: 7 TS packets of 188 octets. */
    static final int PAYLOAD = 1316;
    /** The rate that gets every client its response head (sent with the first datagram) before a step. */
    private static final double PRIMING_PPS = 200;

    private static final long PRIMING_LIMIT_MILLIS = 10_000;
    private static final long QUIET_MILLIS = 100;
    private static final long POLL_MILLIS = 50;
    private static final long DRAIN_LIMIT_MILLIS = 10_000;

    /** The outcome of a search: the highest passing step, or none; whether the sender, not the relay, ended it. */
    record Result(int clients, HttpRelayStep best, HttpRelayStep last, boolean senderLimited) {
        boolean found() {
            return best != null;
        }
    }

    private final LabTopology topology;
    private final TrafgenSender sender;

    HttpRelayProbe(LabTopology topology, TrafgenSender sender) {
        this.topology = topology;
        this.sender = sender;
    }

    /**
     * mcgate's configuration for the relay rows: the bench's own, with the relay on the router's down1 address for
     * receiver 1's subnet only. The linger outlasts a whole search, so that clients the relay cut off and the bench
     * reconnects find the group still joined; the limits leave room for the clients of the plan, which all come from
     * receiver 1's one address (the per-address default, 8, is a guard against one hostile host).
     */
    static String config(LabTopology topology, Path directory, int maxClients) {
        return """
                # the HTTP relay's rows (written by 'mcgate lab bench')
                http-listen %s:%d
                http-allow %s
                http-linger 60s
                http-max-clients %d
                http-max-clients-per-group %d
                http-max-clients-per-address %d
                """.formatted(
                                LabTopology.RX1_LINK.routerAddress(),
                                HTTP_PORT,
                                LabTopology.RX1_LINK.subnet(),
                                maxClients,
                                maxClients,
                                maxClients)
                + BenchLab.config(topology, directory, true);
    }

    /** The stream's URL path: udpxy's form. */
    static String path() {
        return "/udp/" + GROUP + ":" + TrafgenSender.PORT;
    }

    /**
     * The search for {@code clients} clients: doubling from the plan's start (a delivered rate, divided over the
     * clients) and halving the gap like the capacity search; a step passes when every client got > 99 %.
     */
    Result search(BenchForwarder mcgate, BenchPlan plan, int clients, double warmUpSeconds) throws LabException {
        InetSocketAddress server =
                new InetSocketAddress(LabTopology.RX1_LINK.routerAddress().toString(), HTTP_PORT);
        double start = Math.max(50, plan.http().startDeliveredPps() / clients);
        RateSearch search =
                new RateSearch(start, Math.max(start, plan.ceilingPps()), CapacityProbe.MAX_LOSS, plan.bisections());
        HttpRelayStep best = null;
        HttpRelayStep last = null;
        try (HttpRelayClients readers = HttpRelayClients.inNamespace(topology.receiver(1), server, path(), clients)) {
            // JIT and the relay's join upstream before the first step; a shorter priming before every later one.
            prime(readers, warmUpSeconds);
            for (OptionalDouble rate = search.next(); rate.isPresent(); rate = search.next()) {
                if (last != null) {
                    readers.reconnectClosed();
                    prime(readers, 0.2);
                }
                last = step(mcgate, readers, rate.getAsDouble(), plan.stepSeconds());
                search.record(last.sentPps(), last.loss());
                // The best is what the relay delivered fastest, which a higher offered rate that it only worked off
                // late may not be.
                if (last.loss() < CapacityProbe.MAX_LOSS && (best == null || last.totalMbps() > best.totalMbps())) {
                    best = last;
                }
            }
        }
        boolean senderLimited =
                last != null && last.loss() < CapacityProbe.MAX_LOSS && last.sentPps() < 0.9 * last.offeredPps();
        return new Result(clients, best, last, senderLimited);
    }

    /** Streams at a low rate for at least {@code seconds} and until every client has its head. */
    private void prime(HttpRelayClients readers, double seconds) throws LabException {
        TrafgenSender.Run run = sender.start(List.of(GROUP), PRIMING_PPS, PAYLOAD);
        try {
            CapacityProbe.sleep((long) (seconds * 1000));
            long deadline = System.nanoTime() + PRIMING_LIMIT_MILLIS * 1_000_000;
            while (!readers.allStreaming()) {
                if (System.nanoTime() > deadline) {
                    throw new LabException("the HTTP relay did not stream to every client within "
                            + PRIMING_LIMIT_MILLIS + " ms: " + readers.describe());
                }
                CapacityProbe.sleep(POLL_MILLIS);
            }
        } finally {
            run.stop();
        }
    }

    private HttpRelayStep step(BenchForwarder mcgate, HttpRelayClients readers, double pps, double seconds)
            throws LabException {
        awaitQuiet(readers);
        long[] got0 = readers.bodyOctets();
        long cpu0 = mcgate.cpuNanos();
        long sent0 = BenchLab.netDev(topology.source()).offered(LabTopology.HOST_IF);
        TrafgenSender.Run run = sender.start(List.of(GROUP), pps, PAYLOAD);
        double sending;
        try {
            CapacityProbe.sleep((long) (seconds * 1000));
        } finally {
            sending = run.stop();
        }
        // trafgen is gone now; what it sent while stopping is in the count, so its end is now, not the stop's start.
        long senderEnd = System.nanoTime();
        // What the relay still had queued belongs to this step, and so does the time it took to deliver it.
        awaitQuiet(readers);
        long lastOctet = readers.lastOctetNanos();
        double delivery = (Math.max(lastOctet, senderEnd) - run.startedNanos()) / 1e9;
        double lag = Math.max(0, lastOctet - senderEnd) / 1e9;
        long cpu1 = mcgate.cpuNanos();
        long sent1 = BenchLab.netDev(topology.source()).offered(LabTopology.HOST_IF);
        long[] got1 = readers.bodyOctets();
        long[] got = new long[got1.length];
        for (int i = 0; i < got.length; i++) {
            got[i] = got1[i] - got0[i];
        }
        return new HttpRelayStep(pps, sent1 - sent0, sending, delivery, lag, PAYLOAD, got, cpu1 - cpu0);
    }

    /** Returns once no client has got an octet for {@link #QUIET_MILLIS}. */
    private static void awaitQuiet(HttpRelayClients readers) throws LabException {
        long deadline = System.nanoTime() + DRAIN_LIMIT_MILLIS * 1_000_000;
        long[] last = readers.bodyOctets();
        long quietSince = System.nanoTime();
        while (System.nanoTime() - quietSince < QUIET_MILLIS * 1_000_000 && System.nanoTime() < deadline) {
            CapacityProbe.sleep(POLL_MILLIS);
            long[] now = readers.bodyOctets();
            if (!java.util.Arrays.equals(now, last)) {
                last = now;
                quietSince = System.nanoTime();
            }
        }
    }
}
