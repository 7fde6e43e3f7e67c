package dev.mcgate.e2e;

import static dev.mcgate.control.MiniJson.array;
import static dev.mcgate.control.MiniJson.at;
import static dev.mcgate.control.MiniJson.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.cli.CommandLineTest;
import dev.mcgate.control.MiniJson;
import dev.mcgate.io.CaptureFilter;
import dev.mcgate.io.InterfacePort;
import dev.mcgate.lab.ControlSocketProbe;
import dev.mcgate.lab.JvmFlags;
import dev.mcgate.lab.LabTopology;
import dev.mcgate.net.Ip4;
import dev.mcgate.net.MacAddress;
import dev.mcgate.packet.GroupRecord;
import dev.mcgate.packet.IgmpEncoder;
import dev.mcgate.packet.RecordType;
import dev.mcgate.packet.V3MembershipReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The "Report flood" of issue 16: a host on down1 floods 100 000 groups from spoofed senders, mcgate running with the
 * systemd unit's JVM options. Its resident memory stays under the bound the README gives, it answers status during the
 * flood, a join on down2 gets its stream within 1 s, the counters show the drops, and SIGTERM stops it within 2 s.
 */
@EndToEnd
@Isolated
class ReportFloodE2ETest {

    /** The unit's JVM options (systemd/mcgate's, which JvmFlagsTest holds equal to these). */
    private static final String UNIT_JVM_OPTIONS = String.join(" ", JvmFlags.SMALL_FOOTPRINT);
    /** The bound the README gives for the unit's JVM options (Operations, "Limits"). */
    private static final long RSS_BOUND_KB = 200 * 1024;

    private static final int FLOOD_GROUPS = 100_000;
    /** 20 000 reports a second: the flood lasts about 5 s. */
    private static final long FLOOD_INTERVAL_NANOS = 50_000;

    private static final Ip4 FLOOD_BASE = Ip4.of(239, 100, 0, 0);
    private static final Ip4 STREAM = Ip4.of(239, 7, 7, 7);

    @Test
    void aReportFloodOnOneLanLeavesTheDaemonUpAnsweringAndForwardingToAnother(@TempDir Path dir) throws Exception {
        try (TestLab lab = TestLab.up()) {
            LabTopology t = lab.topology();
            Path log = dir.resolve("mcgate.log");
            Process mcgate = lab.startMcgate(
                    t.router(),
                    log,
                    List.of(),
                    Map.of("JAVA_TOOL_OPTIONS", UNIT_JVM_OPTIONS),
                    System.getProperty("java.class.path"),
                    "run",
                    "-c",
                    t.routerConfigFile().toString());
            Path socket = TestLab.controlSocketFor(log);
            ControlSocketProbe probe = new ControlSocketProbe(socket);
            assertEquals(Optional.empty(), probe.awaitReady(mcgate, 30_000));
            long rssBefore = rssKb(mcgate.pid());

            InterfacePort rx1 =
                    lab.openPcap(t.receiver(1), LabTopology.HOST_IF, CaptureFilter.NOTHING, (p, f, l) -> {});
            AtomicLong sent = new AtomicLong();
            CompletableFuture<Void> flood = CompletableFuture.runAsync(() -> flood(rx1, sent));

            // Well into the flood: status answers, and a join on down2 gets its stream.
            while (sent.get() < FLOOD_GROUPS / 5) {
                Thread.sleep(20);
            }
            long maxStatusMs = 0;
            for (int i = 0; i < 5; i++) {
                long asked = System.nanoTime();
                assertEquals("open", probe.interfaceStates().get("down1"));
                maxStatusMs = Math.max(maxStatusMs, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - asked));
            }
            Object statusJson = json(socket, "status");
            assertTrue(array(at(statusJson, "interfaces")).size() >= 3, statusJson.toString());

            long joinAt = System.nanoTime();
            long firstDatagramMs = -1;
            try (TestLab.Membership member = lab.join(2, STREAM, 5002, Optional.empty())) {
                for (int seq = 0; seq < 100 && firstDatagramMs < 0; seq++) {
                    lab.sendFromSource(STREAM, 5002, ("seq " + seq).getBytes(), 8);
                    if (member.receive(20).isPresent()) {
                        firstDatagramMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - joinAt);
                    }
                }
            }
            // Near the flood's end: the most it holds, and SIGTERM while the last reports still come.
            long rssDuring = rssKb(mcgate.pid());
            while (sent.get() < FLOOD_GROUPS * 9 / 10) {
                rssDuring = Math.max(rssDuring, rssKb(mcgate.pid()));
                Thread.sleep(20);
            }
            rssDuring = Math.max(rssDuring, rssKb(mcgate.pid()));

            Object counters = json(socket, "counters");
            long rateLimited = value(counters, "igmp_rate_limited", "down1");
            long overMaxGroups = value(counters, "router_records_over_max_groups", "down1");
            long down2RateLimited = value(counters, "igmp_rate_limited", "down2");
            long offSubnet = value(counters, "igmp_input_report_off_subnet_dropped", "down1");

            long sentAtStop = sent.get();
            long termAt = System.nanoTime();
            mcgate.destroy();
            boolean exited = mcgate.waitFor(2, TimeUnit.SECONDS);
            long stopMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - termAt);
            flood.get(60, TimeUnit.SECONDS);

            System.out.printf(
                    "report flood: RSS %d kB before, %d kB during (bound %d kB); status answered in %d ms at most;"
                            + " first datagram on down2 %d ms after the join; %d reports sent by SIGTERM,"
                            + " igmp_rate_limited{down1}=%d router_records_over_max_groups{down1}=%d"
                            + " igmp_input_report_off_subnet_dropped{down1}=%d;"
                            + " stopped %d ms after SIGTERM%n",
                    rssBefore,
                    rssDuring,
                    RSS_BOUND_KB,
                    maxStatusMs,
                    firstDatagramMs,
                    sentAtStop,
                    rateLimited,
                    overMaxGroups,
                    offSubnet,
                    stopMs);
            assertTrue(rssDuring < RSS_BOUND_KB, "RSS " + rssDuring + " kB");
            assertTrue(maxStatusMs < 1000, "status took " + maxStatusMs + " ms");
            assertTrue(firstDatagramMs >= 0 && firstDatagramMs <= 1000, "first datagram after " + firstDatagramMs);
            assertTrue(rateLimited > 0, "no rate-limit drops counted");
            assertTrue(offSubnet > 0, "no off-subnet drops counted");
            assertEquals(0, down2RateLimited, "down2 was not flooded");
            assertTrue(exited, "still running " + stopMs + " ms after SIGTERM");
            String text = Files.readString(log);
            // The error's class name, not the option's: the JVM echoes -XX:+ExitOnOutOfMemoryError into the log.
            assertTrue(!text.contains("java.lang.OutOfMemoryError"), text);
        }
    }

    /** One report per group, each from its own spoofed sender address and MAC, paced at 20 000 a second. */
    private static void flood(InterfacePort port, AtomicLong sent) {
        long next = System.nanoTime();
        for (int i = 0; i < FLOOD_GROUPS; i++) {
            Ip4 group = new Ip4(FLOOD_BASE.bits() + i);
            // Every other sender is spoofed inside down1's subnet (the input rules cannot tell it from a host: the
            // rate limit and the group limit must hold), the others come from off the subnet (the rules drop them).
            Ip4 sender = i % 2 == 0
                    ? new Ip4(Ip4.of(198, 51, 100, 20).bits() + (i / 2) % 200)
                    : new Ip4(Ip4.of(10, 0, 0, 0).bits() + i + 1);
            MacAddress mac = new MacAddress(0x0200_0000_0000L | i);
            byte[] frame = IgmpEncoder.ethernetFrame(
                    mac,
                    sender,
                    new V3MembershipReport(
                            List.of(new GroupRecord(RecordType.CHANGE_TO_EXCLUDE_MODE, group, List.of()))));
            port.send(frame, frame.length);
            sent.incrementAndGet();
            next += FLOOD_INTERVAL_NANOS;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
        }
    }

    private static long rssKb(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new AssertionError("no VmRSS for " + pid);
    }

    private static Object json(Path socket, String command) {
        CommandLineTest.Run r = CommandLineTest.mcgate(command, "--json", "--socket", socket.toString());
        assertEquals(0, r.exit(), command + ": " + r.err());
        return MiniJson.parse(r.out());
    }

    /** A counter's value for one interface in {@code counters --json}. */
    private static long value(Object counters, String metric, String ifName) {
        for (Object family : array(at(counters, "counters"))) {
            if (metric.equals(object(family).get("name"))) {
                for (Object v : array(at(family, "values"))) {
                    if (ifName.equals(at(v, "labels", "interface"))) {
                        return ((Double) at(v, "value")).longValue();
                    }
                }
                return 0;
            }
        }
        throw new AssertionError(metric + " not in " + counters);
    }
}
