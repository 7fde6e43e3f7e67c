package dev.mcgate.forward;

import dev.mcgate.net.Ip4;
import java.util.List;

/**
 * The flows the user-space forwarder leaves to the kernel: those some of its plans cover. During a table change that
 * is the plan being installed together with the one installed now, so that neither side forwards a packet the other
 * may also forward (a handover costs a few packets for the few milliseconds of the nft transaction, never doubles).
 */
public final class OffloadCover {

    /** Nothing is offloaded: the user-space engines. */
    public static final OffloadCover NONE = new OffloadCover(List.of());

    private final List<OffloadPlan> plans;

    private OffloadCover(List<OffloadPlan> plans) {
        this.plans = List.copyOf(plans);
    }

    /** Covered when any of the plans covers. */
    public static OffloadCover of(OffloadPlan... plans) {
        return new OffloadCover(List.of(plans));
    }

    /** Whether the forwarder leaves (source, group) arriving on {@code arrival} to the kernel. */
    public boolean covers(String arrival, Ip4 source, Ip4 group) {
        return covers(arrival, source.bits(), group.bits());
    }

    /** Not on the per-packet path: the forwarder asks once per flow and table (its route cache). */
    boolean covers(String arrival, int source, int group) {
        if (plans.isEmpty()) {
            return false;
        }
        Ip4 s = new Ip4(source);
        Ip4 g = new Ip4(group);
        for (OffloadPlan plan : plans) {
            if (plan.covers(arrival, s, g)) {
                return true;
            }
        }
        return false;
    }
}
