package dev.mcgate.e2e;

import static dev.mcgate.control.MiniJson.array;
import static dev.mcgate.control.MiniJson.at;
import static dev.mcgate.control.MiniJson.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.cli.CommandLineTest;
import dev.mcgate.control.MiniJson;
import dev.mcgate.io.linux.UnixDatagram;
import dev.mcgate.net.Ip4;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A service that cannot die quietly, in the lab's router namespace: a capture thread killed by an injected Error fails
 * its port, which comes back and forwards again; and the watchdog pings that the event loop sends stop when the loop
 * is blocked on purpose (under a socket standing in for systemd). Figures on lines starting with "figures:".
 */
@EndToEnd
class LivenessE2ETest {

    private static final long START_MS = 30_000;
    private static final int PORT = 5003;

    @TempDir
    Path dir;

    private Path config() throws IOException {
        Path file = dir.resolve("mcgate.conf");
        Files.writeString(file, """
                defaults {
                    query-interval 20s
                    query-response-interval 2s
                }
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
        return file;
    }

    private Process stream(TestLab lab, Ip4 group) throws IOException {
        return lab.startMcgate(
                lab.topology().source(),
                dir.resolve("send.log"),
                "lab",
                "send",
                "-g",
                group.toString(),
                "-p",
                Integer.toString(PORT),
                "-r",
                "200",
                "--size",
                "64",
                "--ttl",
                "5",
                "-d",
                "120s",
                "-q");
    }

    /** The value of one counter family for one interface, from {@code counters --json}. */
    private static double counter(Path socket, String metric, String interfaceName) {
        CommandLineTest.Run r = CommandLineTest.mcgate("counters", "--json", "--socket", socket.toString());
        assertEquals(0, r.exit(), r.err());
        Object doc = MiniJson.parse(r.out());
        for (Object family : array(at(doc, "counters"))) {
            if (metric.equals(object(family).get("name"))) {
                for (Object v : array(at(family, "values"))) {
                    if (interfaceName.equals(at(v, "labels", "interface"))) {
                        return (Double) at(v, "value");
                    }
                }
            }
        }
        throw new AssertionError(metric + " for " + interfaceName + " not in " + r.out());
    }

    @Test
    void aCaptureThreadKilledByAnErrorFailsItsPortWhichReopensAndForwardsAgain() throws Exception {
        Ip4 group = Ip4.parse("239.20.1.1");
        try (TestLab lab = TestLab.up()) {
            Path log = dir.resolve("mcgate.log");
            Path socket = TestLab.controlSocketFor(log);
            // The upstream's capture thread throws an InternalError after 400 frames of the stream (about 2 s).
            Process p = lab.startMcgate(
                    lab.topology().router(),
                    log,
                    List.of(),
                    Map.of("JAVA_TOOL_OPTIONS", "-Dmcgate.test.captureErrorAfter=up0:400"),
                    System.getProperty("java.class.path"),
                    "run",
                    "-c",
                    config().toString());
            TestLab.awaitText(log, "running; stop with SIGTERM", START_MS);
            TestLab.Membership member = lab.join(1, group, PORT, Optional.empty());
            stream(lab, group);
            assertTrue(member.receive(5000).isPresent(), "forwarding before the capture dies");

            TestLab.awaitText(log, "capture thread mcgate-capture-up0 died", 20_000);
            long died = System.nanoTime();
            String states = String.valueOf(new dev.mcgate.lab.ControlSocketProbe(socket).interfaceStates());
            while (member.receive(1).isPresent()) {
                // what was forwarded before the death
            }
            TestLab.awaitAnswer(
                    socket, "up0 open again", 10_000, pr -> pr.interfaceStates().get("up0"), "open"::equals);
            assertTrue(member.receive(5000).isPresent(), "forwarding again after the reopen");
            double backMs = (System.nanoTime() - died) / 1e6;

            assertTrue(p.isAlive(), "the daemon runs on");
            String out = Files.readString(log);
            assertTrue(out.contains("java.lang.InternalError: injected"), "the trace is logged: " + out);
            assertTrue(out.contains("up0 (upstream): capture stopped"), out);
            assertEquals(1.0, counter(socket, "capture_stopped", "up0"));
            assertEquals(1.0, counter(socket, "capture_reopens", "up0"));
            assertEquals(0.0, counter(socket, "capture_stopped", "down1"));
            System.out.println("figures: capture thread death to datagrams forwarded again: " + Math.round(backMs)
                    + " ms; states just after the death: " + states);
            member.close();
            p.destroy();
            assertTrue(p.waitFor(10, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), Files.readString(log));
        }
    }

    /** WATCHDOG=1 datagrams received within {@code ms}, with their arrival times in ms from the first call. */
    private static List<Double> pings(UnixDatagram manager, long ms) throws IOException {
        List<Double> at = new ArrayList<>();
        long start = System.nanoTime();
        long end = start + TimeUnit.MILLISECONDS.toNanos(ms);
        while (System.nanoTime() < end) {
            Optional<byte[]> d = manager.receive(Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())));
            if (d.isPresent() && new String(d.get(), StandardCharsets.UTF_8).equals("WATCHDOG=1")) {
                at.add((System.nanoTime() - start) / 1e6);
            }
        }
        return at;
    }

    @Test
    void watchdogPingsComeFromTheLoopAndStopWhenItIsBlocked() throws Exception {
        Path notifySocket = dir.resolve("notify");
        Path block = dir.resolve("block-the-loop");
        try (TestLab lab = TestLab.up();
                UnixDatagram manager = UnixDatagram.bind(notifySocket.toString())) {
            Path log = dir.resolve("mcgate.log");
            // WatchdogSec=400ms: a ping every 200 ms.
            Process p = lab.startMcgate(
                    lab.topology().router(),
                    log,
                    List.of(),
                    Map.of(
                            "NOTIFY_SOCKET",
                            notifySocket.toString(),
                            "WATCHDOG_USEC",
                            "400000",
                            "JAVA_TOOL_OPTIONS",
                            "-Dmcgate.test.blockLoopWhenFileExists=" + block),
                    System.getProperty("java.class.path"),
                    "run",
                    "-c",
                    config().toString());
            TestLab.awaitText(log, "running; stop with SIGTERM", START_MS);
            List<Double> alive = pings(manager, 3000);
            Files.createFile(block);
            Thread.sleep(500); // the loop looks for the file every 100 ms; a ping sent before it blocked may be queued
            pings(manager, 1);
            List<Double> blocked = pings(manager, 3000);

            List<Double> gaps = new ArrayList<>();
            for (int i = 1; i < alive.size(); i++) {
                gaps.add(alive.get(i) - alive.get(i - 1));
            }
            System.out.println("figures: WATCHDOG_USEC=400000: " + alive.size() + " pings in 3 s while the loop ran"
                    + " (gaps ms: " + gaps.stream().map(Math::round).toList() + "), " + blocked.size()
                    + " in 3 s once it was blocked");
            // 15 expected at 200 ms; a loaded 2-core box may delay a few.
            assertTrue(alive.size() >= 10, "pings while the loop runs: " + alive);
            assertEquals(List.of(), blocked, "no ping from a blocked loop");
            assertTrue(p.isAlive(), "the process itself is up: only the watchdog can tell");
            assertTrue(Files.readString(log).contains("systemd watchdog: WATCHDOG=1 from the event loop every 200 ms"));
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
