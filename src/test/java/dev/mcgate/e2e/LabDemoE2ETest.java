package dev.mcgate.e2e;

import static dev.mcgate.cli.CommandLineTest.mcgate;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.cli.CommandLineTest.Run;
import dev.mcgate.lab.Lab;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code mcgate lab demo}, the README's first command: the stream reaches the receivers that join, stops after they
 * leave, and the lab is gone afterwards; with {@code --ipv6} the same through the kernels' MLD hosts, with the hop
 * limit mcgate decremented and its status showing MLDv2 on the downstreams.
 */
@EndToEnd
class LabDemoE2ETest {

    @Test
    void theDemoShowsTheStreamArriveAndStop() throws Exception {
        String prefix = TestLab.newPrefix();
        Run r = mcgate("lab", "demo", "--prefix", prefix);

        assertEquals(0, r.exit(), r.out() + r.err());
        Matcher got =
                Pattern.compile("sent (\\d+); rx1 got (\\d+), rx2 got (\\d+)").matcher(r.out());
        assertTrue(got.find(), r.out());
        // rx1 is joined for 6 s and rx2 for 6 s of a 50/s stream: 300 each, less the first report's few ms.
        assertTrue(Integer.parseInt(got.group(2)) >= 280, r.out());
        assertTrue(Integer.parseInt(got.group(3)) >= 280, r.out());
        List<String> rows =
                r.out().lines().filter(l -> l.matches("\\s+\\d+s\\s.*")).toList();
        assertTrue(rows.get(0).matches("\\s+1s\\s+0/0\\s+0/0.*"), "nothing before any join: " + rows.get(0));
        assertTrue(
                rows.get(rows.size() - 1).matches("\\s+\\d+s\\s+0/0\\s+0/0.*"),
                "the stream stopped on both LANs after the leaves: " + rows.get(rows.size() - 1));
        assertTrue(r.out().contains("mcgate: down1: group 239.1.1.1 EX{} (was IN{})"), r.out());
        assertTrue(r.out().contains("mcgate: upstream up0: leaving 239.1.1.1"), r.out());
        assertTrue(Lab.existingNamespaces().stream().noneMatch(ns -> ns.startsWith(prefix + "-")));
    }

    @Test
    void theIpv6DemoShowsTheSsmStreamArriveOneHopLowerAndStop() throws Exception {
        String prefix = TestLab.newPrefix();
        Run r = mcgate("lab", "demo", "--ipv6", "--prefix", prefix);

        assertEquals(0, r.exit(), r.out() + r.err());
        Matcher got = Pattern.compile(
                        "sent (\\d+); rx1 got (\\d+), rx2 got (\\d+); hop limit on arrival: rx1 (\\S+), rx2 (\\S+)")
                .matcher(r.out());
        assertTrue(got.find(), r.out());
        // Each receiver is joined for 6 s of a 50/s stream: 300, less the first report's few ms.
        assertTrue(Integer.parseInt(got.group(2)) >= 280, r.out());
        assertTrue(Integer.parseInt(got.group(3)) >= 280, r.out());
        // Sent with hop limit 8: mcgate decrements it once (RFC 8200 §3).
        assertEquals("7", got.group(4), r.out());
        assertEquals("7", got.group(5), r.out());
        List<String> rows =
                r.out().lines().filter(l -> l.matches("\\s+\\d+s\\s.*")).toList();
        assertTrue(rows.get(0).matches("\\s+1s\\s+0/0\\s+0/0.*"), "nothing before any join: " + rows.get(0));
        assertTrue(
                rows.get(rows.size() - 1).matches("\\s+\\d+s\\s+0/0\\s+0/0.*"),
                "the stream stopped on both LANs after the leaves: " + rows.get(rows.size() - 1));
        // The kernel's MLDv2 (S,G) join, as mcgate saw it, and its report upstream.
        assertTrue(r.out().contains("mcgate: down1: group ff3e::1:1 IN{fd00:0:2::10} (was IN{})"), r.out());
        assertTrue(r.out().contains("mcgate: upstream up0: joining ff3e::1:1 IN{fd00:0:2::10}"), r.out());
        assertTrue(r.out().contains("mcgate: upstream up0: leaving ff3e::1:1"), r.out());
        // mcgate's status while both are joined: MLDv2 and this router the MLD querier on both downstreams.
        List<String> status = r.out()
                .lines()
                .filter(l -> l.matches("\\s+down[12]\\s+downstream\\s+open\\s.*"))
                .toList();
        assertEquals(2, status.size(), r.out());
        status.forEach(l -> assertTrue(l.matches(".*\\sv2\\s+this router\\s.*"), l));
        assertTrue(r.out().matches("(?s).*down2\\s+ff3e::1:1\\s+include\\s+-\\s+MLDv2\\s+fd00:0:2::10.*"), r.out());
        assertTrue(Lab.existingNamespaces().stream().noneMatch(ns -> ns.startsWith(prefix + "-")));
    }
}
