package dev.mcgate.daemon;

import dev.mcgate.forward.KernelRoute;
import dev.mcgate.forward.OffloadCover;
import dev.mcgate.forward.OffloadPlan;
import dev.mcgate.io.nft.NftAvailability;
import dev.mcgate.io.nft.NftCommand;
import dev.mcgate.io.nft.NftCounters;
import dev.mcgate.io.nft.NftRuleset;
import dev.mcgate.io.nft.NftRunner;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The nft engine's control side: keeps mcgate's nft table equal to the latest {@link OffloadPlan}, one transaction
 * per change, on a thread of its own (an nft run takes milliseconds; the loop must not wait for it), and tells the
 * user-space forwarder which flows to leave alone.
 *
 * <p>The order that keeps every packet forwarded once: the forwarder skips what the plan being installed
 * <em>or</em> the plan installed now covers ({@link #cover()}), and is told again after every transaction. A new
 * route is skipped by user space before the kernel has it (a join waits the few ms of one nft run); a route the
 * kernel gives back is forwarded by user space only once the kernel has let go of it.
 *
 * <p>If the kernel or nft refuses a transaction twice (the second time from scratch), the engine falls back to
 * user-space forwarding for good: it removes its table, says why once in the log and in {@link #fallbackReason()}.
 *
 * <p>Threads: {@link #desire} and {@link #cover} on the loop; the transactions on "mcgate-nft"; {@link #counters} and
 * {@link #fallbackReason} from any thread.
 */
public final class KernelFastPath implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KernelFastPath.class);
    /** Counters are read at most this often, whoever asks (an nft run costs a few ms of CPU). */
    private static final long COUNTER_MAX_AGE_NANOS = 500_000_000L;

    private final NftRunner nft;
    private final Executor worker;
    private final AtomicReference<OffloadPlan> desired = new AtomicReference<>(OffloadPlan.EMPTY);
    private volatile OffloadPlan installed = OffloadPlan.EMPTY;
    private volatile String fallbackReason;
    private final AtomicLong transactions = new AtomicLong();
    private final AtomicLong refusals = new AtomicLong();
    private volatile Runnable afterTransaction = () -> {};
    // mcgate-nft only:
    private NftRuleset.Installed objects = NftRuleset.Installed.NOTHING;
    // Guarded by this:
    private Map<String, NftCounters.Count> lastCounters = Map.of();
    private long countersReadAt;
    private boolean countersRead;

    private KernelFastPath(NftRunner nft) {
        this(nft, Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "mcgate-nft");
            t.setDaemon(true);
            return t;
        }));
    }

    /** With the transactions run by {@code worker} (tests run them by hand). */
    KernelFastPath(NftRunner nft, Executor worker) {
        this.nft = nft;
        this.worker = worker;
    }

    /**
     * The engine if this system has what it needs (and with a leftover table of a crashed run removed), else why
     * not: the caller forwards in user space and says so.
     */
    public static Result start() {
        Optional<NftCommand> nft = NftCommand.locate();
        Optional<String> probeError = Optional.empty();
        if (nft.isPresent()) {
            try {
                nft.get().probe();
                nft.get().removeTable();
            } catch (IOException e) {
                probeError = Optional.of(e.getMessage());
            }
        }
        Optional<String> refusal = NftAvailability.engineRefusal(nft.isPresent(), probeError);
        return refusal.isPresent()
                ? new Result(Optional.empty(), refusal)
                : new Result(Optional.of(new KernelFastPath(nft.get())), Optional.empty());
    }

    /**
     * For the user-space engines: a table left by an nft run that crashed would forward beside them (every packet
     * twice), so it goes. Quiet when there is no nft or no permission: then there can be no such table of ours.
     */
    public static void removeLeftover() {
        NftCommand.locate().ifPresent(nft -> {
            try {
                nft.removeTable();
            } catch (IOException e) {
                LOG.debug("no nft table removed: {}", e.getMessage());
            }
        });
    }

    /** The engine, or the reason there is none. */
    public record Result(Optional<KernelFastPath> engine, Optional<String> refusal) {}

    /** Called on the loop after each transaction (to publish the table again with the new {@link #cover()}). */
    public void afterTransaction(Runnable action) {
        afterTransaction = action;
    }

    /** Loop thread: the kernel should carry {@code plan}; returns what the forwarder must leave alone meanwhile. */
    public OffloadCover desire(OffloadPlan plan) {
        if (fallbackReason != null) {
            return OffloadCover.NONE;
        }
        OffloadPlan before = desired.getAndSet(plan);
        if (!plan.equals(before) || !plan.equals(installed)) {
            worker.execute(this::install);
        }
        return cover();
    }

    /** What the user-space forwarder leaves to the kernel now: the desired plan and the installed one. */
    public OffloadCover cover() {
        return fallbackReason != null ? OffloadCover.NONE : OffloadCover.of(desired.get(), installed);
    }

    /** Null while the kernel forwards; after a fallback, why it does not. */
    public String fallbackReason() {
        return fallbackReason;
    }

    /** Transactions committed and refused, for status. */
    public long transactions() {
        return transactions.get();
    }

    public long refusals() {
        return refusals.get();
    }

    /** The plan the kernel carries when it is also the one wanted: no change under way. */
    public Optional<OffloadPlan> steadyPlan() {
        OffloadPlan now = installed;
        return fallbackReason == null && now.equals(desired.get()) ? Optional.of(now) : Optional.empty();
    }

    /** The plan the kernel carries now. */
    public OffloadPlan installed() {
        return installed;
    }

    /** mcgate-nft: brings the table to the latest desired plan; several changes queued make one transaction. */
    private void install() {
        OffloadPlan plan = desired.get();
        if (fallbackReason != null || plan.equals(installed)) {
            return;
        }
        NftRuleset.Script script = NftRuleset.script(plan, objects);
        try {
            nft.apply(script.text());
        } catch (IOException first) {
            refusals.incrementAndGet();
            // Someone may have flushed or deleted the table under us: start again from nothing, once.
            script = NftRuleset.script(plan, NftRuleset.Installed.NOTHING);
            try {
                nft.apply(script.text());
            } catch (IOException second) {
                refusals.incrementAndGet();
                fallBack("nft refused a transaction: " + second.getMessage());
                return;
            }
        }
        transactions.incrementAndGet();
        objects = script.installed();
        installed = plan;
        afterTransaction.run();
    }

    private void fallBack(String reason) {
        fallbackReason = reason;
        installed = OffloadPlan.EMPTY;
        try {
            nft.removeTable();
        } catch (IOException e) {
            reason += "; its table could not be removed: " + e.getMessage();
        }
        LOG.error("packet-io nft: forwarding in user space from now on: {}", reason);
        afterTransaction.run();
    }

    /** Per installed route, its counters: forwarded packets and bytes, and TTL-expired packets. */
    public record RouteCount(KernelRoute route, NftCounters.Count forwarded, NftCounters.Count expired) {}

    /** The installed routes' counters, read from nft at most every 500 ms. Any thread but the loop's. */
    public Map<KernelRoute, RouteCount> counters(long nowNanos) {
        OffloadPlan plan = installed;
        Map<String, NftCounters.Count> counts;
        synchronized (this) {
            if (!countersRead || nowNanos - countersReadAt > COUNTER_MAX_AGE_NANOS) {
                try {
                    lastCounters = NftCounters.parse(nft.listCounters());
                } catch (IOException e) {
                    lastCounters = Map.of();
                }
                countersReadAt = nowNanos;
                countersRead = true;
            }
            counts = lastCounters;
        }
        Map<KernelRoute, RouteCount> out = new LinkedHashMap<>();
        for (KernelRoute r : plan.forwardingRoutes()) {
            out.put(
                    r,
                    new RouteCount(
                            r,
                            counts.getOrDefault(NftRuleset.forwardedCounter(r), NftCounters.Count.ZERO),
                            counts.getOrDefault(NftRuleset.expiredCounter(r), NftCounters.Count.ZERO)));
        }
        return out;
    }

    /** Stops the worker and removes the table: the kernel must not forward for a daemon that is gone. */
    @Override
    public void close() {
        fallbackReason = fallbackReason == null ? "stopped" : fallbackReason;
        if (worker instanceof ExecutorService service) {
            service.shutdown();
            try {
                service.awaitTermination(15, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            nft.removeTable();
        } catch (IOException e) {
            LOG.warn("packet-io nft: cannot remove table netdev mcgate: {}", e.getMessage());
        }
    }
}
