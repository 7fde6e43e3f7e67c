package dev.mcgate.host;

import dev.mcgate.time.Scheduler;
import dev.mcgate.time.Timer;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The IGMPv1 and IGMPv2 Querier Present timers of one upstream interface (RFC 3376 §7.2.1; for MLD the IGMPv2 one is
 * the MLDv1 Querier Present timer of RFC 9777 §8.2.1), and the Host Compatibility Mode they give; tells its owner when the mode changes, at once on an older query and when a timer
 * expires. Loop thread only.
 */
final class QuerierPresence {

    private final Scheduler scheduler;
    private final Consumer<CompatibilityMode> onChange;
    private Timer v1QuerierPresent;
    private Timer v2QuerierPresent;
    private CompatibilityMode mode = CompatibilityMode.IGMPV3;

    QuerierPresence(Scheduler scheduler, Consumer<CompatibilityMode> onChange) {
        this.scheduler = scheduler;
        this.onChange = onChange;
    }

    /** "IGMPv1 Querier Present is set to Older Version Querier Present Timeout seconds whenever an IGMPv1 Membership Query is received." */
    void heardV1Query(Duration olderVersionQuerierPresentTimeout) {
        if (v1QuerierPresent != null) {
            v1QuerierPresent.cancel();
        }
        v1QuerierPresent = scheduler.schedule(olderVersionQuerierPresentTimeout, this::update);
        update();
    }

    /** "IGMPv2 Querier Present is set to Older Version Querier Present Timeout seconds whenever an IGMPv2 General Query is received." */
    void heardV2GeneralQuery(Duration olderVersionQuerierPresentTimeout) {
        if (v2QuerierPresent != null) {
            v2QuerierPresent.cancel();
        }
        v2QuerierPresent = scheduler.schedule(olderVersionQuerierPresentTimeout, this::update);
        update();
    }

    CompatibilityMode mode() {
        return mode;
    }

    /** When the mode would fall back to a newer version if no older query came (zero if none is pending). */
    Duration remaining() {
        Duration v1 = v1QuerierPresent == null ? Duration.ZERO : scheduler.remaining(v1QuerierPresent);
        Duration v2 = v2QuerierPresent == null ? Duration.ZERO : scheduler.remaining(v2QuerierPresent);
        return v1.compareTo(v2) >= 0 ? v1 : v2;
    }

    void cancel() {
        if (v1QuerierPresent != null) {
            v1QuerierPresent.cancel();
        }
        if (v2QuerierPresent != null) {
            v2QuerierPresent.cancel();
        }
    }

    private void update() {
        CompatibilityMode now = CompatibilityMode.of(running(v1QuerierPresent), running(v2QuerierPresent));
        if (now != mode) {
            mode = now;
            onChange.accept(now);
        }
    }

    private static boolean running(Timer t) {
        return t != null && t.isPending();
    }
}
