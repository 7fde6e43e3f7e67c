package dev.mcgate.e2e;

import static dev.mcgate.control.MiniJson.array;
import static dev.mcgate.control.MiniJson.at;
import static dev.mcgate.control.MiniJson.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.cli.CommandLineTest;
import dev.mcgate.control.MiniJson;
import dev.mcgate.net.Ip4;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code mcgate run --packet-io af-xdp} in the lab's router namespace, at either XDP hook: multicast data comes
 * through AF_XDP (its counter holds exactly the data frames sent) and reaches an any-source and a source-specific
 * receiver whole and once; IGMP and 224.0.0.0/24 still reach mcgate through the packet socket, and the latter is not
 * forwarded; a killed mcgate leaves no XDP program on its interfaces. Skipped, with the reason, where the kernel
 * refuses AF_XDP.
 */
@EndToEnd
class AfXdpE2ETest {

    private static final long START_MS = 20_000;
    private static final int PORT = 5001;
    private static final int DATAGRAMS = 400;

    @org.junit.jupiter.api.io.TempDir
    Path dir;

    @ParameterizedTest(name = "xdp-mode {0}")
    @ValueSource(strings = {"native", "generic"})
    void dataComesThroughAfXdpWholeAndOnceAndIgmpThroughThePacketSocket(String mode) throws Exception {
        Ip4 group = Ip4.parse("239.10.0.31");
        Ip4 unjoined = Ip4.parse("239.10.0.32");
        Ip4 mdns = Ip4.parse("224.0.0.251");
        Path config = dir.resolve("r.conf");
        Files.writeString(config, """
                packet-io af-xdp
                interface up0 {
                    role upstream
                }
                interface down1 {
                    role downstream
                }
                interface down2 {
                    role downstream
                }
                """);
        try (TestLab lab = TestLab.up()) {
            String router = lab.topology().router();
            Path log = dir.resolve("mcgate.log");
            Process mcgate = lab.startMcgate(router, log, "run", "-c", config.toString(), "--xdp-mode", mode);
            TestLab.awaitText(log, "running; stop with SIGTERM", START_MS);
            String started = Files.readString(log);
            Assumptions.assumeFalse(
                    started.contains("up0: no AF_XDP"),
                    "the kernel refuses AF_XDP here: "
                            + started.lines()
                                    .filter(l -> l.contains("no AF_XDP"))
                                    .findFirst()
                                    .orElse(""));
            assertTrue(started.contains("up0: multicast data arrives through AF_XDP (" + mode + " XDP"), started);
            Path socket = TestLab.controlSocketFor(log);
            assertTrue(xdpOn(router, "up0"), "an XDP program on up0 while mcgate runs");

            Ip4 source = dev.mcgate.lab.LabTopology.SOURCE_LINK.hostAddress();
            TestLab.Membership anySource = lab.join(1, group, PORT, Optional.empty());
            TestLab.Membership sourceSpecific = lab.join(2, group, PORT, Optional.of(source));
            TestLab.Membership mdnsMember = lab.join(1, mdns, PORT + 1, Optional.empty());
            TestLab.awaitGroup(socket, "down1", group, 5000);
            TestLab.awaitGroup(socket, "down2", group, 5000);
            long xdpBefore = counter(socket, "port_xdp_frames", "up0");

            // Read while sending: a receiver's socket buffer holds only a few hundred small datagrams.
            CompletableFuture<Set<Integer>> rx1 = CompletableFuture.supplyAsync(() -> sequenceNumbers(anySource));
            CompletableFuture<Set<Integer>> rx2 = CompletableFuture.supplyAsync(() -> sequenceNumbers(sourceSpecific));
            for (int i = 0; i < DATAGRAMS; i++) {
                lab.sendFromSource(
                        group, PORT, ByteBuffer.allocate(64).putInt(i).array(), 8);
            }
            for (int i = 0; i < 20; i++) {
                lab.sendFromSource(unjoined, PORT, new byte[64], 8);
                lab.sendFromSource(mdns, PORT + 1, new byte[64], 255);
            }
            Set<Integer> atRx1 = rx1.get(30, TimeUnit.SECONDS);
            Set<Integer> atRx2 = rx2.get(30, TimeUnit.SECONDS);
            Optional<byte[]> mdnsForwarded = mdnsMember.receive(300);
            long xdpFrames = counter(socket, "port_xdp_frames", "up0") - xdpBefore;
            long linkLocalDrops = drops(socket, "up0", "link-local-group");

            mcgate.destroyForcibly();
            assertTrue(mcgate.waitFor(15, TimeUnit.SECONDS));
            boolean xdpAfterKill = xdpOn(router, "up0");
            System.out.printf(
                    "figures: af-xdp (%s): %d datagrams sent; rx1 (any source) %d, rx2 (source-specific) %d; "
                            + "through AF_XDP on up0 %d (the group's and the unjoined group's); 224.0.0.251 dropped "
                            + "as link-local %d; XDP program after kill -9: %s%n",
                    mode, DATAGRAMS, atRx1.size(), atRx2.size(), xdpFrames, linkLocalDrops, xdpAfterKill);
            assertEquals(DATAGRAMS, atRx1.size(), "every datagram at the any-source receiver");
            assertEquals(DATAGRAMS, atRx2.size(), "every datagram at the source-specific receiver");
            assertEquals(DATAGRAMS + 20, xdpFrames, "the data frames, and nothing else, came through AF_XDP");
            assertEquals(20, linkLocalDrops, "224.0.0.251 reached mcgate through the packet socket and was dropped");
            assertEquals(Optional.empty(), mdnsForwarded, "224.0.0.0/24 is not forwarded");
            assertFalse(xdpAfterKill, "the BPF link went with the process: no program left on up0");
        }
    }

    /** Sequence numbers of the datagrams that arrive until none has for a second; a duplicate fails the test. */
    private static Set<Integer> sequenceNumbers(TestLab.Membership member) {
        Set<Integer> seen = new HashSet<>();
        try {
            Optional<byte[]> next = member.receive(3000);
            while (next.isPresent()) {
                int n = ByteBuffer.wrap(next.get()).getInt();
                assertTrue(seen.add(n), "datagram " + n + " arrived twice");
                next = member.receive(1000);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return seen;
    }

    private static boolean xdpOn(String ns, String ifName) throws Exception {
        return TestLab.run("ip", "netns", "exec", ns, "ip", "-d", "link", "show", ifName)
                .contains("prog/xdp");
    }

    /** A counter's value on an interface, from {@code counters --json}. */
    static long counter(Path socket, String metric, String ifName) {
        for (Object family : array(at(json(socket, "counters"), "counters"))) {
            if (metric.equals(object(family).get("name"))) {
                for (Object v : array(at(family, "values"))) {
                    if (ifName.equals(at(v, "labels", "interface"))) {
                        return ((Number) at(v, "value")).longValue();
                    }
                }
            }
        }
        throw new AssertionError("no counter " + metric + " for " + ifName);
    }

    private static long drops(Path socket, String ifName, String reason) {
        for (Object family : array(at(json(socket, "counters"), "counters"))) {
            for (Object v : array(at(family, "values"))) {
                Object labels = at(v, "labels");
                if (labels instanceof java.util.Map<?, ?> m
                        && ifName.equals(m.get("interface"))
                        && reason.equals(m.get("reason"))
                        && (m.get("direction") == null || "in".equals(m.get("direction")))) {
                    return ((Number) at(v, "value")).longValue();
                }
            }
        }
        return 0;
    }

    private static Object json(Path socket, String command) {
        CommandLineTest.Run r = CommandLineTest.mcgate(command, "--json", "--socket", socket.toString());
        assertEquals(0, r.exit(), command + ": " + r.err());
        return MiniJson.parse(r.out());
    }
}
