package dev.mcgate.igmp;

import dev.mcgate.config.IgmpSettings;
import dev.mcgate.config.QuerierAdoption;
import dev.mcgate.net.IpAddress;
import dev.mcgate.time.Scheduler;
import java.time.Duration;
import java.util.Optional;

/**
 * Querier election on one interface (RFC 9776 §6.6.2, RFC 9777 §7.6.2): a router starts as querier; a query from a router with a
 * lower address makes it a non-querier for the Other Querier Present Interval, after which it takes the role back.
 * MLD routers compare their link-local addresses. A query from 0.0.0.0 or :: (a snooping switch's) never wins. While not querier it adopts the querier's Robustness
 * Variable and Query Interval from QRV and QQIC (§4.1.6, §4.1.7; a zero field means "use your own").
 *
 * <p>The role is not handed over in the middle of last-member queries: a winning query heard while they run is
 * remembered and acted on when they end, with the Other Querier Present timer counted from when it was heard.
 */
final class QuerierElection {

    /** Told when the role changes. */
    interface RoleListener {
        void becameQuerier();

        void becameNonQuerier();
    }

    /** A winning query heard while last-member queries ran. */
    private record Pending(IpAddress from, Query query, long heardNanos) {}

    private final IpAddress own;
    private IgmpSettings configured;
    private final Scheduler scheduler;
    private final RoleListener listener;
    private final RfcTimer otherQuerierPresent;
    private boolean querier = true;
    private IpAddress querierAddress;
    private IgmpSettings inForce;
    private Pending pending;

    QuerierElection(IpAddress own, IgmpSettings configured, Scheduler scheduler, RoleListener listener) {
        this.own = own;
        this.configured = configured;
        this.scheduler = scheduler;
        this.listener = listener;
        this.querierAddress = own;
        this.inForce = configured;
        this.otherQuerierPresent = new RfcTimer(scheduler, this::otherQuerierGone);
    }

    boolean isQuerier() {
        return querier;
    }

    IpAddress querierAddress() {
        return querierAddress;
    }

    IgmpSettings settings() {
        return inForce;
    }

    Duration otherQuerierPresentRemaining() {
        return otherQuerierPresent.remaining();
    }

    /** A winning query is waiting for last-member queries to end. */
    boolean handoverPending() {
        return pending != null;
    }

    /** True if a query from {@code from} beats this router: lower address, never the unspecified one. */
    boolean wins(IpAddress from) {
        return !from.isUnspecified() && (own.isUnspecified() || from.compareTo(own) < 0);
    }

    /**
     * A query was heard from another router.
     *
     * @param lastMemberQueriesRunning whether this router is in the middle of last-member queries
     */
    void queryHeard(IpAddress from, Query query, boolean lastMemberQueriesRunning) {
        if (!wins(from)) {
            return;
        }
        if (querier && lastMemberQueriesRunning) {
            pending = new Pending(from, query, scheduler.nanoTime());
            return;
        }
        yieldTo(from, query, Duration.ZERO);
    }

    /** Last-member queries ended: a remembered handover happens now. */
    void lastMemberQueriesDone() {
        if (pending != null) {
            Pending p = pending;
            pending = null;
            yieldTo(p.from(), p.query(), Duration.ofNanos(scheduler.nanoTime() - p.heardNanos()));
        }
    }

    /**
     * New configured parameters (reload): in force at once while this router is querier; while another router is,
     * the QRV and QQI adopted from its queries stay (RFC 3376 §4.1.6, §4.1.7), within the new caps, and the rest is
     * taken from the new ones.
     */
    void reconfigure(IgmpSettings settings) {
        configured = settings;
        QuerierAdoption caps = settings.adoption();
        inForce = querier
                ? settings
                : new IgmpSettings(
                        settings.version(),
                        caps.robustness(inForce.robustness(), settings.robustness()),
                        caps.queryInterval((int) inForce.queryInterval().toSeconds(), settings.queryInterval()),
                        settings.queryResponseInterval(),
                        settings.lastMemberQueryInterval(),
                        settings.lastMemberQueryCount(),
                        settings.startupQueryInterval(),
                        settings.startupQueryCount(),
                        caps);
    }

    void stop() {
        otherQuerierPresent.stop();
        pending = null;
    }

    private void yieldTo(IpAddress from, Query query, Duration alreadyElapsed) {
        IgmpSettings adopted = adopt(query);
        inForce = adopted;
        querierAddress = from;
        // §6.6.2: "set its Other-Querier-Present timer to Other Querier Present Interval".
        Duration oqpi = adopted.otherQuerierPresentInterval().minus(alreadyElapsed);
        otherQuerierPresent.set(oqpi.isNegative() ? Duration.ZERO : oqpi);
        if (querier) {
            querier = false;
            listener.becameNonQuerier();
        }
    }

    private void otherQuerierGone() {
        querier = true;
        querierAddress = own;
        inForce = configured;
        listener.becameQuerier();
    }

    /**
     * QRV and QQI of a v3 query, where non-zero and up to the configured {@link QuerierAdoption} caps, replace the
     * configured Robustness Variable and Query Interval.
     */
    private IgmpSettings adopt(Query query) {
        if (query.generation() != 3) {
            return inForce;
        }
        // Capped: one forged query must not hold this router silent for days (see QuerierAdoption).
        QuerierAdoption caps = configured.adoption();
        int robustness = caps.robustness(query.robustness(), configured.robustness());
        Duration interval = caps.queryInterval(query.queryIntervalSeconds(), configured.queryInterval());
        return new IgmpSettings(
                configured.version(),
                robustness,
                interval,
                configured.queryResponseInterval(),
                configured.lastMemberQueryInterval(),
                configured.lastMemberQueryCount(),
                configured.startupQueryInterval(),
                configured.startupQueryCount(),
                caps);
    }

    Optional<IpAddress> otherQuerier() {
        return querier ? Optional.empty() : Optional.of(querierAddress);
    }
}
