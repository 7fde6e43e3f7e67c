package dev.mcgate.e2e;

import static dev.mcgate.control.MiniJson.array;
import static dev.mcgate.control.MiniJson.at;
import static dev.mcgate.control.MiniJson.object;
import static dev.mcgate.e2e.DaemonForwardingE2ETest.number;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.cli.CommandLineTest;
import dev.mcgate.control.MiniJson;
import dev.mcgate.io.CaptureFilter;
import dev.mcgate.io.nft.NftCommand;
import dev.mcgate.lab.LabTopology;
import dev.mcgate.net.Ip4;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * {@code mcgate run --packet-io nft} in the lab's router namespace: the kernel forwards by the rules mcgate installs
 * from its table, mcgate still hears every IGMP message, and nothing reaches a receiver twice. Skipped, with the
 * reason, where there is no nft or the kernel refuses netdev rules with dup/fwd.
 */
@EndToEnd
@Isolated
class NftEngineE2ETest {

    private static final long START_MS = 20_000;
    private static final int PORT = 5001;

    @TempDir
    Path dir;

    /** One UDP datagram on a receiver's wire: TTL, whether the IPv4 header checksum verifies, source MAC. */
    private record Seen(long nanos, Ip4 group, int ttl, boolean checksumGood, long sourceMac) {}

    private Path config() throws IOException {
        Path file = dir.resolve("r.conf");
        Files.writeString(file, """
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
                }
                interface down2 {
                    role downstream
                    fast-leave yes
                }
                """);
        return file;
    }

    /** The engine's own probe in the router's namespace: the test runs only where the engine would. */
    private static void assumeNftNetdev(TestLab lab, Path dir) throws Exception {
        Optional<NftCommand> nft = NftCommand.locate();
        Assumptions.assumeTrue(nft.isPresent(), "no nft binary (apt-get install nftables)");
        Path probe = dir.resolve("probe.nft");
        Files.writeString(probe, NftCommand.probeScript());
        Process p = new ProcessBuilder(
                        "ip",
                        "netns",
                        "exec",
                        lab.topology().router(),
                        nft.get().binary().toString(),
                        "-f",
                        probe.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        Assumptions.assumeTrue(p.exitValue() == 0, "the kernel refuses nftables netdev dup/fwd: " + out.strip());
    }

    private List<Seen> capture(TestLab lab, int receiver) throws IOException {
        List<Seen> seen = new CopyOnWriteArrayList<>();
        lab.openPcap(
                lab.topology().receiver(receiver),
                LabTopology.HOST_IF,
                CaptureFilter.IGMP_AND_MULTICAST,
                (port, frame, length) -> {
                    if (length >= 14 + 28
                            && (frame[12] & 0xff) == 0x08
                            && frame[13] == 0
                            && (frame[14 + 9] & 0xff) == 17) {
                        long mac = 0;
                        for (int i = 6; i < 12; i++) {
                            mac = (mac << 8) | (frame[i] & 0xff);
                        }
                        seen.add(new Seen(
                                System.nanoTime(),
                                Ip4.fromBytes(frame, 14 + 16),
                                frame[14 + 8] & 0xff,
                                headerChecksumVerifies(frame, 14, (frame[14] & 0x0f) * 4),
                                mac));
                    }
                });
        return seen;
    }

    /** RFC 1071: the one's complement sum over the header, checksum included, is 0xffff. */
    private static boolean headerChecksumVerifies(byte[] b, int offset, int length) {
        int sum = 0;
        for (int i = 0; i < length; i += 2) {
            sum += ((b[offset + i] & 0xff) << 8) | (b[offset + i + 1] & 0xff);
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return sum == 0xffff;
    }

    @Test
    void theKernelForwardsJoinedGroupsOnceWithTtlOneLowerAndMcgateFollowsJoinsAndLeaves() throws Exception {
        Ip4 group = Ip4.parse("239.10.0.21");
        Ip4 mdns = Ip4.parse("224.0.0.251");
        try (TestLab lab = TestLab.up()) {
            assumeNftNetdev(lab, dir);
            String router = lab.topology().router();
            Path log = dir.resolve("mcgate.log");
            Process mcgate = lab.startMcgate(router, log, "run", "-c", config().toString(), "--packet-io", "nft");
            TestLab.awaitText(log, "running; stop with SIGTERM", START_MS);
            assertTrue(Files.readString(log).contains("packet-io nft: the kernel forwards"), Files.readString(log));
            Path socket = TestLab.controlSocketFor(log);
            List<Seen> rx1 = capture(lab, 1);
            List<Seen> rx2 = capture(lab, 2);
            long down1Mac =
                    lab.netInterface(router, "down1").mac().orElseThrow().bits();

            // rx1 counts sequence numbers (lost, duplicated) for 8 s; the source sends 1000 pps with TTL 5.
            Path rx1Json = dir.resolve("rx1.json");
            Process receiver = labTool(
                    lab,
                    lab.topology().receiver(1),
                    "receive.log",
                    "receive",
                    "-g",
                    group.toString(),
                    "-i",
                    LabTopology.HOST_IF,
                    "-d",
                    "8s",
                    "--json",
                    rx1Json.toString());
            TestLab.awaitGroup(socket, "down1", group, 5000);
            Process sender = labTool(
                    lab,
                    lab.topology().source(),
                    "send.log",
                    "send",
                    "-g",
                    group.toString(),
                    "-r",
                    "1000",
                    "--size",
                    "64",
                    "--ttl",
                    "5",
                    "-d",
                    "9s");
            Thread.sleep(1500);
            String tableWithOne =
                    TestLab.run("ip", "netns", "exec", router, "nft", "list", "table", "netdev", "mcgate");
            assertTrue(tableWithOne.contains("fwd to \"down1\"") && !tableWithOne.contains("\"down2\""), tableWithOne);

            // A second receiver adds an egress (one nft transaction); its leave (fast leave) takes it away again.
            TestLab.Membership m2 = lab.join(2, group, PORT, Optional.empty());
            assertTrue(m2.receive(2000).isPresent(), "rx2 got nothing within 2 s of its join");
            String tableWithTwo =
                    TestLab.run("ip", "netns", "exec", router, "nft", "list", "table", "netdev", "mcgate");
            assertTrue(
                    tableWithTwo.contains("dup to \"down1\"") && tableWithTwo.contains("fwd to \"down2\"")
                            || tableWithTwo.contains("dup to \"down2\"") && tableWithTwo.contains("fwd to \"down1\""),
                    tableWithTwo);
            Thread.sleep(1000);
            long leaveAt = System.nanoTime();
            m2.close();
            Thread.sleep(1000);
            long rx2AfterLeave = rx2.stream()
                    .filter(s -> s.group().equals(group) && s.nanos() > leaveAt + 300_000_000L)
                    .count();

            // 224.0.0.0/24 is never forwarded, joined or not.
            TestLab.Membership mdnsMember = lab.join(1, mdns, PORT + 1, Optional.empty());
            for (int i = 0; i < 20; i++) {
                lab.sendFromSource(mdns, PORT + 1, ("mdns " + i).getBytes(StandardCharsets.US_ASCII), 255);
            }
            assertEquals(Optional.empty(), mdnsMember.receive(500));

            // routes: the kernel's route with its rule counter.
            Object routes = json(socket, "routes");
            Map<String, Object> kernelRoute = array(at(routes, "flows")).stream()
                    .map(MiniJson::object)
                    .filter(f ->
                            "kernel".equals(f.get("via")) && group.toString().equals(f.get("group")))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no kernel route in " + routes));
            Object status = json(socket, "status");
            String routesText = text(socket, "routes");

            assertTrue(sender.waitFor(30, TimeUnit.SECONDS));
            assertTrue(receiver.waitFor(30, TimeUnit.SECONDS));
            String result = Files.readString(rx1Json);
            List<Seen> atRx1 = rx1.stream().filter(s -> s.group().equals(group)).toList();
            long rx2Total = rx2.stream().filter(s -> s.group().equals(group)).count();

            mcgate.destroy();
            assertTrue(mcgate.waitFor(15, TimeUnit.SECONDS));
            String tables = TestLab.run("ip", "netns", "exec", router, "nft", "list", "tables");
            System.out.printf(
                    "figures: nft engine: rx1 received %d (lost %d, duplicated %d); %d on rx1's wire, "
                            + "TTLs %s, checksums good %d; rx2 %d on its wire, %d later than 300 ms after its leave; kernel "
                            + "route counter %s packets; mdns on rx1's wire %d%n%s",
                    number(result, "received"),
                    number(result, "lost"),
                    number(result, "duplicated"),
                    atRx1.size(),
                    atRx1.stream().map(Seen::ttl).distinct().toList(),
                    atRx1.stream().filter(Seen::checksumGood).count(),
                    rx2Total,
                    rx2AfterLeave,
                    kernelRoute.get("packets"),
                    rx1.stream().filter(s -> s.group().equals(mdns)).count(),
                    routesText);

            assertEquals(0, number(result, "duplicated"), "a datagram forwarded twice: " + result);
            assertTrue(number(result, "received") > 3000, result);
            assertTrue(atRx1.size() > 3000, "on rx1's wire: " + atRx1.size());
            assertTrue(atRx1.stream().allMatch(s -> s.ttl() == 4), "TTL one lower than the source's 5");
            assertTrue(atRx1.stream().allMatch(Seen::checksumGood), "the IPv4 header checksum after ip ttl set");
            assertTrue(atRx1.stream().allMatch(s -> s.sourceMac() == down1Mac), "the router's down1 MAC as source");
            assertTrue(rx2Total > 500, "rx2 got the stream while joined: " + rx2Total);
            assertEquals(0, rx2AfterLeave, "the stream stops on down2 after rx2's leave");
            assertEquals(0, rx1.stream().filter(s -> s.group().equals(mdns)).count(), "224.0.0.0/24 is not forwarded");
            assertTrue(((Number) kernelRoute.get("packets")).longValue() > 1000, "rule counter: " + kernelRoute);
            assertEquals(Boolean.TRUE, object(at(status, "packet_io")).get("kernel_forwards"), status.toString());
            assertTrue(routesText.contains("kernel"), routesText);
            assertFalse(tables.contains("mcgate"), "table netdev mcgate removed on stop: " + tables);
        }
    }

    private Process labTool(TestLab lab, String ns, String logName, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("lab"));
        command.addAll(List.of(args));
        command.add("-q");
        return lab.startMcgate(ns, dir.resolve(logName), command.toArray(String[]::new));
    }

    private static Object json(Path socket, String command) {
        CommandLineTest.Run r = CommandLineTest.mcgate(command, "--json", "--socket", socket.toString());
        assertEquals(0, r.exit(), command + ": " + r.err());
        return MiniJson.parse(r.out());
    }

    private static String text(Path socket, String command) {
        CommandLineTest.Run r = CommandLineTest.mcgate(command, "--socket", socket.toString());
        assertEquals(0, r.exit(), command + ": " + r.err());
        return r.out();
    }
}
