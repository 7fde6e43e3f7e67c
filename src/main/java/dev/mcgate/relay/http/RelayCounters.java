package dev.mcgate.relay.http;

import dev.mcgate.counters.CounterRecorder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The relay's counters and status figures: the {@link HttpRelayCounter}s, the streaming clients, and the status page
 * made of them.
 *
 * <p>Threads: counted on the server thread (and {@link #clientJoined} on the loop); read from any thread, which is why
 * every figure is atomic and the client list copy-on-write.
 */
final class RelayCounters {

    private final QueueBudget budget;
    /** The streaming clients. */
    private final CopyOnWriteArrayList<RelayClient> live = new CopyOnWriteArrayList<>();

    private final AtomicLong clients = new AtomicLong();
    private final AtomicLong slowClients = new AtomicLong();
    private final AtomicLong budgetCuts = new AtomicLong();
    private final AtomicLong reloadCuts = new AtomicLong();
    private final AtomicLong acceptFailures = new AtomicLong();
    private final AtomicLong datagrams = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    /** The drops of clients gone: the live ones are read off the clients themselves. */
    private final AtomicLong closedRtpDrops = new AtomicLong();

    private final AtomicLong closedSlowDrops = new AtomicLong();
    private final AtomicLongArray refused = new AtomicLongArray(RefusalKind.values().length);

    RelayCounters(QueueBudget budget) {
        this.budget = budget;
    }

    void refused(RefusalKind kind) {
        refused.incrementAndGet(kind.ordinal());
    }

    /** Loop thread: the client's group was joined. */
    void clientJoined() {
        clients.incrementAndGet();
    }

    void slowClient() {
        slowClients.incrementAndGet();
    }

    void budgetCut() {
        budgetCuts.incrementAndGet();
    }

    void reloadCut() {
        reloadCuts.incrementAndGet();
    }

    /** @return how many accept() failures there were before this one */
    long acceptFailed() {
        return acceptFailures.getAndIncrement();
    }

    /** What a client's socket took since the last call. */
    void written(long datagramsNow, long bytesNow) {
        datagrams.addAndGet(datagramsNow);
        bytes.addAndGet(bytesNow);
    }

    void clientStarted(RelayClient c) {
        live.add(c);
    }

    /** The client streams no more: its drops stay counted. */
    void clientEnded(RelayClient c) {
        live.remove(c);
        closedRtpDrops.addAndGet(c.rtpDrops.get());
        closedSlowDrops.addAndGet(c.slowDrops.get());
    }

    int clientsNow() {
        return live.size();
    }

    /** The status page's figures now, also what {@code mcgate status --json} shows. */
    RelayStatus status() {
        long nowMillis = System.currentTimeMillis();
        List<RelayStatus.Client> out = new ArrayList<>();
        for (RelayClient c : live) {
            long b = c.queue.bytesWritten();
            double seconds = Math.max(0.001, (nowMillis - c.sinceMillis) / 1000.0);
            out.add(new RelayStatus.Client(
                    c.address,
                    (c.stream.framing() == RelayRequest.Framing.RTP ? "/rtp/" : "/udp/") + c.stream.describe(),
                    c.stream.describe(),
                    c.sinceMillis,
                    b,
                    b * 8 / seconds,
                    c.rtpDrops.get() + c.slowDrops.get()));
        }
        out.sort(Comparator.comparing(RelayStatus.Client::group).thenComparing(RelayStatus.Client::address));
        Map<String, Long> totals = new LinkedHashMap<>();
        totals.put("clients_now", (long) out.size());
        totals.put("clients_served", clients.get());
        totals.put("slow_clients", slowClients.get());
        totals.put("budget_cuts", budgetCuts.get());
        totals.put("queued_bytes", budget.queued());
        totals.put("datagrams", datagrams.get());
        totals.put("bytes", bytes.get());
        long refusedAll = 0;
        for (int i = 0; i < refused.length(); i++) {
            refusedAll += refused.get(i);
        }
        totals.put("refused", refusedAll);
        return new RelayStatus(out, totals);
    }

    /** Every {@link HttpRelayCounter}, zeros included. */
    void recordInto(CounterRecorder out) {
        out.record(HttpRelayCounter.CLIENTS, clients.get());
        for (RefusalKind k : RefusalKind.values()) {
            out.record(HttpRelayCounter.REFUSED, refused.get(k.ordinal()), k.keyword());
        }
        out.record(HttpRelayCounter.SLOW_CLIENTS, slowClients.get());
        out.record(HttpRelayCounter.BUDGET_CUTS, budgetCuts.get());
        out.record(HttpRelayCounter.RELOAD_CUTS, reloadCuts.get());
        out.record(HttpRelayCounter.ACCEPT_FAILURES, acceptFailures.get());
        out.record(HttpRelayCounter.DATAGRAMS, datagrams.get());
        out.record(HttpRelayCounter.BYTES, bytes.get());
        long rtp = closedRtpDrops.get();
        long slow = closedSlowDrops.get();
        for (RelayClient c : live) {
            rtp += c.rtpDrops.get();
            slow += c.slowDrops.get();
        }
        out.record(HttpRelayCounter.DROPS, rtp, "rtp-invalid");
        out.record(HttpRelayCounter.DROPS, slow, "slow-client");
    }
}
