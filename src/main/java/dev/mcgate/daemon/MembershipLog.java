package dev.mcgate.daemon;

import dev.mcgate.igmp.MembershipListener;
import dev.mcgate.igmp.QuerierListener;
import dev.mcgate.logging.ChangeLogBudget;
import dev.mcgate.logging.RateLimitedLog;
import dev.mcgate.logging.RateLimiter;
import dev.mcgate.net.IpAddress;
import dev.mcgate.net.Subscription;
import dev.mcgate.time.Scheduler;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs every membership and querier change at INFO in one stable form, then passes them on (memberships to the
 * proxy, querier changes to the forwarding plane):
 *
 * <pre>
 * down1: group 239.1.1.1 EX{} (was IN{})
 * down1: querier 198.51.100.1 (this router)
 * </pre>
 *
 * When many change at once (thousands of hosts answering), only the first {@link ChangeLogBudget#LINES_PER_SECOND}
 * changes of an interface in a second are logged at INFO; the others at DEBUG, in the same form, and one INFO line
 * sums them up when the second ends ({@code down1: 1500 groups joined, 3 left, 0 changed in the last second ...}).
 * Querier changes are logged at most {@link #QUERIER_LINES_BURST} at once per interface, then one a minute: each
 * forged query that wins the election makes two (the takeover, and the role coming back when it times out).
 *
 * <p>Loop thread only.
 */
final class MembershipLog implements MembershipListener, QuerierListener {

    private static final Logger LOG = LoggerFactory.getLogger(MembershipLog.class);
    /** Querier lines of one interface logged at once; then one a minute, the next saying how many were held back. */
    static final int QUERIER_LINES_BURST = 5;

    private final MembershipListener next;
    private final QuerierListener nextQuerier;
    private final Map<String, Subscription> last = new HashMap<>();
    private final Map<String, ChangeLogBudget> budgets = new HashMap<>();
    private final Map<String, RateLimitedLog> querierLines = new HashMap<>();
    private final Scheduler scheduler;

    MembershipLog(MembershipListener next, QuerierListener nextQuerier, Scheduler scheduler) {
        this.next = next;
        this.nextQuerier = nextQuerier;
        this.scheduler = scheduler;
    }

    @Override
    public void subscriptionChanged(String interfaceName, IpAddress group, Subscription now) {
        String key = interfaceName + " " + group;
        Subscription was = now.isNone() ? last.remove(key) : last.put(key, now);
        Subscription before = was == null ? Subscription.NONE : was;
        ChangeLogBudget budget = budgets.computeIfAbsent(interfaceName, n -> new ChangeLogBudget());
        boolean hadSuppressed = budget.hasSuppressed();
        if (budget.admit(scheduler.nanoTime(), before.isNone() && !now.isNone(), now.isNone())) {
            LOG.info("{}: group {} {} (was {})", interfaceName, group, now, before);
        } else {
            LOG.debug("{}: group {} {} (was {})", interfaceName, group, now, before);
            if (!hadSuppressed) {
                scheduler.schedule(
                        Duration.ofNanos(budget.windowEnd() - scheduler.nanoTime()),
                        () -> LOG.info("{}: {}", interfaceName, budget.summarize(scheduler.nanoTime())));
            }
        }
        next.subscriptionChanged(interfaceName, group, now);
    }

    @Override
    public void querierChanged(String interfaceName, IpAddress querier, boolean thisRouter) {
        // A host that forges a query now and then makes a change each time: a few lines, then one a minute.
        querierLines
                .computeIfAbsent(
                        interfaceName,
                        n -> new RateLimitedLog(
                                LOG, new RateLimiter(QUERIER_LINES_BURST, Duration.ofMinutes(1), scheduler::nanoTime)))
                .info(interfaceName + ": querier " + querier + " (" + (thisRouter ? "this router" : "other router")
                        + ")");
        nextQuerier.querierChanged(interfaceName, querier, thisRouter);
    }
}
