package dev.mcgate.igmp;

import dev.mcgate.config.IgmpSettings;
import dev.mcgate.config.MembershipLimits;
import dev.mcgate.net.Ip4;
import dev.mcgate.net.SourceSet;
import dev.mcgate.net.Subscription;
import dev.mcgate.packet.GroupRecord;
import dev.mcgate.packet.IgmpMessage;
import dev.mcgate.packet.MembershipQuery;
import dev.mcgate.packet.RecordType;
import dev.mcgate.packet.V1Query;
import dev.mcgate.packet.V2Query;
import dev.mcgate.packet.V3MembershipReport;
import dev.mcgate.packet.V3Query;
import dev.mcgate.time.ManualScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** One RouterInterface on a ManualScheduler, with what it sent and what it published recorded as text. */
final class Harness {

    static final Ip4 OWN = Ip4.parse("10.0.0.5");
    static final Ip4 G = Ip4.parse("239.1.2.3");
    static final Ip4 HOST1 = Ip4.parse("10.0.0.21");
    static final Ip4 HOST2 = Ip4.parse("10.0.0.22");

    /** RFC 3376 §8 defaults: GMI 260 s, OQPI 255 s, LMQI 1 s, LMQC 2 (LMQT 2 s), SQI 31.25 s, SQC 2. */
    static final IgmpSettings V3 = IgmpSettings.RFC_DEFAULTS;

    static final Duration GMI = V3.groupMembershipInterval();
    static final Duration LMQT = V3.lastMemberQueryTime();

    final ManualScheduler clock = new ManualScheduler();
    final List<IgmpMessage> sent = new ArrayList<>();
    final List<String> published = new ArrayList<>();
    final RouterInterface router;

    Harness() {
        this(V3, false);
    }

    Harness(IgmpSettings settings, boolean fastLeave) {
        this(OWN, settings, fastLeave);
    }

    Harness(Ip4 own, IgmpSettings settings, boolean fastLeave) {
        this(own, settings, fastLeave, MembershipLimits.DEFAULTS);
    }

    Harness(IgmpSettings settings, boolean fastLeave, MembershipLimits limits) {
        this(OWN, settings, fastLeave, limits);
    }

    Harness(Ip4 own, IgmpSettings settings, boolean fastLeave, MembershipLimits limits) {
        router = new RouterInterface(
                "down1",
                own,
                settings,
                fastLeave,
                limits,
                clock,
                QueryOutput.igmp(sent::add),
                (ifName, group, now) -> published.add(ifName + " " + group + " " + now),
                QuerierListener.NONE);
    }

    static IgmpSettings version(int version) {
        IgmpSettings d = IgmpSettings.RFC_DEFAULTS;
        return new IgmpSettings(
                version,
                d.robustness(),
                d.queryInterval(),
                d.queryResponseInterval(),
                d.lastMemberQueryInterval(),
                d.lastMemberQueryCount(),
                d.startupQueryInterval(),
                d.startupQueryCount(),
                d.adoption());
    }

    /** The RFC defaults with other adoption caps ({@code max-adopted-robustness}, {@code max-adopted-query-interval}). */
    static IgmpSettings adoptingAtMost(int robustness, Duration queryInterval) {
        IgmpSettings d = IgmpSettings.RFC_DEFAULTS;
        return new IgmpSettings(
                d.version(),
                d.robustness(),
                d.queryInterval(),
                d.queryResponseInterval(),
                d.lastMemberQueryInterval(),
                d.lastMemberQueryCount(),
                d.startupQueryInterval(),
                d.startupQueryCount(),
                new dev.mcgate.config.QuerierAdoption(robustness, queryInterval));
    }

    /** Starts the router and forgets its first startup query. */
    Harness started() {
        router.start();
        sent.clear();
        return this;
    }

    void advance(Duration d) {
        clock.advance(d);
    }

    void advanceSeconds(double s) {
        clock.advance(Duration.ofMillis(Math.round(s * 1000)));
    }

    void report(Ip4 from, RecordType type, Ip4 group, SourceSet sources) {
        router.receive(from, new V3MembershipReport(List.of(new GroupRecord(type, group, sources))));
    }

    void report(RecordType type, SourceSet sources) {
        report(HOST1, type, G, sources);
    }

    void receive(Ip4 from, IgmpMessage message) {
        router.receive(from, message);
    }

    RouterSnapshot.Group group() {
        return router.snapshot().group(G).orElseThrow(() -> new AssertionError("no record for " + G));
    }

    boolean hasGroup() {
        return router.snapshot().group(G).isPresent();
    }

    Subscription subscription() {
        return router.subscription(G);
    }

    /** The queries sent since the last call, as text ("Q(G)", "Q(G,S,{a, b})", "GQ"), and forgets them. */
    List<String> takeQueries() {
        List<String> out = new ArrayList<>();
        for (IgmpMessage m : sent) {
            out.add(describe(m));
        }
        sent.clear();
        return out;
    }

    static String describe(IgmpMessage m) {
        if (m instanceof V3Query q) {
            if (q.isGeneral()) {
                return "GQ";
            }
            String s = q.suppressRouterSideProcessing() ? "S," : "";
            return q.sources().isEmpty()
                    ? "Q(G" + (s.isEmpty() ? "" : ",S") + ")"
                    : "Q(G," + s + SourceSet.of(q.sources()) + ")";
        }
        if (m instanceof V2Query q) {
            return q.isGeneral() ? "v2 GQ" : "v2 Q(G)";
        }
        if (m instanceof V1Query) {
            return "v1 GQ";
        }
        return m.toString();
    }

    static SourceSet set(int... lastOctets) {
        List<Ip4> list = new ArrayList<>();
        for (int o : lastOctets) {
            list.add(Ip4.of(192, 0, 2, o));
        }
        return SourceSet.of(list);
    }

    static Ip4 src(int lastOctet) {
        return Ip4.of(192, 0, 2, lastOctet);
    }

    static V3Query query(Ip4 group, boolean s, int qrv, int qqi, List<Ip4> sources) {
        return new V3Query(group, 10, s, qrv, qqi, sources);
    }

    static MembershipQuery generalQuery() {
        return V3Query.general(100, 2, 125);
    }
}
