package dev.mcgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.cli.CommandLineTest;
import dev.mcgate.control.MiniJson;
import dev.mcgate.lab.LabTopology;
import dev.mcgate.net.Ip4;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reload (SIGHUP) and interfaces that come and go, with {@code mcgate run} in the lab's router namespace, the kernel's
 * own IGMP hosts and sequence-numbered streams. Each test prints its figures on lines starting with "figures:".
 */
@EndToEnd
class ReloadE2ETest {

    private static final long START_MS = 20_000;
    private static final int PORT = 5001;

    @TempDir
    Path dir;

    private Path config;
    private Path log;

    private void writeConfig(String down1Extra, String down2Extra, String extra) throws Exception {
        Files.writeString(config, """
                defaults {
                    query-interval 20s
                    query-response-interval 2s
                    last-member-query-interval 300ms
                    last-member-query-count 2
                }
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
                """.formatted(down1Extra, down2Extra, extra));
    }

    private Process startRouter(TestLab lab) throws Exception {
        config = dir.resolve("r.conf");
        log = dir.resolve("mcgate.log");
        if (!Files.exists(config)) {
            writeConfig("", "", "");
        }
        Process p = lab.startMcgate(lab.topology().router(), log, "run", "-c", config.toString());
        TestLab.awaitText(log, "running; stop with SIGTERM", START_MS);
        return p;
    }

    private static void hangUp(Process router) throws Exception {
        TestLab.run("kill", "-HUP", Long.toString(router.pid()));
    }

    /** Waits until the log holds {@code n} occurrences of a text. */
    private void awaitCount(String text, int n, long timeoutMs) throws Exception {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (count(text) < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        n + " x '" + text + "' not in the log within " + timeoutMs + " ms:\n" + Files.readString(log));
            }
            Thread.sleep(20);
        }
    }

    private int count(String text) throws Exception {
        String all = Files.readString(log);
        int n = 0;
        for (int i = all.indexOf(text); i >= 0; i = all.indexOf(text, i + 1)) {
            n++;
        }
        return n;
    }

    private Process lab(TestLab lab, String ns, String logName, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("lab"));
        command.addAll(List.of(args));
        command.add("-q");
        return lab.startMcgate(ns, dir.resolve(logName), command.toArray(String[]::new));
    }

    private static long number(String json, String field) {
        Matcher m = Pattern.compile("\"" + field + "\": ?(-?\\d+)").matcher(json);
        assertTrue(m.find(), field + " in " + json);
        return Long.parseLong(m.group(1));
    }

    @Test
    void aStreamFlowsAcrossTenReloadsWithoutALostOrDuplicatedDatagram() throws Exception {
        Ip4 group = Ip4.parse("239.20.0.1");
        int datagrams = 6000;
        try (TestLab lab = TestLab.up()) {
            Process router = startRouter(lab);
            Path json = dir.resolve("rx1.json");
            Process receiver = lab(
                    lab,
                    lab.topology().receiver(1),
                    "receive.log",
                    "receive",
                    "-g",
                    group.toString(),
                    "-i",
                    LabTopology.HOST_IF,
                    "-c",
                    Integer.toString(datagrams),
                    "-d",
                    "40s",
                    "--json",
                    json.toString());
            TestLab.awaitGroup(TestLab.controlSocketFor(log), "down1", group, 10_000);
            Process sender = lab(
                    lab,
                    lab.topology().source(),
                    "send.log",
                    "send",
                    "-g",
                    group.toString(),
                    "-r",
                    "500",
                    "-c",
                    Integer.toString(datagrams),
                    "--ttl",
                    "5");
            Thread.sleep(1000);
            List<Long> reloadMs = new ArrayList<>();
            for (int i = 1; i <= 10; i++) {
                // Each reload changes the receiving interface's own settings: its table entry is rebuilt every time.
                writeConfig("    ttl-threshold " + (i % 2 + 1), i % 2 == 0 ? "    fast-leave yes" : "", "");
                long at = System.nanoTime();
                hangUp(router);
                awaitCount(": reloaded, ", i, 5000);
                reloadMs.add((System.nanoTime() - at) / 1_000_000);
                Thread.sleep(700);
            }
            assertTrue(sender.waitFor(30, TimeUnit.SECONDS), "sender finished");
            assertTrue(receiver.waitFor(30, TimeUnit.SECONDS), "receiver finished");
            String result = Files.readString(json);
            System.out.printf(
                    "figures: 10 reloads by SIGHUP during a %d-datagram stream at 500/s: received %d, "
                            + "lost %d, duplicated %d, reordered %d; SIGHUP to 'reloaded' in the log: %s ms%n",
                    datagrams,
                    number(result, "received"),
                    number(result, "lost"),
                    number(result, "duplicated"),
                    number(result, "reordered"),
                    reloadMs);
            assertEquals(10, count("down1: changed ttl-threshold"), Files.readString(log));
            assertEquals(0, number(result, "lost"), result);
            assertEquals(0, number(result, "duplicated"), result);
            assertEquals(datagrams, number(result, "received"), result);
            assertTrue(router.isAlive());
        }
    }

    @Test
    void mcgateReloadSaysWhatChangedOrWhereTheFileIsBrokenWhileTheStreamFlowsWithoutALostDatagram() throws Exception {
        Ip4 group = Ip4.parse("239.20.0.5");
        int datagrams = 4000;
        try (TestLab lab = TestLab.up()) {
            Process router = startRouter(lab);
            String socket = TestLab.controlSocketFor(log).toString();
            Path json = dir.resolve("rx1.json");
            Process receiver = lab(
                    lab,
                    lab.topology().receiver(1),
                    "receive.log",
                    "receive",
                    "-g",
                    group.toString(),
                    "-i",
                    LabTopology.HOST_IF,
                    "-c",
                    Integer.toString(datagrams),
                    "-d",
                    "40s",
                    "--json",
                    json.toString());
            TestLab.awaitGroup(TestLab.controlSocketFor(log), "down1", group, 10_000);
            Process sender = lab(
                    lab,
                    lab.topology().source(),
                    "send.log",
                    "send",
                    "-g",
                    group.toString(),
                    "-r",
                    "500",
                    "-c",
                    Integer.toString(datagrams),
                    "--ttl",
                    "5");
            Thread.sleep(1000);

            // A changed file: applied, and the command lists each change.
            writeConfig("    ttl-threshold 2", "", "");
            long at = System.nanoTime();
            CommandLineTest.Run changed = CommandLineTest.mcgate("reload", "--socket", socket);
            long changedMs = (System.nanoTime() - at) / 1_000_000;
            assertEquals(0, changed.exit(), changed.out() + changed.err());
            assertTrue(changed.out().startsWith("reloaded: " + config + ": reloaded, 1 change"), changed.out());
            assertTrue(
                    changed.out()
                            .lines()
                            .anyMatch(l -> l.strip().startsWith("down1: changed ttl-threshold ") && l.endsWith("-> 2")),
                    changed.out());
            Thread.sleep(500);

            // The same with --json: the changes as an array.
            writeConfig("    ttl-threshold 2", "    fast-leave yes", "");
            CommandLineTest.Run changedJson = CommandLineTest.mcgate("reload", "--json", "--socket", socket);
            assertEquals(0, changedJson.exit(), changedJson.out() + changedJson.err());
            Object doc = MiniJson.parse(changedJson.out());
            assertEquals("reload", MiniJson.at(doc, "command"));
            assertEquals(true, MiniJson.at(doc, "applied"));
            List<Object> changes = MiniJson.array(MiniJson.at(doc, "changes"));
            assertTrue(changes.contains("down2: changed fast-leave no -> yes"), changes.toString());
            assertTrue(
                    changes.stream().allMatch(c -> ((String) c).startsWith("down2: ")),
                    "only down2 changed: " + changes);
            assertTrue(((String) MiniJson.at(doc, "message")).startsWith(config + ": reloaded, "), changedJson.out());
            Thread.sleep(500);

            // A broken file: refused with its file and line, exit 78, nothing changes.
            Files.writeString(
                    config,
                    Files.readString(config)
                            .replace("last-member-query-count 2", "last-member-query-count 2\n    robustness zero"));
            CommandLineTest.Run refused = CommandLineTest.mcgate("reload", "--socket", socket);
            assertEquals(78, refused.exit(), refused.out() + refused.err());
            assertTrue(
                    refused.err()
                            .contains("mcgate reload: reload refused, configuration unchanged: " + config + ":6: "),
                    refused.err());
            CommandLineTest.Run refusedJson = CommandLineTest.mcgate("reload", "--json", "--socket", socket);
            assertEquals(78, refusedJson.exit(), refusedJson.out() + refusedJson.err());
            Object refusal = MiniJson.parse(refusedJson.out());
            assertEquals(false, MiniJson.at(refusal, "applied"));
            assertTrue(((String) MiniJson.at(refusal, "message")).contains(config + ":6: "), refusedJson.out());
            assertEquals(List.of(), MiniJson.array(MiniJson.at(refusal, "changes")));

            assertTrue(sender.waitFor(30, TimeUnit.SECONDS), "sender finished");
            assertTrue(receiver.waitFor(30, TimeUnit.SECONDS), "receiver finished");
            String result = Files.readString(json);
            System.out.printf(
                    "figures: mcgate reload over the control socket (2 applied, 2 refused) during a "
                            + "%d-datagram stream at 500/s: received %d, lost %d, duplicated %d, reordered %d; first reload "
                            + "answered in %d ms (in-JVM CLI)%n",
                    datagrams,
                    number(result, "received"),
                    number(result, "lost"),
                    number(result, "duplicated"),
                    number(result, "reordered"),
                    changedMs);
            assertEquals(0, number(result, "lost"), result);
            assertEquals(0, number(result, "duplicated"), result);
            assertEquals(datagrams, number(result, "received"), result);
            assertTrue(router.isAlive());
        }
    }

    @Test
    void aBrokenFileKeepsTheRunningConfigurationAndTheStreamFlows() throws Exception {
        Ip4 group = Ip4.parse("239.20.0.2");
        try (TestLab lab = TestLab.up()) {
            Process router = startRouter(lab);
            Wire rx1 = Wire.capture(lab, lab.topology().receiver(1), LabTopology.HOST_IF);
            TestLab.Membership m = lab.join(1, group, PORT, Optional.empty());
            Process sender = lab(
                    lab,
                    lab.topology().source(),
                    "send.log",
                    "send",
                    "-g",
                    group.toString(),
                    "-r",
                    "200",
                    "--ttl",
                    "5",
                    "-d",
                    "30s");
            assertTrue(m.receive(5000).isPresent(), "stream before the reload");
            Files.writeString(
                    config,
                    Files.readString(config)
                            .replace("last-member-query-count 2", "last-member-query-count 2\n    robustness zero"));

            hangUp(router);

            String all = TestLab.awaitText(log, "reload refused, configuration unchanged: " + config + ":", 5000);
            long refusedAt = System.nanoTime();
            String line = all.lines()
                    .filter(l -> l.contains("reload refused"))
                    .findFirst()
                    .orElseThrow();
            Thread.sleep(1000);
            long after = rx1.matching(d -> d.group().equals(group) && d.nanos() > refusedAt)
                    .size();
            System.out.println("figures: broken file: " + line + "; " + after + " datagrams on rx1's wire in the "
                    + "second after (200/s sent)");
            assertTrue(line.contains("ERROR"), line);
            assertTrue(line.contains(config + ":6: "), "names the file and line: " + line);
            assertTrue(after >= 150, "the stream still flows after the refused reload: " + after);
            assertTrue(router.isAlive());
            sender.destroy();
        }
    }

    @Test
    void removingADownstreamStopsItsCopyAndTheUpstreamHearsTheLeave() throws Exception {
        Ip4 g1 = Ip4.parse("239.20.0.3");
        Ip4 g2 = Ip4.parse("239.20.0.4");
        try (TestLab lab = TestLab.up()) {
            // tcpdump on the source host sees what mcgate reports upstream.
            Path dump = dir.resolve("upstream.txt");
            Process tcpdump = new ProcessBuilder(
                            "ip",
                            "netns",
                            "exec",
                            lab.topology().source(),
                            "tcpdump",
                            "-i",
                            LabTopology.HOST_IF,
                            "-n",
                            "-l",
                            "-v",
                            "igmp")
                    .redirectErrorStream(true)
                    .redirectOutput(dump.toFile())
                    .start();
            TestLab.awaitText(dump, "listening on", 10_000);
            Process router = startRouter(lab);
            Wire rx1 = Wire.capture(lab, lab.topology().receiver(1), LabTopology.HOST_IF);
            Wire rx2 = Wire.capture(lab, lab.topology().receiver(2), LabTopology.HOST_IF);
            lab.join(1, g1, PORT, Optional.empty());
            TestLab.Membership m2 = lab.join(2, g2, PORT, Optional.empty());
            lab(
                    lab,
                    lab.topology().source(),
                    "send1.log",
                    "send",
                    "-g",
                    g1.toString(),
                    "-r",
                    "200",
                    "--ttl",
                    "5",
                    "-d",
                    "30s");
            lab(
                    lab,
                    lab.topology().source(),
                    "send2.log",
                    "send",
                    "-g",
                    g2.toString(),
                    "-r",
                    "200",
                    "--ttl",
                    "5",
                    "-d",
                    "30s");
            // Two sender JVMs start at once on a loaded machine: allow them time.
            assertTrue(
                    m2.receive(15_000).isPresent(),
                    "rx2 gets g2 before the reload; rx2 wire " + rx2.count(g2)
                            + ", rx1 wire " + rx1.count(g1) + "; send logs: "
                            + Files.readString(dir.resolve("send1.log"))
                            + Files.readString(dir.resolve("send2.log")) + "; log:\n" + Files.readString(log));
            Thread.sleep(500);
            Files.writeString(config, Files.readString(config).replace("""
                    interface down2 {
                        role downstream

                    }
                    """, ""));
            assertFalse(Files.readString(config).contains("down2"), Files.readString(config));

            long at = System.nanoTime();
            hangUp(router);
            TestLab.awaitText(log, "down2: removed (was downstream)", 5000);
            Thread.sleep(1500);

            Wire.Datagram lastAtRx2 = rx2.last(g2);
            double stopMs = lastAtRx2 == null ? 0 : (lastAtRx2.nanos() - at) / 1e6;
            String upstream = Files.readString(dump);
            tcpdump.destroy();
            tcpdump.waitFor(5, TimeUnit.SECONDS);
            long rx1Last = rx1.matching(d -> d.group().equals(g1) && d.nanos() > System.nanoTime() - 1_000_000_000L)
                    .size();
            System.out.printf(
                    "figures: reload removing down2: last g2 datagram on rx2's wire %.1f ms after SIGHUP; "
                            + "rx1 got %d g1 datagrams in the last second%n",
                    stopMs, rx1Last);
            // tcpdump -v: "igmp v3 report, 1 group record(s) [gaddr 239.20.0.4 to_in, 0 source(s)]"
            assertTrue(
                    upstream.contains("gaddr " + g2 + " to_in, 0 source(s)"),
                    "the upstream heard the leave of g2:\n" + upstream);
            assertTrue(stopMs < 1000, "rx2's copy stopped: last one " + stopMs + " ms after SIGHUP");
            assertTrue(rx1Last > 100, "rx1 keeps its stream (" + rx1Last + " in the last second at 200/s)");
            assertFalse(upstream.contains("gaddr " + g1 + " to_in"), "g1 is still wanted by down1:\n" + upstream);
        }
    }

    @Test
    void anInterfaceCreatedAfterStartIsPickedUpWithinTwoSeconds() throws Exception {
        try (TestLab lab = TestLab.up()) {
            String rtr = lab.topology().router();
            config = dir.resolve("r.conf");
            writeConfig("", "", """
                    interface down3 {
                        role downstream
                    }
                    """);
            startRouter(lab);
            TestLab.awaitText(log, "down3 (downstream): not present; waiting for it to appear", 1000);
            TestLab.run("ip", "-n", rtr, "link", "add", "down3", "type", "veth", "peer", "name", "down3p");
            TestLab.run("ip", "-n", rtr, "addr", "add", "100.64.3.1/24", "dev", "down3");
            TestLab.run("ip", "-n", rtr, "link", "set", "down3p", "up");
            long upAt = System.nanoTime();
            TestLab.run("ip", "-n", rtr, "link", "set", "down3", "up");
            TestLab.awaitText(log, "down3 (downstream): opened", 5000);
            double pickedUpMs = (System.nanoTime() - upAt) / 1e6;
            TestLab.awaitText(log, "down3: IGMPv3 router on 100.64.3.1", 2000);
            System.out.printf(
                    "figures: interface created after start: 'opened' in the log %.1f ms after "
                            + "'ip link set up' (netlink; log polled every 20 ms)%n",
                    pickedUpMs);
            assertTrue(pickedUpMs < 2000, "picked up " + pickedUpMs + " ms after it came up");
        }
    }

    @Test
    void aDownstreamDeletedAndRecreatedForwardsAgainAfterTheReceiverRejoins() throws Exception {
        Ip4 group = Ip4.parse("239.20.0.5");
        try (TestLab lab = TestLab.up()) {
            String rtr = lab.topology().router();
            String rx1ns = lab.topology().receiver(1);
            Process router = startRouter(lab);
            TestLab.Membership m = lab.join(1, group, PORT, Optional.empty());
            lab(
                    lab,
                    lab.topology().source(),
                    "send.log",
                    "send",
                    "-g",
                    group.toString(),
                    "-r",
                    "200",
                    "--ttl",
                    "5",
                    "-d",
                    "40s");
            assertTrue(m.receive(5000).isPresent(), "stream before the delete");
            m.close();

            TestLab.run("ip", "-n", rtr, "link", "del", "down1");
            TestLab.awaitText(log, "down1 (downstream): disappeared; waiting for it to come back", 3000);
            TestLab.run(
                    "ip",
                    "-n",
                    rtr,
                    "link",
                    "add",
                    "down1",
                    "type",
                    "veth",
                    "peer",
                    "name",
                    LabTopology.HOST_IF,
                    "netns",
                    rx1ns);
            TestLab.run("ip", "-n", rtr, "addr", "add", "198.51.100.1/24", "dev", "down1");
            TestLab.run("ip", "-n", rx1ns, "addr", "add", "198.51.100.10/24", "dev", LabTopology.HOST_IF);
            TestLab.run("ip", "netns", "exec", rx1ns, "ethtool", "-K", LabTopology.HOST_IF, "tx", "off");
            TestLab.run("ip", "-n", rx1ns, "link", "set", LabTopology.HOST_IF, "up");
            long upAt = System.nanoTime();
            TestLab.run("ip", "-n", rtr, "link", "set", "down1", "up");
            TestLab.run("ip", "-n", rx1ns, "route", "add", "224.0.0.0/4", "dev", LabTopology.HOST_IF);
            TestLab.awaitText(log, "down1: IGMPv3 router on 198.51.100.1", 5000);
            double openMs = (System.nanoTime() - upAt) / 1e6;

            long joinAt = System.nanoTime();
            TestLab.Membership again = lab.join(1, group, PORT, Optional.empty());
            assertTrue(again.receive(5000).isPresent(), "forwarding is back after the re-join, without a restart");
            double joinMs = (System.nanoTime() - joinAt) / 1e6;
            System.out.printf(
                    "figures: re-created down1: reopened %.1f ms after 'ip link set up'; first datagram "
                            + "%.1f ms after the re-join%n",
                    openMs, joinMs);
            assertTrue(router.isAlive());
        }
    }

    @Test
    void aDownstreamSetDownIsWithdrawnAndRestoredWhenSetUp() throws Exception {
        Ip4 group = Ip4.parse("239.20.0.6");
        try (TestLab lab = TestLab.up()) {
            String rtr = lab.topology().router();
            startRouter(lab);
            Wire rx1 = Wire.capture(lab, lab.topology().receiver(1), LabTopology.HOST_IF);
            TestLab.Membership m = lab.join(1, group, PORT, Optional.empty());
            lab(
                    lab,
                    lab.topology().source(),
                    "send.log",
                    "send",
                    "-g",
                    group.toString(),
                    "-r",
                    "200",
                    "--ttl",
                    "5",
                    "-d",
                    "40s");
            assertTrue(m.receive(5000).isPresent(), "stream before");

            long downAt = System.nanoTime();
            TestLab.run("ip", "-n", rtr, "link", "set", "down1", "down");
            TestLab.awaitText(log, "down1 (downstream): down; its memberships are withdrawn", 3000);
            double withdrawnMs = (System.nanoTime() - downAt) / 1e6;
            TestLab.awaitUpstreamGroup(TestLab.controlSocketFor(log), "up0", group, false, 3000);
            Thread.sleep(1000);
            int whileDown = rx1.matching(d -> d.group().equals(group) && d.nanos() > downAt + 500_000_000L)
                    .size();

            long upAt = System.nanoTime();
            TestLab.run("ip", "-n", rtr, "link", "set", "down1", "up");
            // The router's startup query makes the receiver's kernel report again: no re-join by the application.
            Wire.Datagram back = rx1.firstAfter(group, upAt, 8000);
            double restoredMs = back == null ? -1 : (back.nanos() - upAt) / 1e6;
            System.out.printf(
                    "figures: down1 set down: withdrawn in the log %.1f ms later, %d datagrams on rx1's wire "
                            + "while down; set up: first datagram again %.1f ms later (kernel's answer to the startup query)%n",
                    withdrawnMs, whileDown, restoredMs);
            assertEquals(0, whileDown, "nothing forwarded to a down interface");
            assertTrue(back != null, "forwarding restored after 'ip link set up'");
            assertTrue(count("down1 (downstream): opened") >= 2, "reopened");
        }
    }
}
