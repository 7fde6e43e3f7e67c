package dev.mcgate.e2e;

import static dev.mcgate.cli.CommandLineTest.mcgate;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.cli.CommandLineTest.Run;
import dev.mcgate.io.CaptureFilter;
import dev.mcgate.lab.Lab;
import dev.mcgate.lab.LabTopology;
import dev.mcgate.net.Ip4;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code mcgate lab up|status|down} on the real machine, and the settings the lab promises, read back from the kernel.
 */
@EndToEnd
class LabE2ETest {

    private static String inNs(String ns, String... command) throws IOException, InterruptedException {
        List<String> full = new java.util.ArrayList<>(List.of("ip", "netns", "exec", ns));
        full.addAll(List.of(command));
        Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        return out;
    }

    @Test
    void upStatusDownThroughTheCommandLine() throws Exception {
        String prefix = TestLab.newPrefix();
        LabTopology t = new LabTopology(prefix);
        try {
            Run up = mcgate("lab", "up", "--prefix", prefix, "--igmp-version", "1=2", "--mld-version", "2=1");
            assertEquals(0, up.exit(), up.err());
            assertTrue(
                    Lab.existingNamespaces().containsAll(t.namespaces()),
                    Lab.existingNamespaces().toString());
            // The source must put full UDP checksums on the wire, or forwarded datagrams are dropped by receivers.
            assertTrue(inNs(t.source(), "ethtool", "-k", "eth0").contains("tx-checksumming: off"));
            assertEquals(
                    "2",
                    inNs(t.receiver(1), "sysctl", "-n", "net.ipv4.conf.eth0.force_igmp_version")
                            .strip());
            assertEquals(
                    "0",
                    inNs(t.receiver(2), "sysctl", "-n", "net.ipv4.conf.eth0.force_igmp_version")
                            .strip());
            assertEquals(
                    "1",
                    inNs(t.receiver(2), "sysctl", "-n", "net.ipv6.conf.eth0.force_mld_version")
                            .strip());
            // IPv6 is usable as soon as 'lab up' returns: no address is still tentative, and the router reaches a
            // host's unique local and link-local addresses.
            assertTrue(inNs(
                            t.router(),
                            "ping",
                            "-6",
                            "-c",
                            "1",
                            "-W",
                            "2",
                            LabTopology.RX2_LINK.hostAddress6().toString())
                    .contains("1 received"));
            String hostLinkLocal = Lab.awaitLinkLocalAddress(t.receiver(1), LabTopology.HOST_IF)
                    .toString();
            assertTrue(inNs(t.router(), "ping", "-6", "-c", "1", "-W", "2", hostLinkLocal + "%down1")
                    .contains("1 received"));
            assertEquals("", inNs(t.router(), "ip", "-6", "addr", "show", "tentative"));
            assertEquals(
                    "0",
                    inNs(t.receiver(2), "sysctl", "-n", "net.ipv4.conf.eth0.rp_filter")
                            .strip());
            assertTrue(inNs(t.receiver(1), "ip", "route", "show", "224.0.0.0/4").contains("dev eth0"));
            // The router reaches every host.
            assertTrue(inNs(t.router(), "ping", "-c", "1", "-W", "2", "203.0.113.10")
                    .contains("1 received"));

            Run again = mcgate("lab", "up", "--prefix", prefix);
            assertNotEquals(0, again.exit());
            assertTrue(again.err().contains("exists already"), again.err());
            assertEquals(1, again.err().strip().lines().count(), "one line: " + again.err());

            Run status = mcgate("lab", "status", "--prefix", prefix);
            assertEquals(0, status.exit(), status.err());
            assertTrue(status.out().contains("198.51.100.1/24"), status.out());

            Run down = mcgate("lab", "down", "--prefix", prefix);
            assertEquals(0, down.exit(), down.err());
            assertTrue(Lab.existingNamespaces().stream().noneMatch(ns -> ns.startsWith(prefix + "-")));
            assertEquals(1, mcgate("lab", "status", "--prefix", prefix).exit(), "status of an absent lab");
        } finally {
            new Lab(t).down();
        }
    }

    @Test
    void aBadPrefixIsOneLineAndAUsageExit() {
        Run r = mcgate("lab", "up", "--prefix", "Bad/Name");
        assertEquals(64, r.exit());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("prefix"), r.err());
    }

    @Test
    void aForcedIgmpVersionIsWhatTheReceiverKernelSpeaks() throws Exception {
        try (TestLab lab = TestLab.up(Map.of(1, 2))) {
            BlockingQueue<byte[]> frames = new LinkedBlockingQueue<>();
            lab.openPcap(
                    lab.topology().router(),
                    "down1",
                    CaptureFilter.IGMP,
                    (p, frame, length) -> frames.add(Arrays.copyOf(frame, length)));
            Ip4 group = Ip4.of(239, 2, 2, 2);

            lab.join(1, group, 5001, Optional.empty());

            byte[] report = frames.poll(5, TimeUnit.SECONDS);
            assertNotNull(report, "no report captured");
            int igmp = 14 + (report[14] & 0x0f) * 4;
            assertEquals(0x16, report[igmp] & 0xff, "IGMPv2 membership report type");
            assertEquals(group, TestFrames.ipDestination(report), "a v2 report goes to the group itself");
        }
    }
}
