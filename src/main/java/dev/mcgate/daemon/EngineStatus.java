package dev.mcgate.daemon;

import dev.mcgate.control.DaemonSnapshot;
import dev.mcgate.forward.KernelRoute;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

/** What status shows of the packet I/O engine: its name, and with nft the kernel's routes and their counters. */
public final class EngineStatus {

    private final String keyword;
    private final KernelFastPath kernel;
    private final Optional<String> refusedAtStart;
    private final LongSupplier nanoClock;

    private EngineStatus(
            String keyword, KernelFastPath kernel, Optional<String> refusedAtStart, LongSupplier nanoClock) {
        this.keyword = keyword;
        this.kernel = kernel;
        this.refusedAtStart = refusedAtStart;
        this.nanoClock = nanoClock;
    }

    /** A user-space engine (pcap, af-packet, af-xdp). */
    public static EngineStatus userSpace(String keyword) {
        return new EngineStatus(keyword, null, Optional.empty(), System::nanoTime);
    }

    /** The nft engine: {@code kernel} if it started, else the reason it did not. */
    public static EngineStatus nft(Optional<KernelFastPath> kernel, Optional<String> refusedAtStart) {
        return new EngineStatus("nft", kernel.orElse(null), refusedAtStart, System::nanoTime);
    }

    public DaemonSnapshot.Engine engine() {
        if (kernel == null) {
            return new DaemonSnapshot.Engine(keyword, refusedAtStart, 0, 0, 0);
        }
        return new DaemonSnapshot.Engine(
                keyword,
                Optional.ofNullable(kernel.fallbackReason()),
                kernel.installed().forwardingRoutes().size(),
                kernel.transactions(),
                kernel.refusals());
    }

    /** One row per kernel route, with its rule counters. Reads them from nft: not on the loop. */
    public List<DaemonSnapshot.Flow> kernelFlows() {
        if (kernel == null) {
            return List.of();
        }
        List<DaemonSnapshot.Flow> rows = new ArrayList<>();
        for (KernelFastPath.RouteCount c :
                kernel.counters(nanoClock.getAsLong()).values()) {
            KernelRoute r = c.route();
            rows.add(new DaemonSnapshot.Flow(
                    r.source().map(Object::toString).orElse("*"),
                    r.group().toString(),
                    r.arrival(),
                    r.egress().stream().map(KernelRoute.Egress::name).toList(),
                    c.forwarded().packets(),
                    c.forwarded().bytes(),
                    0,
                    0,
                    0,
                    "kernel",
                    c.expired().packets()));
        }
        return rows;
    }
}
