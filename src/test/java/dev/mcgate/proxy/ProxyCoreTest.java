package dev.mcgate.proxy;

import static dev.mcgate.host.TestValues.ex;
import static dev.mcgate.host.TestValues.in;
import static dev.mcgate.host.TestValues.ip;
import static dev.mcgate.host.TestValues.rec;
import static dev.mcgate.host.TestValues.report;
import static dev.mcgate.packet.RecordType.ALLOW_NEW_SOURCES;
import static dev.mcgate.packet.RecordType.CHANGE_TO_EXCLUDE_MODE;
import static dev.mcgate.packet.RecordType.CHANGE_TO_INCLUDE_MODE;
import static dev.mcgate.packet.RecordType.MODE_IS_EXCLUDE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.config.CaptureBuffer;
import dev.mcgate.config.GlobalConfig;
import dev.mcgate.config.IgmpSettings;
import dev.mcgate.config.InterfaceConfig;
import dev.mcgate.config.InterfaceDefaults;
import dev.mcgate.config.McgateConfig;
import dev.mcgate.config.MembershipLimits;
import dev.mcgate.config.PrefixFilter;
import dev.mcgate.config.Role;
import dev.mcgate.host.LinkFilter;
import dev.mcgate.host.RecordingSender;
import dev.mcgate.net.Ip4;
import dev.mcgate.net.IpPrefix;
import dev.mcgate.net.MacAddress;
import dev.mcgate.net.Subscription;
import dev.mcgate.packet.LeaveGroup;
import dev.mcgate.packet.V2Query;
import dev.mcgate.packet.V3Query;
import dev.mcgate.time.ManualScheduler;
import dev.mcgate.time.RandomSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The proxy core end to end on a hand-driven clock: downstream events in, upstream reports and snapshots out. */
class ProxyCoreTest {

    private static final Ip4 QUERIER = ip("192.0.2.254");
    private static final Ip4 G = ip("239.1.1.1");
    private static final String GS = "239.1.1.1";

    private final ManualScheduler clock = new ManualScheduler();
    private final RecordingSender up0 = new RecordingSender(clock);
    private final RecordingSender up1 = new RecordingSender(clock);
    private final List<MembershipSnapshot> published = new ArrayList<>();
    private final List<String> linkCalls = new ArrayList<>();

    static InterfaceConfig iface(String name, Role role) {
        return iface(name, role, PrefixFilter.ALL_GROUPS, PrefixFilter.ALL_SOURCES, List.of());
    }

    static InterfaceConfig iface(
            String name, Role role, PrefixFilter groups, PrefixFilter sources, List<String> upstreamGroups) {
        return new InterfaceConfig(
                name,
                role,
                IgmpSettings.RFC_DEFAULTS,
                IgmpSettings.MLD_DEFAULTS,
                InterfaceDefaults.BUILT_IN.families(),
                1,
                false,
                List.of(),
                groups,
                sources,
                List.of(),
                upstreamGroups.stream().map(IpPrefix::parse).toList(),
                false,
                CaptureBuffer.AUTO,
                MembershipLimits.DEFAULTS);
    }

    static McgateConfig config(InterfaceConfig... interfaces) {
        return new McgateConfig(GlobalConfig.BUILT_IN, InterfaceDefaults.BUILT_IN, List.of(interfaces));
    }

    static PrefixFilter denying(String allow, String... deny) {
        return new PrefixFilter(
                List.of(IpPrefix.parse(allow)),
                List.of(deny).stream().map(IpPrefix::parse).toList());
    }

    private ProxyCore core(McgateConfig config) {
        ProxyCore core = new ProxyCore(config, clock, RandomSource.seeded(1), published::add);
        core.start();
        return core;
    }

    private LinkFilter link(String name) {
        return new LinkFilter() {
            @Override
            public void join(MacAddress mac) {
                linkCalls.add(name + " join " + mac);
            }

            @Override
            public void leave(MacAddress mac) {
                linkCalls.add(name + " leave " + mac);
            }
        };
    }

    private ProxyCore simple() {
        ProxyCore core =
                core(config(iface("up0", Role.UPSTREAM), iface("d1", Role.DOWNSTREAM), iface("d2", Role.DOWNSTREAM)));
        core.addUpstream("up0", up0, link("up0"));
        return core;
    }

    @Test
    void mergedChangesAreAskedForUpstreamAndPublished() {
        ProxyCore core = simple();
        assertEquals(List.of(MembershipSnapshot.EMPTY), published);

        core.subscriptionChanged("d1", G, in("10.0.0.1"));
        assertEquals(List.of(report(rec(ALLOW_NEW_SOURCES, GS, "10.0.0.1"))), up0.take());

        // IN (A) + EX (B) = EX (B-A): a filter-mode change upstream.
        core.subscriptionChanged("d2", G, ex("10.0.0.1", "10.0.0.2"));
        assertEquals(List.of(report(rec(CHANGE_TO_EXCLUDE_MODE, GS, "10.0.0.2"))), up0.take());

        MembershipSnapshot s = core.snapshot();
        assertEquals(published.get(published.size() - 1), s);
        assertEquals(1, s.version(), "two changes in one loop task: one snapshot");
        assertEquals(in("10.0.0.1"), s.downstream("d1", G));
        assertEquals(ex("10.0.0.1", "10.0.0.2"), s.downstream("d2", G));
        assertEquals(
                new MembershipSnapshot.GroupEntry(ex("10.0.0.2"), Optional.of("up0"), ex("10.0.0.2")),
                s.group(G).orElseThrow());

        // d1 changes without changing the merge: a new snapshot, nothing upstream.
        core.subscriptionChanged("d1", G, in("10.0.0.1", "10.0.0.3"));
        assertEquals(List.of(), up0.take());
        assertEquals(2, core.snapshot().version());

        // d2 leaves: EX -> IN, TO_IN with what d1 still wants.
        core.subscriptionChanged("d2", G, Subscription.NONE);
        assertEquals(List.of(report(rec(CHANGE_TO_INCLUDE_MODE, GS, "10.0.0.1", "10.0.0.3"))), up0.take());
        core.subscriptionChanged("d1", G, Subscription.NONE);
        // The TO_IN is still owed one retransmission, so the leave goes out as TO_IN{} (RFC 3376 §5.1 merging).
        assertEquals(List.of(report(rec(CHANGE_TO_INCLUDE_MODE, GS))), up0.take());
        assertEquals(Map.of(), core.snapshot().groups());
        assertEquals(Map.of(), core.snapshot().downstreams());
        assertEquals(List.of("up0 join 01:00:5e:01:01:01", "up0 leave 01:00:5e:01:01:01"), linkCalls);
    }

    @Test
    void queriesFromTheUpstreamQuerierKeepTheMembershipAlive() {
        ProxyCore core = simple();
        core.subscriptionChanged("d1", G, ex());
        clock.advance(Duration.ofSeconds(10));
        up0.take();
        for (int i = 0; i < 5; i++) {
            core.onUpstreamQuery("up0", QUERIER, V3Query.general(100, 2, 125));
            clock.advance(Duration.ofSeconds(125));
            assertEquals(List.of(report(rec(MODE_IS_EXCLUDE, GS))), up0.take());
        }
        core.onUpstreamQuery("nope", QUERIER, V3Query.general(100, 2, 125)); // unknown upstream: ignored
    }

    @Test
    void downstreamFiltersApplyBeforeTheMerge() {
        ProxyCore core = core(config(
                iface("up0", Role.UPSTREAM),
                iface(
                        "d1",
                        Role.DOWNSTREAM,
                        denying("224.0.0.0/4", "239.1.0.0/16"),
                        denying("0.0.0.0/0", "10.0.0.66/32"),
                        List.of()),
                iface("d2", Role.DOWNSTREAM)));
        core.addUpstream("up0", up0, LinkFilter.NONE);

        core.subscriptionChanged("d1", G, ex());
        assertEquals(List.of(), up0.take(), "the group filter of d1 denies 239.1.0.0/16");
        assertEquals(1L, core.filterCounters().get("d1").get(InterfaceFilter.Verdict.GROUP_DENIED));

        Ip4 other = ip("239.2.2.2");
        core.subscriptionChanged("d1", other, ex());
        assertEquals(
                List.of(report(rec(CHANGE_TO_EXCLUDE_MODE, "239.2.2.2", "10.0.0.66"))),
                up0.take(),
                "d1 must not ask for its denied source");
        clock.advance(Duration.ofSeconds(10)); // the TO_EX retransmission
        up0.take();
        core.subscriptionChanged("d2", other, in("10.0.0.66"));
        assertEquals(List.of(report(rec(ALLOW_NEW_SOURCES, "239.2.2.2", "10.0.0.66"))), up0.take(), "d2 may have it");
        assertEquals(ex("10.0.0.66"), core.snapshot().downstream("d1", other));
    }

    @Test
    void theUpstreamsOwnFiltersLimitWhatIsAsked() {
        ProxyCore core = core(config(
                iface(
                        "up0",
                        Role.UPSTREAM,
                        denying("224.0.0.0/4", "239.9.0.0/16"),
                        denying("0.0.0.0/0", "10.0.0.66/32"),
                        List.of()),
                iface("d1", Role.DOWNSTREAM)));
        core.addUpstream("up0", up0, LinkFilter.NONE);
        core.subscriptionChanged("d1", ip("239.9.1.1"), ex());
        assertEquals(List.of(), up0.take());
        assertEquals(
                Subscription.NONE,
                core.snapshot().group(ip("239.9.1.1")).orElseThrow().requested());
        core.subscriptionChanged("d1", G, in("10.0.0.66", "10.0.0.1"));
        assertEquals(List.of(report(rec(ALLOW_NEW_SOURCES, GS, "10.0.0.1"))), up0.take());
    }

    @Test
    void linkLocalIsNeverAskedAndSsmExcludeIsIgnoredWhileSsmIncludeStillWorks() {
        ProxyCore core = simple();
        core.subscriptionChanged("d1", ip("224.0.0.251"), ex());
        core.subscriptionChanged("d1", ip("224.0.0.22"), ex());
        assertEquals(List.of(), up0.take());
        assertEquals(Map.of(), core.snapshot().groups());

        Ip4 ssm = ip("232.1.1.1");
        core.subscriptionChanged("d1", ssm, ex());
        assertEquals(List.of(), up0.take());
        core.subscriptionChanged("d2", ssm, in("10.0.0.5"));
        assertEquals(List.of(report(rec(ALLOW_NEW_SOURCES, "232.1.1.1", "10.0.0.5"))), up0.take());
        assertEquals(in("10.0.0.5"), core.snapshot().group(ssm).orElseThrow().merged());
        assertEquals(Subscription.NONE, core.snapshot().downstream("d1", ssm));
        assertEquals(1L, core.filterCounters().get("d1").get(InterfaceFilter.Verdict.SSM_EXCLUDE));
    }

    @Test
    void ssmExcludeJoinsOfManyGroupsAreAllCountedButWarnedAboutOnce() {
        ProxyCore core = simple();
        java.io.PrintStream saved = System.err;
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            // An IGMPv2 host joining 232/8 groups one after another: each is an EXCLUDE {} membership.
            for (int i = 0; i < 1000; i++) {
                Ip4 group = new Ip4(ip("232.9.0.0").bits() + i);
                core.subscriptionChanged("d1", group, ex());
                core.subscriptionChanged("d1", group, Subscription.NONE);
            }
        } finally {
            System.setErr(saved);
        }
        assertEquals(1000L, core.filterCounters().get("d1").get(InterfaceFilter.Verdict.SSM_EXCLUDE));
        List<String> lines = err.toString(java.nio.charset.StandardCharsets.UTF_8)
                .lines()
                .filter(l -> l.contains("ignoring an EXCLUDE-mode membership"))
                .toList();
        assertEquals(1, lines.size(), lines.toString());
    }

    @Test
    void twoUpstreamsServeTheirOwnGroupRanges() {
        ProxyCore core = core(config(
                iface("up0", Role.UPSTREAM, PrefixFilter.ALL_GROUPS, PrefixFilter.ALL_SOURCES, List.of()),
                iface("up1", Role.UPSTREAM, PrefixFilter.ALL_GROUPS, PrefixFilter.ALL_SOURCES, List.of("239.2.0.0/16")),
                iface("d1", Role.DOWNSTREAM)));
        core.addUpstream("up0", up0, link("up0"));
        core.addUpstream("up1", up1, link("up1"));

        core.subscriptionChanged("d1", ip("239.2.3.4"), ex());
        core.subscriptionChanged("d1", ip("239.1.1.1"), ex());
        core.subscriptionChanged("d1", ip("233.1.1.1"), ex());
        assertEquals(List.of(report(rec(CHANGE_TO_EXCLUDE_MODE, "239.2.3.4"))), up1.take());
        assertEquals(
                List.of(
                        report(rec(CHANGE_TO_EXCLUDE_MODE, "239.1.1.1")),
                        report(rec(CHANGE_TO_EXCLUDE_MODE, "233.1.1.1"))),
                up0.take());
        assertEquals(
                Optional.of("up1"),
                core.snapshot().group(ip("239.2.3.4")).orElseThrow().upstream());
        assertEquals(
                Optional.of("up0"),
                core.snapshot().group(ip("233.1.1.1")).orElseThrow().upstream());

        // Queries on one upstream are answered with that upstream's groups only.
        clock.advance(Duration.ofSeconds(10));
        up0.take();
        up1.take();
        core.onUpstreamQuery("up1", QUERIER, V3Query.general(100, 2, 125));
        clock.advance(Duration.ofSeconds(10));
        assertEquals(List.of(report(rec(MODE_IS_EXCLUDE, "239.2.3.4"))), up1.take());
        assertEquals(List.of(), up0.take());

        core.stop();
        assertEquals(
                List.of(report(rec(CHANGE_TO_INCLUDE_MODE, "233.1.1.1"), rec(CHANGE_TO_INCLUDE_MODE, "239.1.1.1"))),
                up0.take());
        assertEquals(List.of(report(rec(CHANGE_TO_INCLUDE_MODE, "239.2.3.4"))), up1.take());
    }

    @Test
    void anUpstreamThatAppearsLaterIsToldEverythingAtOnceAndAVanishedOneNothing() {
        ProxyCore core = core(config(iface("up0", Role.UPSTREAM), iface("d1", Role.DOWNSTREAM)));
        core.subscriptionChanged("d1", ip("239.1.1.1"), ex());
        core.subscriptionChanged("d1", ip("239.1.1.2"), in("10.0.0.1"));
        assertEquals(2, core.snapshot().groups().size(), "published even with no upstream open");

        core.addUpstream("up0", up0, LinkFilter.NONE);
        assertEquals(
                List.of(report(
                        rec(CHANGE_TO_EXCLUDE_MODE, "239.1.1.1"), rec(ALLOW_NEW_SOURCES, "239.1.1.2", "10.0.0.1"))),
                up0.take());

        core.removeUpstream("up0");
        core.subscriptionChanged("d1", ip("239.1.1.3"), ex());
        clock.advance(Duration.ofSeconds(30));
        assertEquals(List.of(), up0.take());

        assertThrows(IllegalArgumentException.class, () -> core.addUpstream("d1", up1, LinkFilter.NONE));
    }

    @Test
    void aDownstreamThatGoesAwayTakesItsMembershipsWithIt() {
        ProxyCore core = simple();
        core.subscriptionChanged("d1", G, ex());
        core.subscriptionChanged("d2", G, in("10.0.0.1"));
        up0.take();
        core.removeDownstream("d1");
        assertEquals(List.of(report(rec(CHANGE_TO_INCLUDE_MODE, GS, "10.0.0.1"))), up0.take());
        assertEquals(List.of("d2"), List.copyOf(core.snapshot().downstreams().keySet()));
    }

    @Test
    void eventsFromAnInterfaceThatIsNotDownstreamAreIgnored() {
        ProxyCore core = simple();
        core.subscriptionChanged("up0", G, ex());
        core.subscriptionChanged("unknown0", G, ex()); // unlisted interfaces are disabled by default
        assertEquals(List.of(), up0.take());
        assertEquals(2, core.ignoredEvents());
    }

    @Test
    void stopLeavesEveryGroupAndThenIgnoresEverything() {
        ProxyCore core = simple();
        core.subscriptionChanged("d1", G, ex());
        core.subscriptionChanged("d1", ip("239.1.1.2"), in("10.0.0.1"));
        clock.advance(Duration.ofSeconds(10));
        up0.take();
        core.onUpstreamQuery("up0", QUERIER, new V2Query(Ip4.ANY, 100));
        clock.advance(Duration.ofSeconds(10));
        up0.take();

        core.stop();
        assertEquals(List.of(new LeaveGroup(G), new LeaveGroup(ip("239.1.1.2"))), up0.take());
        assertEquals(
                List.of(
                        "up0 join 01:00:5e:01:01:01",
                        "up0 join 01:00:5e:01:01:02",
                        "up0 leave 01:00:5e:01:01:01",
                        "up0 leave 01:00:5e:01:01:02"),
                linkCalls);
        core.subscriptionChanged("d1", ip("239.1.1.3"), ex());
        core.onUpstreamQuery("up0", QUERIER, new V2Query(Ip4.ANY, 100));
        clock.advance(Duration.ofSeconds(600));
        assertEquals(List.of(), up0.take());
    }

    @Test
    void aReloadReassignsGroupsAndAppliesNewFilters() {
        ProxyCore core =
                core(config(iface("up0", Role.UPSTREAM), iface("up1", Role.UPSTREAM), iface("d1", Role.DOWNSTREAM)));
        core.addUpstream("up0", up0, LinkFilter.NONE);
        core.addUpstream("up1", up1, LinkFilter.NONE);
        core.subscriptionChanged("d1", ip("239.2.3.4"), ex());
        core.subscriptionChanged("d1", G, ex());
        assertEquals(2, up0.take().size());
        assertEquals(List.of(), up1.take());

        // 239.2/16 moves to up1, and d1 now denies 239.1.1.1.
        core.reconfigure(config(
                iface("up0", Role.UPSTREAM),
                iface("up1", Role.UPSTREAM, PrefixFilter.ALL_GROUPS, PrefixFilter.ALL_SOURCES, List.of("239.2.0.0/16")),
                iface(
                        "d1",
                        Role.DOWNSTREAM,
                        denying("224.0.0.0/4", "239.1.1.1/32"),
                        PrefixFilter.ALL_SOURCES,
                        List.of())));
        assertEquals(
                List.of(report(rec(CHANGE_TO_INCLUDE_MODE, "239.1.1.1"), rec(CHANGE_TO_INCLUDE_MODE, "239.2.3.4"))),
                up0.take());
        assertEquals(List.of(report(rec(CHANGE_TO_EXCLUDE_MODE, "239.2.3.4"))), up1.take());
        assertEquals(
                Optional.of("up1"),
                core.snapshot().group(ip("239.2.3.4")).orElseThrow().upstream());
        assertTrue(core.snapshot().group(G).isEmpty());

        // up1 loses its role: it leaves its groups; they go back to up0.
        core.reconfigure(config(iface("up0", Role.UPSTREAM), iface("d1", Role.DOWNSTREAM)));
        assertEquals(List.of(report(rec(CHANGE_TO_INCLUDE_MODE, "239.2.3.4"))), up1.take());
        assertEquals(
                List.of(report(rec(CHANGE_TO_EXCLUDE_MODE, "239.1.1.1"), rec(CHANGE_TO_EXCLUDE_MODE, "239.2.3.4"))),
                up0.take());
    }
}
