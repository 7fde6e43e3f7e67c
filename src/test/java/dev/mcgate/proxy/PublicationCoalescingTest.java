package dev.mcgate.proxy;

import static dev.mcgate.host.TestValues.ex;
import static dev.mcgate.host.TestValues.in;
import static dev.mcgate.proxy.ProxyCoreTest.config;
import static dev.mcgate.proxy.ProxyCoreTest.iface;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.mcgate.config.McgateConfig;
import dev.mcgate.config.Role;
import dev.mcgate.host.LinkFilter;
import dev.mcgate.host.RecordingSender;
import dev.mcgate.net.Ip4;
import dev.mcgate.net.Subscription;
import dev.mcgate.packet.IgmpMessage;
import dev.mcgate.time.ManualScheduler;
import dev.mcgate.time.RandomSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A burst of membership changes in one loop turn is published once, and that snapshot is the one-by-one result. */
class PublicationCoalescingTest {

    private static final McgateConfig CONFIG =
            config(iface("up0", Role.UPSTREAM), iface("d1", Role.DOWNSTREAM), iface("d2", Role.DOWNSTREAM));

    /** One proxy with its clock, upstream sender and what it published. */
    private static final class Proxy {
        final ManualScheduler clock = new ManualScheduler();
        final RecordingSender up0 = new RecordingSender(clock);
        final List<MembershipSnapshot> published = new ArrayList<>();
        final ProxyCore core = new ProxyCore(CONFIG, clock, RandomSource.seeded(1), published::add);

        Proxy() {
            core.start();
            core.addUpstream("up0", up0, LinkFilter.NONE);
            clock.runDue();
        }
    }

    /** A burst with joins, source changes, mode changes and leaves on two downstreams. */
    private static List<Object[]> burst(int groups) {
        List<Object[]> out = new ArrayList<>();
        for (int i = 0; i < groups; i++) {
            Ip4 g = new Ip4(Ip4.parse("239.2.0.0").bits() + i);
            out.add(new Object[] {"d1", g, ex()});
            if (i % 3 == 0) {
                out.add(new Object[] {"d2", g, in("10.0.0." + (1 + i % 200))});
            }
            if (i % 5 == 0) {
                out.add(new Object[] {"d1", g, i % 2 == 0 ? Subscription.NONE : in("10.0.0.7")});
            }
        }
        return out;
    }

    @Test
    void aBurstInOneTurnIsPublishedOnceWhenTheLoopRunsOn() {
        Proxy p = new Proxy();
        int before = p.published.size();
        long publicationsBefore = p.core.publications();
        List<Object[]> changes = burst(500);
        for (Object[] c : changes) {
            p.core.subscriptionChanged((String) c[0], (Ip4) c[1], (Subscription) c[2]);
        }
        assertEquals(before, p.published.size(), "nothing published while the turn is still running");
        assertFalse(p.up0.take().isEmpty(), "the upstream was told at once, not at publication");

        p.clock.runDue();

        assertEquals(before + 1, p.published.size(), changes.size() + " changes in one turn: one publication");
        assertEquals(publicationsBefore + 1, p.core.publications());
        p.clock.runDue();
        assertEquals(before + 1, p.published.size(), "nothing more to publish");
    }

    @Test
    void theCoalescedSnapshotAndUpstreamReportsEqualThoseOfOneByOnePublication() {
        Proxy coalesced = new Proxy();
        Proxy oneByOne = new Proxy();
        List<Object[]> changes = burst(300);
        for (Object[] c : changes) {
            coalesced.core.subscriptionChanged((String) c[0], (Ip4) c[1], (Subscription) c[2]);
            oneByOne.core.subscriptionChanged((String) c[0], (Ip4) c[1], (Subscription) c[2]);
            oneByOne.clock.runDue();
        }
        coalesced.clock.runDue();

        MembershipSnapshot a = coalesced.published.get(coalesced.published.size() - 1);
        MembershipSnapshot b = oneByOne.published.get(oneByOne.published.size() - 1);
        assertNotEquals(a.version(), b.version(), "the one-by-one proxy published once per change");
        assertEquals(b.downstreams(), a.downstreams());
        assertEquals(b.groups(), a.groups());
        assertFalse(a.groups().isEmpty());
        List<IgmpMessage> upA = coalesced.up0.take();
        assertEquals(oneByOne.up0.take(), upA, "upstream state-change reports are not affected by coalescing");
    }

    @Test
    void readingTheSnapshotMidTurnSeesEveryChangeAndTheTurnThenPublishesNothingMore() {
        Proxy p = new Proxy();
        Ip4 g = Ip4.parse("239.3.3.3");
        p.core.subscriptionChanged("d1", g, ex());
        assertEquals(ex(), p.core.snapshot().downstream("d1", g));
        int after = p.published.size();
        p.clock.runDue();
        assertEquals(after, p.published.size());
    }
}
