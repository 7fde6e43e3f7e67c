package dev.mcgate.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.config.LogLevel;
import dev.mcgate.config.Role;
import dev.mcgate.control.Reloading;
import dev.mcgate.forward.ForwardingTable;
import dev.mcgate.igmp.RouterSnapshot;
import dev.mcgate.net.Ip4;
import dev.mcgate.packet.GroupRecord;
import dev.mcgate.packet.RecordType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reload applied as a difference to the whole daemon (ports, routers, proxy, forwarding table) on a simulated LAN and a
 * hand-driven clock: what is removed is withdrawn and left upstream, what is unchanged keeps forwarding, what changed
 * takes effect, and a broken file changes nothing.
 */
class ConfigReloadTest {

    private static final Ip4 G1 = Ip4.parse("239.1.1.1");
    private static final Ip4 G2 = Ip4.parse("239.2.2.2");
    private static final Ip4 RX1 = Ip4.parse("198.51.100.10");
    private static final Ip4 RX2 = Ip4.parse("203.0.113.10");

    @TempDir
    Path dir;

    private static String config(String down1, String down2, String extra) {
        return """
                log-level info
                interface up0 {
                    role upstream
                }
                interface down1 {
                    role downstream
                %s
                }
                interface down2 {
                    role downstream
                %s
                }
                %s
                """.formatted(down1, down2, extra);
    }

    private static String withoutDown1() {
        return """
                log-level info
                interface up0 {
                    role upstream
                }
                interface down2 {
                    role downstream
                }
                """;
    }

    private DaemonHarness harness() throws Exception {
        return new DaemonHarness(dir.resolve("r.conf"), config("", "", ""));
    }

    @Test
    void aRemovedDownstreamWithdrawsItsGroupsTheUpstreamHearsTheLeaveAndItsCopyStops() throws Exception {
        try (DaemonHarness h = harness()) {
            h.join("lan1", RX1, G1);
            h.join("lan1", RX1, G2);
            h.join("lan2", RX2, G2);
            h.sendData(G1, 1);
            h.sendData(G2, 1);
            assertEquals(List.of(1), h.data("lan1", G1));
            h.lan.clearLog("wan");

            h.rewrite(withoutDown1());
            Reloading.Outcome outcome = h.reload.reload();

            assertTrue(outcome.applied(), outcome.message());
            assertTrue(
                    outcome.changes().stream().anyMatch(c -> c.startsWith("down1: removed (was downstream)")),
                    outcome.changes().toString());
            List<GroupRecord> upstream = h.recordsSent("wan");
            assertTrue(
                    upstream.stream()
                            .anyMatch(r -> r.group().equals(G1)
                                    && r.type() == RecordType.CHANGE_TO_INCLUDE_MODE
                                    && r.sources().isEmpty()),
                    "G1 was wanted by down1 only: mcgate leaves it upstream; sent " + upstream);
            assertFalse(
                    upstream.stream().anyMatch(r -> r.group().equals(G2)),
                    "down2 still wants G2: nothing changes upstream for it; sent " + upstream);
            h.sendData(G1, 2);
            h.sendData(G2, 2);
            assertEquals(List.of(1), h.data("lan1", G1), "down1's copy stopped");
            assertEquals(List.of(1), h.data("lan1", G2), "down1's copy stopped");
            assertEquals(List.of(1, 2), h.data("lan2", G2), "down2 keeps its stream");
            assertEquals(
                    List.of("up0", "down2"),
                    h.interfaces.view().interfaces().stream()
                            .map(InterfaceView.InterfaceState::name)
                            .toList());
        }
    }

    @Test
    void unchangedFlowsKeepTheirEntriesAndPortsAcrossAReload() throws Exception {
        try (DaemonHarness h = harness()) {
            h.join("lan1", RX1, G1);
            ForwardingTable before = h.forwarding.forwarder().table();
            var portBefore = h.interfaces.view().interfaces().get(1);
            h.rewrite(config("", "    ttl-threshold 4", ""));

            Reloading.Outcome outcome = h.reload.reload();

            ForwardingTable after = h.forwarding.forwarder().table();
            assertTrue(outcome.applied(), outcome.message());
            assertEquals(List.of("down2: changed ttl-threshold 1 -> 4"), outcome.changes());
            assertTrue(after.generation() > before.generation(), "a new table was published");
            assertEquals(
                    List.of("down1"),
                    after.decide("up0", DaemonHarness.SOURCE, G1).egress(),
                    "the membership learnt before the reload is in the new table, with no report in between");
            assertSame(
                    portBefore.netInterface().orElseThrow(),
                    h.interfaces.view().interfaces().get(1).netInterface().orElseThrow(),
                    "down1's port was not reopened");
            h.sendData(G1, 7);
            assertEquals(List.of(7), h.data("lan1", G1));
        }
    }

    @Test
    void changedTimersAreUsedWhenEachTimerIsNextArmed() throws Exception {
        try (DaemonHarness h = harness()) {
            // Startup queries (2, 31.25 s apart) then one every 125 s; look at the steady state.
            h.advance(Duration.ofSeconds(200));
            h.lan.clearLog("lan1");
            h.advance(Duration.ofSeconds(130));
            assertEquals(1, queries(h, "lan1"), "one general query in 130 s at the 125 s interval");
            h.lan.clearLog("lan1");
            // Queries went out at 0, 31.25 s (startup), 156.25 s and 281.25 s: the next is due at 406.25 s, 76.25 s
            // from now.
            h.rewrite(config("    query-interval 20s", "", ""));

            Reloading.Outcome outcome = h.reload.reload();

            assertEquals(
                    List.of(
                            "down1: IGMP timers and fast leave take their new values at each timer's next start",
                            "down1: changed query-interval 125s -> 20s, startup-query-interval 31250ms -> 5s"),
                    outcome.changes());
            RouterSnapshot s = h.interfaces.routerSnapshots().stream()
                    .filter(r -> r.interfaceName().equals("down1"))
                    .findFirst()
                    .orElseThrow();
            assertEquals(Duration.ofSeconds(20), s.queryInterval());
            h.advance(Duration.ofSeconds(75));
            assertEquals(0, queries(h, "lan1"), "the timer armed before the reload keeps its deadline");
            h.advance(Duration.ofSeconds(2));
            assertEquals(1, queries(h, "lan1"), "the query that was due");
            h.advance(Duration.ofSeconds(20));
            assertEquals(2, queries(h, "lan1"), "re-armed with the new 20 s interval");
            h.lan.clearLog("lan2");
            h.advance(Duration.ofSeconds(100));
            assertEquals(0, queries(h, "lan2"), "down2 was not changed: still 125 s");
        }
    }

    @Test
    void aBrokenFileChangesNothingAndSaysWhereInOneLine() throws Exception {
        try (DaemonHarness h = harness()) {
            h.join("lan1", RX1, G1);
            ForwardingTable before = h.forwarding.forwarder().table();
            h.rewrite(config("    robustness 0", "", ""));

            Reloading.Outcome outcome = h.reload.reload();

            assertFalse(outcome.applied());
            assertTrue(outcome.message().contains(dir.resolve("r.conf") + ":7: "), outcome.message());
            assertFalse(outcome.message().contains("\n"), "one line");
            assertEquals(List.of(), outcome.changes());
            assertSame(before, h.forwarding.forwarder().table(), "no table was published");
            assertEquals(
                    3,
                    h.interfaces.view().interfaces().stream()
                            .filter(InterfaceView.InterfaceState::open)
                            .count());
            h.sendData(G1, 3);
            assertEquals(List.of(3), h.data("lan1", G1));

            // A later good file is applied against the configuration still running.
            h.rewrite(withoutDown1());
            assertTrue(h.reload.reload().changes().stream().anyMatch(c -> c.startsWith("down1: removed")));
        }
    }

    @Test
    void anAddedDownstreamOpensAndARemovedUpstreamLeavesItsGroups() throws Exception {
        try (DaemonHarness h = harness()) {
            h.join("lan1", RX1, G1);
            h.lan.clearLog("wan");
            // The upstream moves from up0 to down3 (a new interface in the file).
            h.rewrite("""
                    interface down3 {
                        role upstream
                    }
                    interface down1 {
                        role downstream
                    }
                    interface down2 {
                        role downstream
                    }
                    """);

            Reloading.Outcome outcome = h.reload.reload();
            h.settle(); // the new port opens on the I/O executor and comes back to the loop

            assertTrue(
                    outcome.changes().contains("down3: added (upstream)"),
                    outcome.changes().toString());
            assertTrue(outcome.changes().stream().anyMatch(c -> c.startsWith("up0: removed (was upstream)")));
            assertTrue(
                    h.recordsSent("wan").stream()
                            .anyMatch(r -> r.group().equals(G1) && r.type() == RecordType.CHANGE_TO_INCLUDE_MODE),
                    "the removed upstream left G1");
            assertTrue(h.interfaces.view().interfaces().stream()
                    .anyMatch(i -> i.name().equals("down3") && i.open()));
            assertTrue(
                    h.recordsSent("lan3").stream()
                            .anyMatch(r -> r.group().equals(G1) && r.type() == RecordType.CHANGE_TO_EXCLUDE_MODE),
                    "the new upstream joins G1 at once");
            assertEquals(
                    java.util.Optional.of("down3"),
                    h.forwarding.forwarder().table().upstreamFor(G1));
        }
    }

    @Test
    void aReloadTheLoopDoesNotTakeFailsAndChangesNothing() throws Exception {
        try (DaemonHarness h = harness()) {
            h.join("lan1", RX1, G1);
            h.lan.clearLog("wan");
            ForwardingTable tableBefore = h.forwarding.forwarder().table();
            var interfacesBefore = h.interfaces.view().interfaces();
            h.rewrite(withoutDown1());
            h.loop.refuseCalls = true;

            Reloading.Outcome outcome = h.reload.reload();
            h.settle();

            assertFalse(outcome.applied(), outcome.message());
            assertTrue(outcome.message().contains("configuration unchanged"), outcome.message());
            assertEquals(interfacesBefore, h.interfaces.view().interfaces(), "no port closed or opened");
            assertSame(tableBefore, h.forwarding.forwarder().table(), "no new forwarding table");
            assertTrue(h.recordsSent("wan").isEmpty(), "nothing withdrawn upstream");
            h.sendData(G1, 1);
            assertEquals(List.of(1), h.data("lan1", G1), "down1 still forwards");

            // The loop takes work again: the same file now applies in full, since nothing of it was taken before.
            h.loop.refuseCalls = false;
            Reloading.Outcome again = h.reload.reload();
            h.settle();
            assertTrue(again.applied(), again.message());
            assertTrue(
                    again.changes().stream().anyMatch(c -> c.startsWith("down1: removed")),
                    again.changes().toString());
        }
    }

    @Test
    void aKafkaBlockAddedOrChangedAloneIsAReloadTheRelayIsGivenAndItsPublisherIsADownstream() throws Exception {
        String kafka = "kafka {\n bootstrap-servers 127.0.0.1:9092\n kafka-publish 239.100.0.1\n}\n";
        try (DaemonHarness h = harness()) {
            h.rewrite(config("", "", kafka));
            Reloading.Outcome added = h.reload.reload();
            assertTrue(added.applied(), added.message());
            assertTrue(h.reload.running().kafka().isPresent(), "the running configuration has the block");
            assertEquals(
                    Role.DOWNSTREAM,
                    h.reload.running().interfaceFor("relay:kafka").role(),
                    "its publisher joins as a downstream");

            h.rewrite(config("", "", kafka.replace("239.100.0.1", "239.100.0.2")));
            h.reload.reload();
            assertEquals(
                    "239.100.0.2/32",
                    h.reload
                            .running()
                            .kafka()
                            .orElseThrow()
                            .publish()
                            .get(0)
                            .groups()
                            .toString(),
                    "a change of its lines alone reaches the running configuration");

            h.rewrite(config("", "", ""));
            h.reload.reload();
            assertTrue(h.reload.running().kafka().isEmpty());
        }
    }

    @Test
    void logLevelAndControlSocketChangesGoToTheirCallbacks() throws Exception {
        try (DaemonHarness h = harness()) {
            h.rewrite(config("", "", "").replace("log-level info", "log-level debug\ncontrol-socket /run/x.sock"));

            Reloading.Outcome outcome = h.reload.reload();

            assertEquals(List.of(LogLevel.DEBUG), h.logLevels);
            assertEquals(List.of(Path.of("/run/x.sock")), h.controlSockets);
            assertTrue(
                    outcome.changes().contains("log-level info -> debug"),
                    outcome.changes().toString());
            assertEquals(LogLevel.DEBUG, h.reload.running().global().logLevel());
            assertTrue(h.reload.reload().changes().isEmpty(), "the same file again changes nothing");
        }
    }

    @Test
    void settingsReadAtStartAreReportedForTheNextStartAtEveryReloadUntilThen() throws Exception {
        try (DaemonHarness h = harness()) {
            h.rewrite(config("", "", "")
                    .replace("log-level info", "log-level info\npacket-io af-packet\nmetrics-listen 127.0.0.1:9310"));

            Reloading.Outcome outcome = h.reload.reload();

            assertTrue(outcome.applied(), outcome.message());
            assertEquals(
                    List.of(
                            "packet-io pcap -> af-packet: takes effect at the next start",
                            "metrics-listen (not set) -> 127.0.0.1:9310: takes effect at the next start"),
                    outcome.changes());
            assertEquals(
                    dev.mcgate.config.PacketIoEngine.PCAP,
                    h.reload.running().global().packetIo(),
                    "the daemon still runs the engine it started with");
            assertTrue(h.reload.running().global().metricsListen().isEmpty());
            assertEquals(outcome.changes(), h.reload.reload().changes(), "said again until a restart");

            h.rewrite(config("", "", ""));
            assertTrue(h.reload.reload().changes().isEmpty(), "the file as started: nothing waits for a restart");
        }
    }

    private static long queries(DaemonHarness h, String segment) {
        return h.lan.log(segment).stream()
                .filter(p -> p.length > 24 && p[9] == 2 && (p[24] & 0xff) == 0x11)
                .count();
    }
}
