package dev.mcgate.host;

import static dev.mcgate.host.TestValues.ex;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mcgate.logging.ChangeLogBudget;
import dev.mcgate.net.Ip4;
import dev.mcgate.net.Subscription;
import dev.mcgate.time.ManualScheduler;
import dev.mcgate.time.RandomSource;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The upstream's join and leave lines: one by one up to the budget of a second, then one line sums up the rest. */
class HostJoinLogTest {

    private final ManualScheduler clock = new ManualScheduler();
    private final LinkFilter noFilter = new LinkFilter() {
        @Override
        public void join(dev.mcgate.net.MacAddress mac) {}

        @Override
        public void leave(dev.mcgate.net.MacAddress mac) {}
    };

    private static Map<Ip4, Subscription> groups(int n, Subscription each) {
        Map<Ip4, Subscription> out = new HashMap<>();
        for (int i = 0; i < n; i++) {
            out.put(new Ip4(Ip4.parse("239.20.0.0").bits() + i), each);
        }
        return out;
    }

    @Test
    void aFloodOfJoinsLogsTheBudgetThenOneSummaryLine() {
        HostInterface host =
                new HostInterface("up0", HostSettings.DEFAULTS, clock, RandomSource.seeded(5), m -> {}, noFilter);
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            host.setDesired(groups(2000, ex()));
            clock.advance(Duration.ofSeconds(1));
            host.setDesired(groups(3, Subscription.NONE));
        } finally {
            System.setErr(saved);
        }
        List<String> lines = err.toString(StandardCharsets.UTF_8).lines().toList();
        int budget = ChangeLogBudget.LINES_PER_SECOND;
        assertEquals(
                budget,
                lines.stream().filter(l -> l.contains("upstream up0: joining")).count(),
                String.join("\n", lines));
        assertEquals(
                List.of("upstream up0: " + (2000 - budget) + " groups joined, 0 left, 0 changed in the last second"),
                lines.stream()
                        .filter(l -> l.contains("groups joined"))
                        .map(l -> l.substring(l.indexOf("upstream up0:"), l.indexOf(" (beyond")))
                        .toList());
        assertEquals(
                3,
                lines.stream().filter(l -> l.contains("upstream up0: leaving")).count(),
                "a new second");
    }

    @Test
    void forgedQueriesThatSwitchTheVersionOverAndOverMakeABoundedNumberOfLines() {
        HostInterface host =
                new HostInterface("up0", HostSettings.DEFAULTS, clock, RandomSource.seeded(5), m -> {}, noFilter);
        Ip4 forged = Ip4.parse("192.0.2.1");
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int switches = 0;
        try {
            // QRV 1 / QQIC 1 s, then a v1 query: IGMPv1 for 1 s + 10 s, then back; over and over for 20 minutes.
            for (int i = 0; i < 100; i++) {
                host.receiveQuery(forged, dev.mcgate.packet.V3Query.general(10, 1, 1));
                host.receiveQuery(forged, dev.mcgate.packet.V1Query.GENERAL);
                switches += host.mode() == CompatibilityMode.IGMPV1 ? 1 : 0;
                clock.advance(Duration.ofSeconds(12));
                switches += host.mode() == CompatibilityMode.IGMPV3 ? 1 : 0;
            }
        } finally {
            System.setErr(saved);
        }
        assertEquals(200, switches, "every forged pair switched the mode twice");
        List<String> lines = err.toString(StandardCharsets.UTF_8)
                .lines()
                .filter(l -> l.contains("reporting in IGMPv1") || l.contains("back to IGMPv3"))
                .toList();
        // A burst of 5, then one a minute over 1200 s.
        org.junit.jupiter.api.Assertions.assertTrue(lines.size() >= 5 && lines.size() <= 5 + 21, lines.toString());
        org.junit.jupiter.api.Assertions.assertTrue(
                lines.get(lines.size() - 1).endsWith("similar lines suppressed)"), lines.toString());
    }
}
