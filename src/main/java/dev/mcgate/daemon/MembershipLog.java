package dev.mcgate.daemon;

import dev.mcgate.igmp.MembershipListener;
import dev.mcgate.igmp.QuerierListener;
import dev.mcgate.net.Ip4;
import dev.mcgate.net.Subscription;
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
 * Loop thread only.
 */
final class MembershipLog implements MembershipListener, QuerierListener {

    private static final Logger LOG = LoggerFactory.getLogger(MembershipLog.class);

    private final MembershipListener next;
    private final QuerierListener nextQuerier;
    private final Map<String, Subscription> last = new HashMap<>();

    MembershipLog(MembershipListener next, QuerierListener nextQuerier) {
        this.next = next;
        this.nextQuerier = nextQuerier;
    }

    @Override
    public void subscriptionChanged(String interfaceName, Ip4 group, Subscription now) {
        String key = interfaceName + " " + group;
        Subscription was = now.isNone() ? last.remove(key) : last.put(key, now);
        LOG.info("{}: group {} {} (was {})", interfaceName, group, now, was == null ? Subscription.NONE : was);
        next.subscriptionChanged(interfaceName, group, now);
    }

    @Override
    public void querierChanged(String interfaceName, Ip4 querier, boolean thisRouter) {
        LOG.info("{}: querier {} ({})", interfaceName, querier, thisRouter ? "this router" : "other router");
        nextQuerier.querierChanged(interfaceName, querier, thisRouter);
    }
}
