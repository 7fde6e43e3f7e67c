package dev.mcgate.lab;

import dev.mcgate.net.IpFamily;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The HTTP relay's rows of {@code lab bench}: each mcgate engine is started once more, with the relay on, and the
 * relay's throughput searched for each client count of the plan ({@link HttpRelayProbe}); the figures go into the
 * report under the engine's column.
 */
final class BenchHttpRelay {

    private final LabTopology topology;
    private final BenchPlan plan;
    private final List<String> mcgateCommand;
    private final Path directory;
    private final TrafgenSender sender;
    private final PrintWriter out;

    BenchHttpRelay(
            LabTopology topology,
            BenchPlan plan,
            List<String> mcgateCommand,
            Path directory,
            TrafgenSender sender,
            PrintWriter out) {
        this.topology = topology;
        this.plan = plan;
        this.mcgateCommand = List.copyOf(mcgateCommand);
        this.directory = directory;
        this.sender = sender;
        this.out = out;
    }

    /** The rows' key tail: {@code 1client}, {@code 50clients}. */
    static String clientsKey(int clients) {
        return clients + (clients == 1 ? "client" : "clients");
    }

    /** Measures the relay of mcgate with {@code engine} at every client count of the plan. */
    void measure(LabBench.Engine engine, BenchReport report) throws LabException {
        McgateUnderTest mcgate = McgateUnderTest.inRouter(
                topology,
                engine,
                mcgateCommand,
                HttpRelayProbe.config(topology, directory, plan.http().maxClients()),
                directory,
                "http");
        HttpRelayProbe probe = new HttpRelayProbe(topology, sender);
        try {
            mcgate.start();
            for (int clients : plan.http().clients()) {
                HttpRelayProbe.Result r = probe.search(mcgate, plan, clients, mcgate.warmUpSeconds());
                print(r);
                record(report, engine.name(), r, plan);
            }
        } finally {
            mcgate.stop();
        }
    }

    private void print(HttpRelayProbe.Result r) {
        if (!r.found()) {
            HttpRelayStep last = r.last();
            out.printf(
                    Locale.ROOT,
                    "  HTTP relay, %s: no rate passed (the last, %,.0f pps: worst client %.2f %%, last octet %.0f ms "
                            + "after the sender)%n",
                    clientsKey(r.clients()),
                    last == null ? Double.NaN : last.sentPps(),
                    last == null ? Double.NaN : 100 * last.worstDelivered(),
                    last == null ? Double.NaN : 1000 * last.lagSeconds());
        } else {
            HttpRelayStep s = r.best();
            out.printf(
                    Locale.ROOT,
                    "  HTTP relay, %-10s %8.1f Mbit/s (%.1f each), %,.0f pps a stream, worst client %.2f %%, "
                            + "%,.0f ns/datagram (CPU 1), last octet %.0f ms after the sender%s%n",
                    clientsKey(r.clients()) + ":",
                    s.totalMbps(),
                    s.perClientMbps(),
                    s.sentPps(),
                    100 * s.worstDelivered(),
                    s.cpuNanosPerDatagram(),
                    1000 * s.lagSeconds(),
                    r.senderLimited() ? "  (sender-limited)" : "");
        }
        out.flush();
    }

    /**
     * The rows of one search: total and per-client Mbit/s, the worst client's share and the router CPU per delivered
     * datagram, at the highest rate that passed; a search where none passed adds nothing (n/a, and the note says why).
     */
    static void record(BenchReport report, String forwarder, HttpRelayProbe.Result r, BenchPlan plan) {
        String n = clientsKey(r.clients());
        String who = r.clients() == 1 ? "1 client" : r.clients() + " clients";
        String note = String.format(
                Locale.ROOT,
                "mcgate only (the kernel has no HTTP relay): trafgen sends %d B payloads to %s, %s in rx1 read "
                        + "http://%s:%d%s over TCP (one selector thread of the bench on CPU 0); the rate per stream "
                        + "doubles from %.0f pps (%.0f delivered/s over all clients), then halves the gap %d time(s), "
                        + "%.1f s a step; a step passes when every client got > 99 %% of the payload octets sent; "
                        + "Mbit/s of payload (the HTTP body) from the sender's first frame to the clients' last octet, "
                        + "so the time a relay that fell behind took to work off its clients' queues counts; the "
                        + "passing step that delivered the most; %s",
                HttpRelayProbe.PAYLOAD,
                HttpRelayProbe.GROUP,
                who,
                LabTopology.RX1_LINK.routerAddress(),
                HttpRelayProbe.HTTP_PORT,
                HttpRelayProbe.path(),
                Math.max(50, plan.http().startDeliveredPps() / r.clients()),
                plan.http().startDeliveredPps(),
                plan.bisections(),
                plan.stepSeconds(),
                r.found()
                        ? (r.senderLimited() ? "the sender's limit, not the relay's" : "the relay's limit")
                        : "no rate passed, not even the lowest");
        BenchMetric total = report.metric(
                        "http_relay_mbps." + n,
                        "HTTP relay throughput, all clients > 99 %, " + who,
                        "Mbit/s",
                        IpFamily.IPV4)
                .note(note);
        if (!r.found()) {
            return;
        }
        HttpRelayStep s = r.best();
        total.add(forwarder, s.totalMbps());
        if (r.clients() > 1) {
            report.metric(
                            "http_relay_mbps_per_client." + n,
                            "HTTP relay throughput per client, " + who,
                            "Mbit/s",
                            IpFamily.IPV4)
                    .note(note)
                    .add(forwarder, s.perClientMbps());
        }
        report.metric(
                        "http_relay_worst_client_pct." + n,
                        "HTTP relay, share the worst client got there, " + who,
                        "%",
                        IpFamily.IPV4)
                .note(note)
                .add(forwarder, 100 * s.worstDelivered());
        report.metric(
                        "http_relay_cpu_ns_per_datagram." + n,
                        "router CPU per datagram delivered by the HTTP relay, " + who,
                        "ns",
                        IpFamily.IPV4)
                .note(note)
                .add(forwarder, s.cpuNanosPerDatagram());
    }
}
