package dev.mcgate.io.nft;

import dev.mcgate.forward.KernelRoute;
import dev.mcgate.forward.OffloadPlan;
import dev.mcgate.net.Ip4;
import dev.mcgate.net.Ip4Prefix;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * The libpcap expression of the data frames the kernel forwards on one arrival interface, so that its capture can
 * leave them out in the kernel: an AF_PACKET tap sees every frame before the netdev ingress hook, and without this
 * each offloaded packet would still be copied to user space (only to be skipped there).
 *
 * <p>Exactly {@link OffloadPlan#covers}: the sources handed back to user space and the exception sources stay in. A
 * plan with more routes than a capture filter should carry gives no expression: then the capture stays wide and the
 * user-space forwarder skips the kernel's flows by itself.
 */
public final class CaptureExclusion {

    /**
     * Beyond this many routes on one arrival the filter is not made. It costs two or three BPF instructions per route
     * (classic BPF allows 4096), run by the kernel on every frame up to the first match: at 512 routes a few hundred
     * nanoseconds at worst, against the several microseconds a frame copied to user space and skipped there costs. 64
     * (as before) left the bench's 100-group points in user space.
     */
    public static final int MAX_ROUTES = 512;

    private CaptureExclusion() {}

    /** The frames to leave out, or empty: nothing to leave out, or too much to say in one filter. */
    public static Optional<String> of(OffloadPlan plan, String arrival) {
        List<KernelRoute> routes = plan.routesOf(arrival);
        List<KernelRoute> forwarding =
                routes.stream().filter(r -> !r.egress().isEmpty()).toList();
        if (forwarding.isEmpty() || forwarding.size() > MAX_ROUTES) {
            return Optional.empty();
        }
        StringJoiner terms = new StringJoiner(" or ");
        for (KernelRoute r : forwarding) {
            if (r.source().isPresent()) {
                terms.add(
                        "(dst host " + r.group() + " and src host " + r.source().get() + ")");
            } else {
                List<Ip4> exceptions = new ArrayList<>();
                for (KernelRoute other : routes) {
                    if (other.group().equals(r.group()) && other.source().isPresent()) {
                        // An (S,G) route of its own or an exception: either way not this (*,G) route's.
                        exceptions.add(other.source().get());
                    }
                }
                terms.add(
                        exceptions.isEmpty()
                                ? "dst host " + r.group()
                                : "(dst host " + r.group() + " and not (" + hosts(exceptions) + "))");
            }
        }
        List<Ip4Prefix> handedBack = plan.userSpaceSources().getOrDefault(arrival, List.of());
        String covered = "(" + terms + ")";
        if (!handedBack.isEmpty()) {
            StringJoiner nets = new StringJoiner(" or ");
            handedBack.forEach(p -> nets.add("src net " + p));
            covered = "(not (" + nets + ") and " + covered + ")";
        }
        return Optional.of(covered);
    }

    private static String hosts(List<Ip4> sources) {
        StringJoiner out = new StringJoiner(" or ");
        sources.forEach(s -> out.add("src host " + s));
        return out.toString();
    }
}
