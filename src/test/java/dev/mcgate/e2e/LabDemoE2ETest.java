package dev.mcgate.e2e;

import static dev.mcgate.cli.CommandLineTest.mcgate;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.cli.CommandLineTest.Run;
import dev.mcgate.lab.Lab;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code mcgate lab demo}, the README's first command: the stream reaches the receivers that join, stops after they
 * leave, and the lab is gone afterwards.
 */
@Tag("e2e")
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
}
