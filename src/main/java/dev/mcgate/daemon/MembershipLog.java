package dev.mcgate.daemon;

import dev.mcgate.igmp.MembershipListener;
import dev.mcgate.igmp.QuerierListener;
import dev.mcgate.logging.ChangeLogBudget;
import dev.mcgate.net.Ip4;
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
 *
 * <p>Loop thread only.
 */
final class MembershipLog implements MembershipListener, QuerierListener {

    private static final Logger LOG = LoggerFactory.getLogger(MembershipLog.class);

    private final MembershipListener next;
    private final QuerierListener nextQuerier;
    private final Map<String, Subscription> last = new HashMap<>();
    private final Map<String, ChangeLogBudget> budgets = new HashMap<>();
    private final Scheduler scheduler;

    MembershipLog(MembershipListener next, QuerierListener nextQuerier, Scheduler scheduler) {
        this.next = next;
        this.nextQuerier = nextQuerier;
        this.scheduler = scheduler;
    }

    @Override
    public void subscriptionChanged(String interfaceName, Ip4 group, Subscription now) {
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
    public void querierChanged(String interfaceName, Ip4 querier, boolean thisRouter) {
        LOG.info("{}: querier {} ({})", interfaceName, querier, thisRouter ? "this router" : "other router");
        nextQuerier.querierChanged(interfaceName, querier, thisRouter);
    }
}
