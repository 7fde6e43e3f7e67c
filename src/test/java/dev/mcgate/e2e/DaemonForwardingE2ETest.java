package dev.mcgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.lab.LabTopology;
import dev.mcgate.net.Ip4;
import java.nio.charset.StandardCharsets;
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
import org.junit.jupiter.api.parallel.Isolated;

/**
 * {@code mcgate run} forwarding in the lab's router namespace, end to end: the kernel's own IGMP hosts join and
 * leave, {@code mcgate lab send} streams, and what arrives is seen by sockets and by pcap on the receivers' wires.
 * Every test prints the figures it measured (lines starting with "figures:").
 */
@EndToEnd
@Isolated
class DaemonForwardingE2ETest {

    private static final long START_MS = 20_000;
    private static final int PORT = 5001;
    /** The router's timers in these tests: last member query time = 300 ms x 2 = 600 ms. */
    private static final long LAST_MEMBER_QUERY_TIME_MS = 600;

    @TempDir
    Path dir;

    /** Native config: up0 upstream, down1 and down2 downstream, each with extra lines; short leave timers. */
    private Path config(String name, String up0Extra, String down1Extra, String down2Extra) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, """
                defaults {
                    query-interval 20s
                    query-response-interval 2s
                    last-member-query-interval 300ms
                    last-member-query-count 2
                }
                interface up0 {
                    role upstream
                %s
                }
                interface down1 {
                    role downstream
                %s
                }
                interface down2 {
                    role downstream
                %s
                }
                """.formatted(up0Extra, down1Extra, down2Extra));
        return file;
    }

    /** Each port's frames dropped by the kernel, from the lines mcgate logs as it closes them ("up0 0, down1 0"). */
    static String kernelDrops(Path log) throws java.io.IOException {
        Matcher m = Pattern.compile("(\\S+): closed; .*, (\\d+) dropped by the kernel")
                .matcher(Files.readString(log));
        List<String> out = new ArrayList<>();
        while (m.find()) {
            out.add(m.group(1) + " " + m.group(2));
        }
        return String.join(", ", out);
    }

    private Process startRouter(TestLab lab, Path config, String logName) throws Exception {
        Path log = dir.resolve(logName);
        Process p = lab.startMcgate(lab.topology().router(), log, "run", "-c", config.toString());
        TestLab.awaitText(log, "running; stop with SIGTERM", START_MS);
        return p;
    }

    @Test
    void joinStartsTheStreamWithin200MsTtlOneLowerOthersGetNothingAndLeaveStopsIt() throws Exception {
        Ip4 group = Ip4.parse("239.10.0.1");
        try (TestLab lab = TestLab.up()) {
            // down1 waits for last member queries (600 ms), down2 has fast leave.
            startRouter(lab, config("r.conf", "", "", "    fast-leave yes"), "mcgate.log");
            Wire rx1 = Wire.capture(lab, lab.topology().receiver(1), LabTopology.HOST_IF);
            Wire rx2 = Wire.capture(lab, lab.topology().receiver(2), LabTopology.HOST_IF);
            Wire src = Wire.capture(lab, lab.topology().source(), LabTopology.HOST_IF);
            Process sender = labSend(
                    lab,
                    lab.topology().source(),
                    "send.log",
                    "-g",
                    group.toString(),
                    "-r",
                    "1000",
                    "--size",
                    "64",
                    "--ttl",
                    "5",
                    "-d",
                    "60s");
            Thread.sleep(1000); // the stream runs before anyone joins
            assertEquals(0, rx1.count(group) + rx2.count(group), "nobody joined: nothing forwarded");

            // rx1 joins; rx2 (other downstream) does not. The first join after start runs through cold code.
            long joinAt = System.nanoTime();
            TestLab.Membership m1 = lab.join(1, group, PORT, Optional.empty());
            assertTrue(m1.receive(3000).isPresent(), "rx1 got nothing within 3 s of its join");
            double coldJoinMs = (System.nanoTime() - joinAt) / 1e6;
            Thread.sleep(1000);
            List<Wire.Datagram> atRx1 = rx1.to(group);
            assertTrue(atRx1.stream().allMatch(d -> d.ttl() == 4), "TTL one lower than the source's 5");
            assertEquals(0, rx2.count(group), "rx2 did not join: nothing on down2's wire");
            assertEquals(0, src.count(group), "never sent back upstream");

            // rx1 leaves: down1 goes on through the last member queries (600 ms), stops within LMQT + 1 s.
            long leaveAt = System.nanoTime();
            m1.close();
            Thread.sleep(LAST_MEMBER_QUERY_TIME_MS + 2000);
            double stop1Ms = stopMs(rx1, group, leaveAt);
            long lastSecond = rx1.matching(
                            d -> d.group().equals(group) && d.nanos() > System.nanoTime() - 1_000_000_000L)
                    .size();

            // rx1 joins again: the measured join.
            long rejoinAt = System.nanoTime();
            TestLab.Membership again = lab.join(1, group, PORT, Optional.empty());
            assertTrue(again.receive(2000).isPresent(), "rx1 got nothing within 2 s of its second join");
            double joinMs = (System.nanoTime() - rejoinAt) / 1e6;
            Wire.Datagram onWire = rx1.firstAfter(group, rejoinAt, 1000);
            assertNotNull(onWire);
            double wireMs = (onWire.nanos() - rejoinAt) / 1e6;
            again.close();

            // rx2 joins and leaves with fast leave.
            long join2At = System.nanoTime();
            TestLab.Membership m2 = lab.join(2, group, PORT, Optional.empty());
            assertTrue(m2.receive(2000).isPresent(), "rx2 got nothing within 2 s of its join");
            double join2Ms = (System.nanoTime() - join2At) / 1e6;
            Thread.sleep(500);
            long leave2At = System.nanoTime();
            m2.close();
            Thread.sleep(1500);
            double stop2Ms = stopMs(rx2, group, leave2At);
            sender.destroy();

            System.out.printf(
                    "figures: join->first datagram: rx1 first join after start %.1f ms; rx1 again %.1f ms "
                            + "(socket), %.1f ms (wire); rx2 %.1f ms; leave->last datagram: down1 (LMQT %d ms) %.1f ms, "
                            + "down2 (fast leave) %.1f ms; %d datagrams at rx1 in its first second, all TTL 4%n",
                    coldJoinMs, joinMs, wireMs, join2Ms, LAST_MEMBER_QUERY_TIME_MS, stop1Ms, stop2Ms, atRx1.size());
            assertEquals(0, lastSecond, "down1: nothing in the last second before the second join");
            assertTrue(stop1Ms <= LAST_MEMBER_QUERY_TIME_MS + 1000, "stopped " + stop1Ms + " ms after the leave");
            assertTrue(
                    stop1Ms >= 300,
                    "down1 has no fast leave: the stream goes on during the last member queries, " + "stopped after "
                            + stop1Ms + " ms");
            // The very first join after start runs through code the JVM has not compiled yet: 46-69 ms on a quiet
            // machine, once 1.2 s under a load of 5; the 200 ms target is asserted on joins to a running router.
            assertTrue(coldJoinMs < 500, "rx1: first datagram " + coldJoinMs + " ms after the first join");
            assertTrue(joinMs < 200, "rx1: first datagram " + joinMs + " ms after the join");
            assertTrue(join2Ms < 200, "rx2: first datagram " + join2Ms + " ms after the join");
            assertTrue(stop2Ms < 150, "fast leave: stopped " + stop2Ms + " ms after the leave");
        }
    }

    @Test
    void aSourceSpecificReceiverGetsItsSourceAndNotTheOther() throws Exception {
        Ip4 group = Ip4.parse("232.1.2.3");
        Ip4 s1 = LabTopology.SOURCE_LINK.hostAddress();
        Ip4 s2 = Ip4.parse("192.0.2.11");
        try (TestLab lab = TestLab.up()) {
            TestLab.run("ip", "-n", lab.topology().source(), "addr", "add", s2 + "/24", "dev", LabTopology.HOST_IF);
            startRouter(lab, config("r.conf", "", "", ""), "mcgate.log");
            Wire rx1 = Wire.capture(lab, lab.topology().receiver(1), LabTopology.HOST_IF);
            labSend(
                    lab,
                    lab.topology().source(),
                    "send1.log",
                    "-g",
                    group.toString(),
                    "-s",
                    s1.toString(),
                    "-r",
                    "200",
                    "--ttl",
                    "5",
                    "-d",
                    "30s");
            labSend(
                    lab,
                    lab.topology().source(),
                    "send2.log",
                    "-g",
                    group.toString(),
                    "-s",
                    s2.toString(),
                    "-r",
                    "200",
                    "--ttl",
                    "5",
                    "-d",
                    "30s");
            Path json = dir.resolve("rx1.json");
            Process receiver = labSend(
                    lab,
                    lab.topology().receiver(1),
                    "receive.log",
                    "RECEIVE",
                    "-g",
                    group.toString(),
                    "-s",
                    s1.toString(),
                    "-i",
                    LabTopology.HOST_IF,
                    "-d",
                    "3s",
                    "--json",
                    json.toString());
            assertTrue(receiver.waitFor(20, TimeUnit.SECONDS));
            String result = Files.readString(json);
            long fromS1 = rx1.matching(
                            d -> d.group().equals(group) && d.source().equals(s1))
                    .size();
            long fromS2 = rx1.matching(
                            d -> d.group().equals(group) && d.source().equals(s2))
                    .size();
            System.out.printf(
                    "figures: SSM (%s, %s): on rx1's wire %d datagrams from S1, %d from S2; receiver: "
                            + "received %d, senders %d%n",
                    s1, group, fromS1, fromS2, number(result, "received"), number(result, "senders"));
            assertEquals(0, receiver.exitValue(), result);
            assertTrue(number(result, "received") > 300, result);
            assertEquals(1, number(result, "senders"), result);
            assertTrue(fromS1 > 300, "S1's stream on rx1's wire: " + fromS1);
            assertEquals(0, fromS2, "S2's stream must not be forwarded to an (S1, G) receiver");
        }
    }

    @Test
    void linkLocalGroupsAndTtlOneAreNeverForwarded() throws Exception {
        Ip4 mdns = Ip4.parse("224.0.0.251");
        Ip4 group = Ip4.parse("239.10.0.3");
        try (TestLab lab = TestLab.up()) {
            startRouter(lab, config("r.conf", "", "", ""), "mcgate.log");
            Wire rx1 = Wire.capture(lab, lab.topology().receiver(1), LabTopology.HOST_IF);
            TestLab.Membership mdnsMember = lab.join(1, mdns, PORT, Optional.empty());
            TestLab.Membership member = lab.join(1, group, PORT + 1, Optional.empty());
            TestLab.awaitGroup(TestLab.controlSocketFor(dir.resolve("mcgate.log")), "down1", group, 5000);
            for (int i = 0; i < 20; i++) {
                lab.sendFromSource(mdns, PORT, ("mdns " + i).getBytes(StandardCharsets.US_ASCII), 255);
                lab.sendFromSource(group, PORT + 1, ("ttl1 " + i).getBytes(StandardCharsets.US_ASCII), 1);
            }
            assertEquals(Optional.empty(), mdnsMember.receive(700));
            assertEquals(Optional.empty(), member.receive(300));
            // The control: the same group with TTL 2 does get through, with TTL 1.
            lab.sendFromSource(group, PORT + 1, "ttl2".getBytes(StandardCharsets.US_ASCII), 2);
            Optional<byte[]> control = member.receive(2000);
            rx1.firstAfter(group, 0, 1000); // the capture thread may see it after the socket does
            Thread.sleep(100);
            System.out.printf(
                    "figures: on rx1's wire: %d datagrams to 224.0.0.251 (20 sent, TTL 255), %d to %s "
                            + "(20 sent with TTL 1, then 1 with TTL 2)%n",
                    rx1.count(mdns), rx1.count(group), group);
            assertTrue(control.isPresent(), "the TTL 2 datagram must arrive");
            assertEquals("ttl2", new String(control.get(), StandardCharsets.US_ASCII));
            assertEquals(0, rx1.count(mdns), "224.0.0.0/24 is never forwarded");
            assertEquals(1, rx1.count(group), "only the TTL 2 datagram crossed");
            assertEquals(1, rx1.to(group).get(0).ttl());
        }
    }

    @Test
    void aDownstreamSourceReachesTheUpstreamAndJoinedDownstreamsButNeverGoesBack() throws Exception {
        Ip4 group = Ip4.parse("239.10.0.4");
        try (TestLab lab = TestLab.up()) {
            startRouter(lab, config("r.conf", "", "", ""), "mcgate.log");
            Wire src = Wire.capture(lab, lab.topology().source(), LabTopology.HOST_IF);
            Wire rx1 = Wire.capture(lab, lab.topology().receiver(1), LabTopology.HOST_IF);
            Path json = dir.resolve("rx2.json");
            Process receiver = labSend(
                    lab,
                    lab.topology().receiver(2),
                    "receive.log",
                    "RECEIVE",
                    "-g",
                    group.toString(),
                    "-i",
                    LabTopology.HOST_IF,
                    "-c",
                    "500",
                    "-d",
                    "15s",
                    "--json",
                    json.toString());
            TestLab.awaitGroup(TestLab.controlSocketFor(dir.resolve("mcgate.log")), "down2", group, 5000);
            Process sender = labSend(
                    lab,
                    lab.topology().receiver(1),
                    "send.log",
                    "-g",
                    group.toString(),
                    "-i",
                    LabTopology.HOST_IF,
                    "-r",
                    "500",
                    "-c",
                    "500",
                    "--ttl",
                    "5");
            assertTrue(sender.waitFor(20, TimeUnit.SECONDS));
            assertTrue(receiver.waitFor(20, TimeUnit.SECONDS));
            Thread.sleep(300);
            String result = Files.readString(json);
            Ip4 rx1Address = LabTopology.RX1_LINK.hostAddress();
            long upstream = src.matching(
                            d -> d.group().equals(group) && d.source().equals(rx1Address))
                    .size();
            long back = rx1.count(group);
            System.out.printf(
                    "figures: downstream source rx1 sent 500: upstream wire %d (TTL %s), rx2 received %d "
                            + "(lost %d, duplicated %d), back on down1 %d%n",
                    upstream,
                    src.to(group).stream().map(Wire.Datagram::ttl).distinct().toList(),
                    number(result, "received"),
                    number(result, "lost"),
                    number(result, "duplicated"),
                    back);
            assertEquals(0, receiver.exitValue(), result);
            assertEquals(500, number(result, "received"), result);
            assertEquals(0, number(result, "duplicated"), result);
            assertEquals(500, upstream, "every datagram of a downstream source goes upstream (RFC 4605 §4.2)");
            assertTrue(src.to(group).stream().allMatch(d -> d.ttl() == 4), "TTL one lower upstream");
            assertEquals(0, back, "never sent back out of the arrival interface");
        }
    }

    @Test
    void oneHundredThousandDatagramsArriveWithNoLossInOrder() throws Exception {
        Ip4 group = Ip4.parse("239.10.0.7");
        int count = 100_000;
        // 10 000 pps by default: the lab machine is shared; -Dmcgate.e2e.rate=20000 asks for more.
        int rate = Integer.getInteger("mcgate.e2e.rate", 10_000);
        try (TestLab lab = TestLab.up()) {
            Process mcgate = startRouter(lab, config("r.conf", "", "", ""), "mcgate.log");
            Path json = dir.resolve("rx1.json");
            Process receiver = labSend(
                    lab,
                    lab.topology().receiver(1),
                    "receive.log",
                    "RECEIVE",
                    "-g",
                    group.toString(),
                    "-i",
                    LabTopology.HOST_IF,
                    "-c",
                    Integer.toString(count),
                    "-d",
                    "60s",
                    "--idle-timeout",
                    "3s",
                    "--json",
                    json.toString());
            TestLab.awaitGroup(TestLab.controlSocketFor(dir.resolve("mcgate.log")), "down1", group, 5000);
            Path sendJson = dir.resolve("send.json");
            Process sender = labSend(
                    lab,
                    lab.topology().source(),
                    "send.log",
                    "-g",
                    group.toString(),
                    "-r",
                    Integer.toString(rate),
                    "-c",
                    Integer.toString(count),
                    "--size",
                    "64",
                    "--ttl",
                    "5",
                    "--json",
                    sendJson.toString());
            assertTrue(sender.waitFor(60, TimeUnit.SECONDS));
            assertTrue(receiver.waitFor(60, TimeUnit.SECONDS));
            String sent = Files.readString(sendJson);
            String result = Files.readString(json);
            System.out.printf(
                    "figures: %d datagrams requested at %d pps: sent %d at %s pps; received %d, lost %d, "
                            + "duplicated %d, reordered %d, socket drops %s, receive rate %s/s, latency %s%n",
                    count,
                    rate,
                    number(sent, "sent"),
                    text(sent, "achievedRate"),
                    number(result, "received"),
                    number(result, "lost"),
                    number(result, "duplicated"),
                    number(result, "reordered"),
                    text(result, "socketDrops"),
                    text(result, "receiveRate"),
                    latency(result));
            mcgate.destroy();
            assertTrue(mcgate.waitFor(10, TimeUnit.SECONDS), "mcgate did not stop on SIGTERM");
            String drops = kernelDrops(dir.resolve("mcgate.log"));
            System.out.println("figures: frames dropped by the kernel (capture buffers full): " + drops);
            assertEquals(count, number(sent, "sent"), sent);
            assertEquals(count, number(result, "received"), result + "; kernel drops " + drops);
            assertEquals(0, number(result, "lost"), result + "; kernel drops " + drops);
            assertEquals(0, number(result, "duplicated"), result);
            assertEquals(0, number(result, "reordered"), result);
        }
    }

    @Test
    void partialChecksumsFromAnOffloadingDownstreamSourceAreRepairedOnlyWhenConfigured() throws Exception {
        Ip4 group = Ip4.parse("239.10.0.8");
        try (TestLab lab = TestLab.up()) {
            TestLab.run(
                    "ip",
                    "netns",
                    "exec",
                    lab.topology().receiver(1),
                    "ethtool",
                    "-K",
                    LabTopology.HOST_IF,
                    "tx",
                    "on");
            Process mcgate = startRouter(lab, config("plain.conf", "", "", ""), "plain.log");
            long without = deliveredFromRx1(lab, group, "plain");
            mcgate.destroy();
            assertTrue(mcgate.waitFor(10, TimeUnit.SECONDS));
            String plainLog = Files.readString(dir.resolve("plain.log"));
            assertTrue(
                    plainLog.contains("'repair-udp-checksum yes' in its interface block"),
                    "the warning names the keyword: " + plainLog);

            startRouter(lab, config("repair.conf", "", "    repair-udp-checksum yes", ""), "repair.log");
            long with = deliveredFromRx1(lab, group, "repair");
            System.out.printf(
                    "figures: rx1 with TX offload on sent 200: rx2's socket got %d without "
                            + "repair-udp-checksum, %d with it on down1%n",
                    without, with);
            assertEquals(0, without, "partial checksums: rx2's kernel drops every datagram");
            assertEquals(200, with, "repaired: every datagram arrives");
        }
    }

    /** rx2 listens (joined), rx1 sends 200 datagrams; what reached rx2's socket. */
    private long deliveredFromRx1(TestLab lab, Ip4 group, String name) throws Exception {
        Path json = dir.resolve(name + "-rx2.json");
        Process receiver = labSend(
                lab,
                lab.topology().receiver(2),
                name + "-receive.log",
                "RECEIVE",
                "-g",
                group.toString(),
                "-i",
                LabTopology.HOST_IF,
                "-c",
                "200",
                "-d",
                "4s",
                "--expect",
                "0",
                "--json",
                json.toString());
        TestLab.awaitGroup(TestLab.controlSocketFor(dir.resolve(name + ".log")), "down2", group, 5000);
        Process sender = labSend(
                lab,
                lab.topology().receiver(1),
                name + "-send.log",
                "-g",
                group.toString(),
                "-i",
                LabTopology.HOST_IF,
                "-r",
                "200",
                "-c",
                "200",
                "--ttl",
                "5");
        assertTrue(sender.waitFor(20, TimeUnit.SECONDS));
        assertTrue(receiver.waitFor(20, TimeUnit.SECONDS));
        String result = Files.readString(json);
        return number(result, "received");
    }

    /** Milliseconds from {@code sinceNanos} to the last datagram to the group on that wire (0 if none came after). */
    private static double stopMs(Wire wire, Ip4 group, long sinceNanos) {
        Wire.Datagram last = wire.last(group);
        return last == null || last.nanos() < sinceNanos ? 0 : (last.nanos() - sinceNanos) / 1e6;
    }

    /**
     * Runs {@code mcgate lab send ARGS} (or {@code lab receive} when the first argument is "RECEIVE") quietly in a
     * namespace.
     */
    private Process labSend(TestLab lab, String ns, String logName, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("lab"));
        List<String> rest = new ArrayList<>(List.of(args));
        if (!rest.isEmpty() && rest.get(0).equals("RECEIVE")) {
            rest.remove(0);
            command.add("receive");
        } else {
            command.add("send");
        }
        command.addAll(rest);
        command.add("-q");
        return lab.startMcgate(ns, dir.resolve(logName), command.toArray(String[]::new));
    }

    static long number(String json, String field) {
        Matcher m = Pattern.compile("\"" + field + "\": ?(-?\\d+)").matcher(json);
        assertTrue(m.find(), field + " in " + json);
        return Long.parseLong(m.group(1));
    }

    static String text(String json, String field) {
        Matcher m = Pattern.compile("\"" + field + "\": ?([^,}\\n]+)").matcher(json);
        return m.find() ? m.group(1).strip() : "?";
    }

    private static String latency(String json) {
        Matcher m = Pattern.compile("\"latencyMicros\": ?(\\{[^}]*\\}|null)").matcher(json);
        return m.find() ? m.group(1).replaceAll("\\s+", " ") : "?";
    }
}
