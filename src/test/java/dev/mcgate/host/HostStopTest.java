package dev.mcgate.host;

import static dev.mcgate.host.TestValues.ex;
import static dev.mcgate.host.TestValues.in;
import static dev.mcgate.host.TestValues.ip;
import static dev.mcgate.host.TestValues.rec;
import static dev.mcgate.host.TestValues.report;
import static dev.mcgate.packet.RecordType.BLOCK_OLD_SOURCES;
import static dev.mcgate.packet.RecordType.CHANGE_TO_INCLUDE_MODE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mcgate.net.Ip4;
import dev.mcgate.net.MacAddress;
import dev.mcgate.net.Subscription;
import dev.mcgate.packet.LeaveGroup;
import dev.mcgate.packet.V1Query;
import dev.mcgate.packet.V2Query;
import dev.mcgate.packet.V3Query;
import dev.mcgate.time.ManualScheduler;
import dev.mcgate.time.RandomSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Leave-all on shutdown. */
class HostStopTest {

    private static final Ip4 QUERIER = ip("192.0.2.254");
    private static final Ip4 G1 = ip("239.1.1.1");
    private static final Ip4 G2 = ip("239.1.1.2");
    private static final Ip4 G3 = ip("239.1.1.3");

    private final ManualScheduler clock = new ManualScheduler();
    private final RecordingSender sender = new RecordingSender(clock);
    private final List<String> link = new ArrayList<>();
    private final LinkFilter linkFilter = new LinkFilter() {
        @Override
        public void join(MacAddress mac) {
            link.add("join " + mac);
        }

        @Override
        public void leave(MacAddress mac) {
            link.add("leave " + mac);
        }
    };

    private HostInterface host() {
        HostInterface host =
                new HostInterface("up0", HostSettings.DEFAULTS, clock, RandomSource.seeded(5), sender, linkFilter);
        host.setDesired(Map.of(G1, ex(), G2, in("10.0.0.1", "10.0.0.2"), G3, ex("10.0.0.3")));
        clock.advance(Duration.ofSeconds(30));
        sender.take();
        return host;
    }

    @Test
    void v3StopSendsOneReportLeavingEveryGroupIncludingOneWhoseLeaveWasStillRetransmitting() {
        HostInterface host = host();
        host.setDesired(G3, Subscription.NONE); // TO_IN{} sent, one retransmission pending
        sender.take();
        host.receiveQuery(QUERIER, V3Query.general(100, 2, 125)); // an answer pending

        host.stop();
        assertEquals(
                List.of(report(
                        rec(CHANGE_TO_INCLUDE_MODE, "239.1.1.1"),
                        rec(BLOCK_OLD_SOURCES, "239.1.1.2", "10.0.0.1", "10.0.0.2"),
                        rec(CHANGE_TO_INCLUDE_MODE, "239.1.1.3"))),
                sender.take());
        assertEquals(
                Set.of("leave 01:00:5e:01:01:01", "leave 01:00:5e:01:01:02", "leave 01:00:5e:01:01:03"),
                Set.copyOf(link.subList(3, link.size())));
        assertEquals(6, link.size());

        // Nothing afterwards: no timer, no answer, no new state.
        host.setDesired(G1, ex());
        host.receiveQuery(QUERIER, V3Query.general(100, 2, 125));
        clock.advance(Duration.ofSeconds(600));
        assertEquals(List.of(), sender.take());
        assertEquals(0, clock.pendingCount());
        assertEquals(Map.of(), host.states());
    }

    @Test
    void v2StopSendsALeavePerGroup() {
        HostInterface host = host();
        host.receiveQuery(QUERIER, new V2Query(Ip4.ANY, 100));
        host.stop();
        assertEquals(List.of(new LeaveGroup(G1), new LeaveGroup(G2), new LeaveGroup(G3)), sender.take());
        assertEquals(0, clock.pendingCount());
    }

    @Test
    void v1StopSendsNothingButClearsTheLinkFilter() {
        HostInterface host = host();
        host.receiveQuery(QUERIER, V1Query.GENERAL);
        host.stop();
        assertEquals(List.of(), sender.take());
        assertEquals(6, link.size());
        assertEquals(Set.of(), host.linkFilterGroups());
    }

    @Test
    void discardSendsNothingAndLeavesTheLinkFilterAlone() {
        HostInterface host = host();
        host.discard();
        clock.advance(Duration.ofSeconds(600));
        assertEquals(List.of(), sender.take());
        assertEquals(3, link.size());
    }
}
