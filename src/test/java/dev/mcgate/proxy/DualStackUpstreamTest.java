package dev.mcgate.proxy;

import static dev.mcgate.host.TestValues.in;
import static dev.mcgate.host.TestValues.ip;
import static dev.mcgate.host.TestValues.rec;
import static dev.mcgate.host.TestValues.report;
import static dev.mcgate.packet.RecordType.ALLOW_NEW_SOURCES;
import static dev.mcgate.packet.RecordType.BLOCK_OLD_SOURCES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mcgate.config.Role;
import dev.mcgate.host.HostStatus;
import dev.mcgate.host.LinkFilter;
import dev.mcgate.host.RecordingSender;
import dev.mcgate.net.Ip6;
import dev.mcgate.net.IpAddress;
import dev.mcgate.net.IpFamily;
import dev.mcgate.packet.IgmpSender;
import dev.mcgate.packet.MldMessage;
import dev.mcgate.packet.MldSender;
import dev.mcgate.packet.MldV1Query;
import dev.mcgate.packet.MldV2Query;
import dev.mcgate.packet.V2Query;
import dev.mcgate.time.ManualScheduler;
import dev.mcgate.time.RandomSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** An upstream with a host side per family: each family's groups, queries and status go to its own side. */
class DualStackUpstreamTest {

    private static final Ip6 QUERIER6 = Ip6.parse("fe80::1");

    private final ManualScheduler clock = new ManualScheduler();
    private final RecordingSender igmp = new RecordingSender(clock);
    private final List<MldMessage> mld = new ArrayList<>();

    private ProxyCore dualStack() {
        ProxyCore core = new ProxyCore(
                ProxyCoreTest.config(
                        ProxyCoreTest.iface("up0", Role.UPSTREAM), ProxyCoreTest.iface("d1", Role.DOWNSTREAM)),
                clock,
                RandomSource.seeded(1),
                s -> {});
        core.start();
        core.addUpstream(
                "up0",
                Optional.of((IgmpSender) igmp),
                Optional.of((MldSender) mld::add),
                ProxyCore.MIN_IPV6_MTU,
                LinkFilter.NONE);
        return core;
    }

    @Test
    void anIpv4GroupIsReportedWithIgmpOnlyAndStopLeavesIt() {
        ProxyCore core = dualStack();
        core.subscriptionChanged("d1", ip("239.1.1.1"), in("10.0.0.1"));
        assertEquals(List.of(report(rec(ALLOW_NEW_SOURCES, "239.1.1.1", "10.0.0.1"))), igmp.take());
        assertEquals(List.of(), mld);
        core.stop();
        assertEquals(List.of(report(rec(BLOCK_OLD_SOURCES, "239.1.1.1", "10.0.0.1"))), igmp.take());
        assertEquals(List.of(), mld, "the MLD side had nothing to leave");
    }

    @Test
    void mldQueriesReachTheIpv6SideOnly() {
        ProxyCore core = dualStack();
        core.onUpstreamQuery("up0", QUERIER6, MldV2Query.general(1000, 2, 125));
        core.onUpstreamQuery("up0", QUERIER6, new MldV1Query(Ip6.UNSPECIFIED, 1000));
        HostStatus v6 = core.upstreamStatus("up0", IpFamily.IPV6).orElseThrow();
        HostStatus v4 = core.upstreamStatus("up0", IpFamily.IPV4).orElseThrow();
        assertEquals(2, v6.queries());
        assertEquals(Optional.of((IpAddress) QUERIER6), v6.lastQuerier());
        assertEquals("MLDv1", v6.versionName());
        assertEquals(0, v4.queries());
        assertEquals("IGMPv3", v4.versionName());

        core.onUpstreamQuery("up0", ip("192.0.2.254"), new V2Query(ip("0.0.0.0"), 100));
        assertEquals("IGMPv2", core.upstreamStatus("up0").orElseThrow().versionName());
        assertEquals(
                "MLDv1", core.upstreamStatus("up0", IpFamily.IPV6).orElseThrow().versionName());
        assertEquals(
                List.of(v4.name()),
                core.upstreamStatuses(IpFamily.IPV6).stream()
                        .map(HostStatus::name)
                        .toList());
    }

    @Test
    void anIpv4OnlyUpstreamHasNoMldSide() {
        ProxyCore core = new ProxyCore(
                ProxyCoreTest.config(ProxyCoreTest.iface("up0", Role.UPSTREAM)),
                clock,
                RandomSource.seeded(1),
                s -> {});
        core.start();
        core.addUpstream("up0", igmp, LinkFilter.NONE);
        core.onUpstreamQuery("up0", QUERIER6, MldV2Query.general(1000, 2, 125));
        assertEquals(List.of(), core.upstreamStatuses(IpFamily.IPV6));
        assertEquals(1, core.upstreamStatuses().size());
        assertThrows(
                IllegalArgumentException.class,
                () -> core.addUpstream("up0", Optional.empty(), Optional.empty(), 1280, LinkFilter.NONE));
    }
}
