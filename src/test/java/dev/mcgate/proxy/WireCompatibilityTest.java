package dev.mcgate.proxy;

import static dev.mcgate.host.TestValues.ex;
import static dev.mcgate.host.TestValues.in;
import static dev.mcgate.host.TestValues.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mcgate.config.Role;
import dev.mcgate.host.LinkFilter;
import dev.mcgate.host.RecordingSender;
import dev.mcgate.net.Ip4;
import dev.mcgate.net.MacAddress;
import dev.mcgate.net.SourceSet;
import dev.mcgate.net.Subscription;
import dev.mcgate.packet.GroupRecord;
import dev.mcgate.packet.IgmpEncoder;
import dev.mcgate.packet.IgmpFrame;
import dev.mcgate.packet.IgmpMessage;
import dev.mcgate.packet.LinkType;
import dev.mcgate.packet.V2Query;
import dev.mcgate.packet.V3MembershipReport;
import dev.mcgate.packet.V3Query;
import dev.mcgate.time.ManualScheduler;
import dev.mcgate.time.RandomSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the proxy asks the sender to send survives the codec: encoded (split to the MTU) and decoded back. */
class WireCompatibilityTest {

    private static final MacAddress MAC = MacAddress.parse("02:00:00:00:00:01");
    private static final Ip4 ADDRESS = ip("192.0.2.1");

    @Test
    void everyMessageOfABusyScenarioRoundTripsThroughTheCodec() throws Exception {
        ManualScheduler clock = new ManualScheduler();
        RecordingSender up0 = new RecordingSender(clock);
        ProxyCore core = new ProxyCore(
                ProxyCoreTest.config(
                        ProxyCoreTest.iface("up0", Role.UPSTREAM), ProxyCoreTest.iface("d1", Role.DOWNSTREAM)),
                clock,
                RandomSource.seeded(3),
                s -> {});
        core.start();
        core.addUpstream("up0", up0, LinkFilter.NONE);
        // 300 groups, one with 500 sources: reports larger than one frame.
        List<Ip4> many = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            many.add(new Ip4(ip("10.1.0.0").bits() + i));
        }
        core.subscriptionChanged("d1", ip("239.0.0.1"), Subscription.include(SourceSet.of(many)));
        for (int i = 0; i < 300; i++) {
            core.subscriptionChanged("d1", new Ip4(ip("239.1.0.0").bits() + i), i % 2 == 0 ? ex() : in("10.0.0.1"));
        }
        core.onUpstreamQuery("up0", ip("192.0.2.254"), V3Query.general(100, 2, 125));
        clock.advance(Duration.ofSeconds(20));
        core.onUpstreamQuery("up0", ip("192.0.2.254"), new V2Query(Ip4.ANY, 100));
        clock.advance(Duration.ofSeconds(20));
        core.subscriptionChanged("d1", ip("239.1.0.0"), Subscription.NONE);
        core.stop();

        int frames = 0;
        for (IgmpMessage m : up0.messages()) {
            if (m instanceof V3MembershipReport report) {
                List<GroupRecord> decoded = new ArrayList<>();
                for (byte[] frame : IgmpEncoder.v3ReportEthernetFrames(MAC, ADDRESS, report, 1500)) {
                    frames++;
                    decoded.addAll(((V3MembershipReport) IgmpFrame.decode(frame, frame.length, LinkType.ETHERNET)
                                    .packet()
                                    .message())
                            .records());
                }
                assertEquals(sources(report.records()), sources(decoded));
            } else {
                byte[] frame = IgmpEncoder.ethernetFrame(MAC, ADDRESS, m);
                frames++;
                assertEquals(
                        m,
                        IgmpFrame.decode(frame, frame.length, LinkType.ETHERNET)
                                .packet()
                                .message());
            }
        }
        assertEquals(true, frames > up0.count(), "some reports needed several frames");
    }

    /** Records may be split across frames: compare the (type, group, source) triples. */
    private static List<String> sources(List<GroupRecord> records) {
        List<String> out = new ArrayList<>();
        for (GroupRecord r : records) {
            if (r.sources().isEmpty()) {
                out.add(r.type() + " " + r.group());
            }
            for (Ip4 s : r.sources()) {
                out.add(r.type() + " " + r.group() + " " + s);
            }
        }
        out.sort(null);
        return out;
    }
}
