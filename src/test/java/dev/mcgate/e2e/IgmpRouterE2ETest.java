package dev.mcgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.lab.LabTopology;
import dev.mcgate.net.Ip4;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * mcgate as the IGMP router of the lab, with the receivers' kernels as hosts (receiver 1 forced to IGMPv2, receiver
 * 2 on IGMPv3): its membership log lines follow joins within one Query Response Interval and leaves within Last
 * Member Query Time + 1 s; it opens the downstream multicast filters for 224.0.0.22 and 224.0.0.2 and restores them on
 * stop; and two mcgates on one LAN elect one querier, the other taking over after the Other Querier Present Interval.
 */
@EndToEnd
class IgmpRouterE2ETest {

    private static final long START_MS = 20_000;
    private static final Duration QUERY_RESPONSE_INTERVAL = Duration.ofSeconds(1);
    /** LMQI 300 ms x LMQC 2 (the robustness). */
    private static final Duration LAST_MEMBER_QUERY_TIME = Duration.ofMillis(600);

    private static final String SHORT_INTERVALS = """
            defaults {
                query-interval 2s
                query-response-interval 1s
                last-member-query-interval 300ms
            }
            """;
    private static final Ip4 SOURCE = LabTopology.SOURCE_LINK.hostAddress();
    private static final String V3_ROUTERS_MAC = "01:00:5e:00:00:16";
    private static final String ALL_ROUTERS_MAC = "01:00:5e:00:00:02";
    /** ff02::16, where MLDv2 reports go: the downstream's MLD router opens the filter for it too. */
    private static final String MLDV2_ROUTERS_MAC = "33:33:00:00:00:16";

    @Test
    void followsV2AndV3JoinsAndLeavesAndOpensTheMulticastFilterWhileRunning(@TempDir Path dir) throws Exception {
        try (TestLab lab = TestLab.up(Map.of(1, 2))) {
            String rtr = lab.topology().router();
            Path config = dir.resolve("mcgate.conf");
            Files.writeString(config, SHORT_INTERVALS + lab.topology().routerConfig());
            for (String ifName : new String[] {"down1", "down2"}) {
                String before = maddr(rtr, ifName);
                assertFalse(before.contains(V3_ROUTERS_MAC) || before.contains(ALL_ROUTERS_MAC), before);
            }

            Path log = dir.resolve("mcgate.log");
            Process mcgate = lab.startMcgate(rtr, log, "run", "-c", config.toString());
            String started = TestLab.awaitText(log, "running; stop with SIGTERM", START_MS);
            assertTrue(started.contains("down1: querier 198.51.100.1 (this router)"), started);
            for (String ifName : new String[] {"down1", "down2"}) {
                String running = maddr(rtr, ifName);
                assertTrue(running.contains(V3_ROUTERS_MAC) && running.contains(ALL_ROUTERS_MAC), running);
                assertTrue(running.contains(MLDV2_ROUTERS_MAC), running);
            }
            assertFalse(maddr(rtr, "up0").contains(V3_ROUTERS_MAC), "upstream filters are not the router's");

            Ip4 anySource1 = Ip4.parse("239.1.1.1");
            Ip4 anySource2 = Ip4.parse("239.2.2.2");
            Ip4 ssm = Ip4.parse("232.1.1.1");

            // IGMPv2 host: a v2 report (IS_EX{}), then a leave (TO_IN{}) answered by last-member queries.
            long joinV2 = measure(
                    () -> lab.join(1, anySource1, 5001, Optional.empty()),
                    log,
                    "down1: group 239.1.1.1 EX{} (was IN{})",
                    QUERY_RESPONSE_INTERVAL);
            // IGMPv3 host: any-source join (TO_EX{}) and a source-specific one (ALLOW{S}).
            TestLab.Membership[] v3 = new TestLab.Membership[2];
            long joinV3 = measure(
                    () -> v3[0] = lab.join(2, anySource2, 5002, Optional.empty()),
                    log,
                    "down2: group 239.2.2.2 EX{} (was IN{})",
                    QUERY_RESPONSE_INTERVAL);
            long joinSsm = measure(
                    () -> v3[1] = lab.join(2, ssm, 5003, Optional.of(SOURCE)),
                    log,
                    "down2: group 232.1.1.1 IN{" + SOURCE + "} (was IN{})",
                    QUERY_RESPONSE_INTERVAL);

            // Memberships survive general queries: after two Query Intervals nothing was pruned.
            Thread.sleep(4_500);
            String steady = Files.readString(log);
            assertFalse(steady.contains("(was EX{})") || steady.contains("(was IN{" + SOURCE + "})"), steady);

            Duration pruneBound = LAST_MEMBER_QUERY_TIME.plusSeconds(1);
            long leaveSsm =
                    measure(v3[1]::close, log, "down2: group 232.1.1.1 IN{} (was IN{" + SOURCE + "})", pruneBound);
            long leaveV3 = measure(v3[0]::close, log, "down2: group 239.2.2.2 IN{} (was EX{})", pruneBound);
            TestLab.Membership v2 = lab.join(1, Ip4.parse("239.1.1.9"), 5004, Optional.empty());
            TestLab.awaitText(log, "down1: group 239.1.1.9 EX{} (was IN{})", 2_000);
            long leaveV2 = measure(v2::close, log, "down1: group 239.1.1.9 IN{} (was EX{})", pruneBound);
            System.out.printf(
                    "IGMP e2e: join v2 %d ms, join v3 %d ms, join v3 SSM %d ms; leave v3 SSM %d ms, "
                            + "leave v3 %d ms, leave v2 %d ms%n",
                    joinV2, joinV3, joinSsm, leaveSsm, leaveV3, leaveV2);

            mcgate.destroy(); // SIGTERM
            assertTrue(mcgate.waitFor(10, TimeUnit.SECONDS), "mcgate did not stop within 10 s of SIGTERM");
            String all = Files.readString(log);
            assertEquals(0, mcgate.exitValue(), all);
            // Stopping withdraws what is still joined (239.1.1.1 on down1).
            assertTrue(all.contains("down1: group 239.1.1.1 IN{} (was EX{})"), all);
            assertFalse(all.contains("Exception"), all);
            for (String ifName : new String[] {"down1", "down2"}) {
                String after = maddr(rtr, ifName);
                assertFalse(after.contains(V3_ROUTERS_MAC) || after.contains(ALL_ROUTERS_MAC), after);
                assertFalse(after.contains(MLDV2_ROUTERS_MAC), after);
            }
        }
    }

    @Test
    void twoRoutersOnOneLanElectOneQuerierAndTheOtherTakesOverWhenItStops(@TempDir Path dir) throws Exception {
        try (TestLab lab = TestLab.up()) {
            // A second router in receiver 1's namespace, on the same LAN as down1, with a higher address
            // (198.51.100.10 > .1) and a long query interval of its own: it must adopt the querier's QQIC (2 s), so
            // its Other Querier Present Interval is 2 x 2 + 1 / 2 = 4.5 s rather than 2 x 10 + 0.5 = 20.5 s.
            Path otherConfig = dir.resolve("other.conf");
            Files.writeString(otherConfig, """
                    defaults {
                        query-interval 10s
                        query-response-interval 1s
                    }
                    interface absent0 {
                        role upstream
                    }
                    interface eth0 {
                        role downstream
                    }
                    """);
            Path otherLog = dir.resolve("other.log");
            lab.startMcgate(lab.topology().receiver(1), otherLog, "run", "-c", otherConfig.toString());
            TestLab.awaitText(otherLog, "eth0: querier 198.51.100.10 (this router)", START_MS);

            Path config = dir.resolve("mcgate.conf");
            Files.writeString(config, SHORT_INTERVALS + lab.topology().routerConfig());
            Path log = dir.resolve("mcgate.log");
            Process mcgate = lab.startMcgate(lab.topology().router(), log, "run", "-c", config.toString());
            TestLab.awaitText(log, "running; stop with SIGTERM", START_MS);
            TestLab.awaitText(otherLog, "eth0: querier 198.51.100.1 (other router)", 5_000);

            Thread.sleep(3_000);
            assertFalse(
                    Files.readString(log).contains("down1: querier 198.51.100.10"), "the lower address keeps the role");
            assertEquals(1, count(Files.readString(otherLog), "eth0: querier 198.51.100.10 (this router)"));

            long stopped = System.nanoTime();
            mcgate.destroy();
            assertTrue(mcgate.waitFor(10, TimeUnit.SECONDS));
            awaitCount(otherLog, "eth0: querier 198.51.100.10 (this router)", 2, 15_000);
            long takeoverMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopped);
            System.out.printf("IGMP e2e: querier takeover %d ms after the querier was stopped%n", takeoverMs);
            // The last query was heard at most one Query Interval (2 s) before the stop: takeover 2.5..4.5 s after.
            assertTrue(takeoverMs <= 4_500 + 500, "takeover after " + takeoverMs + " ms, OQPI is 4.5 s");
            assertTrue(takeoverMs >= 2_000, "took over after only " + takeoverMs + " ms");
        }
    }

    @FunctionalInterface
    private interface Action {
        void run() throws Exception;
    }

    /** Runs an action and waits for a log line; returns the milliseconds in between and checks the bound. */
    private static long measure(Action action, Path log, String line, Duration bound) throws Exception {
        long start = System.nanoTime();
        action.run();
        TestLab.awaitText(log, line, bound.toMillis() + 3_000);
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(ms <= bound.toMillis(), "'" + line + "' took " + ms + " ms, more than " + bound.toMillis() + " ms");
        return ms;
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int at = text.indexOf(what); at >= 0; at = text.indexOf(what, at + 1)) {
            n++;
        }
        return n;
    }

    private static void awaitCount(Path file, String text, int n, long timeoutMs) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (System.nanoTime() < deadline) {
            if (count(Files.readString(file), text) >= n) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError(
                "'" + text + "' did not appear " + n + " times in " + file + ":\n" + Files.readString(file));
    }

    /** {@code ip maddr show dev IF} in a namespace. */
    private static String maddr(String ns, String ifName) throws Exception {
        Process p = new ProcessBuilder("ip", "-n", ns, "maddr", "show", "dev", ifName)
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
