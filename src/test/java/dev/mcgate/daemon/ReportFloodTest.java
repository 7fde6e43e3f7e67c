package dev.mcgate.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mcgate.igmp.RouterCounter;
import dev.mcgate.igmp.RouterSnapshot;
import dev.mcgate.net.Ip4;
import dev.mcgate.packet.GroupRecord;
import dev.mcgate.packet.IgmpEncoder;
import dev.mcgate.packet.RecordType;
import dev.mcgate.packet.V3MembershipReport;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One LAN floods reports from spoofed senders, all captured before the loop gets to run: what passes its rate and its
 * share of the inbox reaches its router, at most max-groups of it is held, the rest is counted, and another LAN's
 * join still gets its stream.
 */
class ReportFloodTest {

    private static final Ip4 G = Ip4.parse("239.3.3.3");
    private static final Ip4 RX2 = Ip4.parse("203.0.113.10");

    @TempDir
    Path dir;

    private DaemonHarness harness(String down1) throws Exception {
        return new DaemonHarness(dir.resolve("r.conf"), """
                interface up0 {
                    role upstream
                }
                interface down1 {
                    role downstream
                    %s
                }
                interface down2 {
                    role downstream
                }
                """.formatted(down1));
    }

    /** {@code n} reports of one new group each, from n spoofed senders, captured but not yet run. */
    private static void flood(DaemonHarness h, int n) {
        for (int i = 0; i < n; i++) {
            Ip4 group = new Ip4(Ip4.parse("239.10.0.0").bits() + i);
            // Spoofed, but inside down1's subnet: off-subnet senders are dropped earlier, by the input rules.
            Ip4 sender = new Ip4(Ip4.parse("198.51.100.2").bits() + i % 250);
            V3MembershipReport r = new V3MembershipReport(
                    List.of(new GroupRecord(RecordType.CHANGE_TO_EXCLUDE_MODE, group, List.of())));
            IgmpEncoder.v3ReportIpPackets(sender, r, 1500).forEach(p -> h.lan.inject("lan1", p));
        }
        h.lan.deliverPending();
    }

    private static Map<String, Long> admissionCounts(DaemonHarness h) {
        Map<String, Long> out = new HashMap<>();
        h.interfaces
                .admission()
                .recordInto((counter, value, labels) -> out.put(counter.metric() + " " + labels[0], value));
        return out;
    }

    private static RouterSnapshot down1(DaemonHarness h) {
        return h.interfaces.routerSnapshots().stream()
                .filter(s -> s.interfaceName().equals("down1"))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void pastTheRateMessagesAreDroppedBeforeTheLoopAndTheOtherLanStillJoins() throws Exception {
        try (DaemonHarness h = harness("igmp-rate-limit 100")) {
            flood(h, 300);
            h.settle();
            assertEquals(200, admissionCounts(h).get("igmp_rate_limited down1"));
            assertEquals(100, down1(h).groups().size());

            h.join("lan2", RX2, G);
            h.sendData(G, 1);
            assertEquals(List.of(1), h.data("lan2", G));
            assertEquals(0, admissionCounts(h).get("igmp_rate_limited down2"));
        }
    }

    @Test
    void pastItsShareOfTheInboxAndPastMaxGroupsEachIsCounted() throws Exception {
        try (DaemonHarness h = harness("igmp-rate-limit 100000\n    max-groups 500")) {
            flood(h, 2000);
            h.settle();
            // 3/4 of the 4096-event inbox shared by three interfaces.
            int share = DaemonRuntime.LOOP_INBOX * 3 / 4 / 3;
            assertEquals(2000 - share, admissionCounts(h).get("igmp_inbox_share_drops down1"));
            assertEquals(500, down1(h).groups().size());
            assertEquals(share - 500, down1(h).counters().get(RouterCounter.GROUPS_OVER_LIMIT));
        }
    }
}
