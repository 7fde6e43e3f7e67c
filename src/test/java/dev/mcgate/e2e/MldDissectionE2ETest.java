package dev.mcgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.lab.LabTopology;
import dev.mcgate.net.Ip6;
import dev.mcgate.packet.MldPacket;
import dev.mcgate.packet.MldV2Query;
import dev.mcgate.packet.MldV2Report;
import dev.mcgate.packet.RecordType;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * mcgate's MLD messages as Wireshark's dissector reads them: the queries it sends on a downstream (general and
 * multicast-address-specific) and the MLDv2 reports it sends upstream (the join and the leave), captured by tcpdump
 * and dissected by tshark: checksum good, hop limit 1, a Router Alert option, nothing malformed, no expert warning or
 * error. An independent reading of the bytes, where the project's own decoder could share a mistake with its encoder.
 */
@EndToEnd
class MldDissectionE2ETest {

    private static final Ip6 GROUP = Ip6.parse("ff15::48:1");
    /** Wireshark's expert severities (epan/proto.h): PI_WARN and above are a finding, notes and chats are not. */
    private static final long PI_WARN = 0x00600000L;

    private static final String[] FIELDS = {
        "frame.number",
        "icmpv6.type",
        "ipv6.hlim",
        "icmpv6.checksum.status",
        "ipv6.opt.router_alert",
        "_ws.malformed",
        "_ws.expert.severity",
        "_ws.expert.message"
    };

    @TempDir
    Path dir;

    /** One MLD message as tshark dissected it: one value (or several, comma-separated) per field of FIELDS. */
    private record Row(String[] values) {
        String get(String field) {
            int i = List.of(FIELDS).indexOf(field);
            return i < values.length ? values[i] : "";
        }

        @Override
        public String toString() {
            return String.join("|", values);
        }
    }

    @Test
    void mcgatesQueriesAndReportsDissectCleanlyInTshark() throws Exception {
        Assumptions.assumeTrue(
                onPath("tshark"), "tshark is not installed (Debian package tshark, installed by .ci/deps)");
        try (TestLab lab = TestLab.up()) {
            String router = lab.topology().router();
            Ip6 down = lab.linkLocalAddress(router, LabTopology.RX1_LINK.routerIf());
            Ip6 up = lab.linkLocalAddress(router, LabTopology.UPSTREAM_IF);
            Ipv6Capture downstream = Ipv6Capture.start(lab, lab.topology().receiver(1), LabTopology.HOST_IF, dir, "dn");
            Ipv6Capture upstream = Ipv6Capture.start(lab, lab.topology().source(), LabTopology.HOST_IF, dir, "up");
            Path config = dir.resolve("mcgate.conf");
            Files.writeString(config, """
                    defaults {
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
                    }
                    """);
            Path log = dir.resolve("mcgate.log");
            lab.startMcgate(router, log, "run", "-c", config.toString());
            TestLab.awaitText(log, "running; stop with SIGTERM", 20_000);

            TestLab.Membership member = lab.join6(1, GROUP, 5048, Optional.empty());
            upstream.awaitMld(
                    "mcgate's MLDv2 join upstream",
                    3000,
                    l -> l.stream().anyMatch(p -> isReport(p, up, RecordType.CHANGE_TO_EXCLUDE_MODE)));
            member.close();
            // The leave: multicast-address-specific queries downstream, then the TO_IN {} report upstream.
            upstream.awaitMld(
                    "mcgate's MLDv2 leave upstream",
                    3000,
                    l -> l.stream().anyMatch(p -> isReport(p, up, RecordType.CHANGE_TO_INCLUDE_MODE)));
            downstream.awaitMld(
                    "mcgate's general and specific queries",
                    3000,
                    l -> l.stream().anyMatch(p -> isQuery(p, down) && ((MldV2Query) p.message()).isGeneral())
                            && l.stream()
                                    .anyMatch(p -> isQuery(p, down)
                                            && ((MldV2Query) p.message())
                                                    .multicastAddress()
                                                    .equals(GROUP)));
            // Both sides count the same files, once tcpdump has written its last frame: a robustness retransmission
            // of the leave may still be on its way (counted at different moments they differed by one in a CI run).
            Path downstreamFile = downstream.stop();
            Path upstreamFile = upstream.stop();
            long ownQueries =
                    downstream.mld().stream().filter(p -> isQuery(p, down)).count();
            long ownReports = upstream.mld().stream()
                    .filter(p -> p.source().equals(up) && p.message() instanceof MldV2Report)
                    .count();

            List<Row> queryRows = dissect(downstreamFile, down, 130);
            List<Row> reportRows = dissect(upstreamFile, up, 143);
            System.out.printf(
                    "figures: tshark dissected %d MLD queries from mcgate (its own decoder: %d) and %d MLDv2 reports "
                            + "(%d); e.g. %s and %s (fields %s)%n",
                    queryRows.size(),
                    ownQueries,
                    reportRows.size(),
                    ownReports,
                    queryRows.isEmpty() ? "-" : queryRows.get(0),
                    reportRows.isEmpty() ? "-" : reportRows.get(0),
                    String.join("|", FIELDS));
            // tshark saw every message the project's decoder saw, so none was skipped or read as something else.
            assertEquals(ownQueries, queryRows.size(), "queries tshark found: " + queryRows);
            assertEquals(ownReports, reportRows.size(), "reports tshark found: " + reportRows);
            for (Row row : concat(queryRows, reportRows)) {
                assertEquals("1", row.get("icmpv6.checksum.status"), "ICMPv6 checksum not good: " + row);
                assertEquals("1", row.get("ipv6.hlim"), "hop limit: " + row);
                assertEquals("0", row.get("ipv6.opt.router_alert"), "Router Alert (MLD) missing: " + row);
                assertEquals("", row.get("_ws.malformed"), "malformed: " + row);
                for (String severity : row.get("_ws.expert.severity").split(",")) {
                    assertTrue(
                            severity.isEmpty() || Long.decode(severity) < PI_WARN, "expert warning or error: " + row);
                }
            }
        }
    }

    private static boolean isReport(MldPacket p, Ip6 from, RecordType type) {
        return p.source().equals(from)
                && p.message() instanceof MldV2Report r
                && r.records().stream().anyMatch(a -> a.multicastAddress().equals(GROUP) && a.type() == type);
    }

    private static boolean isQuery(MldPacket p, Ip6 from) {
        return p.source().equals(from) && p.message() instanceof MldV2Query;
    }

    /** tshark's dissection of the ICMPv6 messages of {@code type} from {@code source} in a pcap file, one row each. */
    private List<Row> dissect(Path pcap, Ip6 source, int type) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                "tshark",
                "-r",
                pcap.toString(),
                "-n",
                "-Y",
                "ipv6.src == " + source + " && icmpv6.type == " + type,
                "-T",
                "fields",
                "-E",
                "separator=|",
                "-E",
                "occurrence=a",
                "-E",
                "aggregator=,"));
        for (String f : FIELDS) {
            command.addAll(List.of("-e", f));
        }
        Path err = dir.resolve(pcap.getFileName() + ".tshark.err");
        Process p = new ProcessBuilder(command)
                .redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "tshark did not end");
        assertEquals(0, p.exitValue(), "tshark failed: " + Files.readString(err));
        return out.lines()
                .filter(l -> !l.isBlank())
                .map(l -> new Row(l.split("\\|", -1)))
                .toList();
    }

    private static List<Row> concat(List<Row> a, List<Row> b) {
        List<Row> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static boolean onPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String d : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, program))) {
                return true;
            }
        }
        return false;
    }
}
