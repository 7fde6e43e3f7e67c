package dev.mcgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.lab.LabTopology;
import dev.mcgate.lab.LabTopology.Link;
import dev.mcgate.net.Ip6;
import dev.mcgate.packet.MldDone;
import dev.mcgate.packet.MldPacket;
import dev.mcgate.packet.MldV1Report;
import dev.mcgate.packet.MldV2Report;
import dev.mcgate.packet.MulticastAddressRecord;
import dev.mcgate.packet.RecordType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lab speaks IPv6 with no mcgate involved: {@code lab receive} in a receiver namespace joins IPv6 groups through
 * the kernel's MLD host stack, {@code lab send} in the router namespace sends to them on the veth between, and tcpdump
 * on the router's end shows what crossed the wire.
 */
@EndToEnd
class LabIpv6E2ETest {

    private static final Ip6 SSM_GROUP = Ip6.parse("ff3e::1:1");
    private static final Ip6 ASM_GROUP = Ip6.parse("ff15::1:2");
    private static final Ip6 MLDV1_GROUP = Ip6.parse("ff15::1:3");
    private static final int COUNT = 200;

    private static TestLab lab;

    @TempDir
    Path dir;

    /** Each {@code mcgate lab} process's output, for the failure messages. */
    private final Map<Process, Path> processLogs = new HashMap<>();

    @BeforeAll
    static void up() throws Exception {
        lab = TestLab.up();
    }

    @AfterAll
    static void down() throws Exception {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void mldv2JoinsComeFromTheLinkLocalAddressAndEveryDatagramArrivesInOrderWithItsHopLimit() throws Exception {
        Link link = LabTopology.RX1_LINK;
        String host = lab.topology().receiver(1);
        Ip6 hostLinkLocal = lab.linkLocalAddress(host, LabTopology.HOST_IF);
        Ip6 source = link.routerAddress6();
        Ipv6Capture wire = Ipv6Capture.start(lab, lab.topology().router(), link.routerIf(), dir, "rx1");

        Path ssmJson = dir.resolve("ssm.json");
        Path asmJson = dir.resolve("asm.json");
        Process ssm = receive(host, SSM_GROUP, "-s", source.toString(), "--json", ssmJson.toString());
        Process asm = receive(host, ASM_GROUP, "--json", asmJson.toString());

        // RFC 9777 §5.2: a join is a state-change report; (S,G) becomes ALLOW {S}, any-source TO_EX {}.
        MulticastAddressRecord ssmJoin =
                new MulticastAddressRecord(RecordType.ALLOW_NEW_SOURCES, SSM_GROUP, List.of(source));
        MulticastAddressRecord asmJoin =
                new MulticastAddressRecord(RecordType.CHANGE_TO_EXCLUDE_MODE, ASM_GROUP, List.of());
        List<MldPacket> mld = wire.awaitMld(
                "MLDv2 joins of " + SSM_GROUP + " and " + ASM_GROUP,
                10_000,
                seen -> hasV2Record(seen, ssmJoin) && hasV2Record(seen, asmJoin));
        for (MldPacket report : v2ReportsOf(mld, SSM_GROUP, ASM_GROUP)) {
            assertEquals(hostLinkLocal, report.source(), "MLD comes from the link-local address: " + report);
            assertTrue(report.source().isLinkLocalUnicast(), report.toString());
            assertEquals(Ip6.ALL_MLDV2_ROUTERS, report.destination(), report.toString());
            assertEquals(1, report.header().hopLimit(), report.toString());
            assertTrue(report.hasRouterAlert(), report.toString());
        }

        Process toSsm = send(lab.topology().router(), SSM_GROUP, source, link.routerIf(), 5);
        Process toAsm = send(lab.topology().router(), ASM_GROUP, source, link.routerIf(), 7);
        assertEquals(0, exit(toSsm), log(toSsm));
        assertEquals(0, exit(toAsm), log(toAsm));
        assertEquals(0, exit(ssm), log(ssm));
        assertEquals(0, exit(asm), log(asm));

        String ssmResult = Files.readString(ssmJson);
        String asmResult = Files.readString(asmJson);
        assertCountedInOrder(ssmResult, source, 5);
        assertCountedInOrder(asmResult, source, 7);
        System.out.printf(
                "LabIpv6E2ETest: %d MLD packets captured; (S,G) %s: latency p50 %d us; %s: latency p50 %d us%n",
                mld.size(), SSM_GROUP, number(ssmResult, "p50"), ASM_GROUP, number(asmResult, "p50"));
        // The hop limit on the wire is the one asked for, not only the one the receiving kernel reports.
        List<Ipv6Capture.Datagram> toSsmOnWire = toGroup(
                wire.awaitUdp(
                        COUNT + " datagrams to " + SSM_GROUP,
                        10_000,
                        seen -> toGroup(seen, SSM_GROUP).size() >= COUNT),
                SSM_GROUP);
        assertEquals(COUNT, toSsmOnWire.size(), "datagrams to " + SSM_GROUP + " on the wire");
        assertTrue(
                toSsmOnWire.stream()
                        .allMatch(d -> d.header().hopLimit() == 5
                                && d.header().source().equals(source)),
                toSsmOnWire.get(0).toString());
    }

    @Test
    void anMldv1HostJoinsWithAVersion1ReportAndLeavesWithDone() throws Exception {
        Link link = LabTopology.RX2_LINK;
        String host = lab.topology().receiver(2);
        lab.forceMldVersion(host, LabTopology.HOST_IF, 1);
        Ip6 hostLinkLocal = lab.linkLocalAddress(host, LabTopology.HOST_IF);
        Ipv6Capture wire = Ipv6Capture.start(lab, lab.topology().router(), link.routerIf(), dir, "rx2");

        Path json = dir.resolve("v1.json");
        Process receiver = receive(host, MLDV1_GROUP, "--json", json.toString());
        // RFC 2710 §3: a Multicast Listener Report (131) sent to the address it reports.
        MldPacket report = wire
                .awaitMld(
                        "an MLDv1 report for " + MLDV1_GROUP,
                        10_000,
                        seen -> seen.stream().anyMatch(p -> p.message().equals(new MldV1Report(MLDV1_GROUP))))
                .stream()
                .filter(p -> p.message() instanceof MldV1Report)
                .findFirst()
                .orElseThrow();
        assertEquals(hostLinkLocal, report.source(), report.toString());
        assertEquals(MLDV1_GROUP, report.destination(), report.toString());
        assertEquals(1, report.header().hopLimit(), report.toString());

        Process sender = send(lab.topology().router(), MLDV1_GROUP, link.routerAddress6(), link.routerIf(), 3);
        assertEquals(0, exit(sender), log(sender));
        assertEquals(0, exit(receiver), log(receiver)); // it leaves when it has counted them all
        assertCountedInOrder(Files.readString(json), link.routerAddress6(), 3);

        // RFC 2710 §4: the leave is a Done (132) to all routers.
        List<MldPacket> mld = wire.awaitMld(
                "an MLDv1 Done for " + MLDV1_GROUP,
                10_000,
                seen -> seen.stream().anyMatch(p -> p.message().equals(new MldDone(MLDV1_GROUP))));
        MldPacket done = mld.stream()
                .filter(p -> p.message() instanceof MldDone)
                .findFirst()
                .orElseThrow();
        assertEquals(hostLinkLocal, done.source(), done.toString());
        assertEquals(Ip6.ALL_ROUTERS, done.destination(), done.toString());
        assertEquals(List.of(), v2ReportsOf(mld, MLDV1_GROUP), "a host forced to MLDv1 sends no MLDv2 report");
    }

    private static List<Ipv6Capture.Datagram> toGroup(List<Ipv6Capture.Datagram> datagrams, Ip6 group) {
        return datagrams.stream()
                .filter(d -> d.header().destination().equals(group))
                .toList();
    }

    private static boolean hasV2Record(List<MldPacket> packets, MulticastAddressRecord wanted) {
        return packets.stream()
                .anyMatch(
                        p -> p.message() instanceof MldV2Report r && r.records().contains(wanted));
    }

    /** The MLDv2 reports that carry a record for any of these groups. */
    private static List<MldPacket> v2ReportsOf(List<MldPacket> packets, Ip6... groups) {
        List<Ip6> wanted = List.of(groups);
        return packets.stream()
                .filter(p -> p.message() instanceof MldV2Report r
                        && r.records().stream().anyMatch(rec -> wanted.contains(rec.multicastAddress())))
                .toList();
    }

    /** {@code lab receive} of {@link #COUNT} datagrams on the host's eth0, then it exits (and leaves). */
    private Process receive(String ns, Ip6 group, String... more) throws IOException {
        List<String> args = new ArrayList<>(List.of(
                "receive",
                "-g",
                group.toString(),
                "-i",
                LabTopology.HOST_IF,
                "-c",
                Integer.toString(COUNT),
                "-d",
                "30s",
                "--expect",
                Integer.toString(COUNT),
                "-q"));
        args.addAll(List.of(more));
        return mcgateLab(ns, args);
    }

    private Process send(String ns, Ip6 group, Ip6 source, String ifName, int hopLimit) throws IOException {
        return mcgateLab(
                ns,
                List.of(
                        "send",
                        "-g",
                        group.toString(),
                        "-s",
                        source.toString(),
                        "-i",
                        ifName,
                        "--hop-limit",
                        Integer.toString(hopLimit),
                        "-c",
                        Integer.toString(COUNT),
                        "--rate",
                        "1000",
                        "-q"));
    }

    private Process mcgateLab(String ns, List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of("lab"));
        command.addAll(args);
        Path log = dir.resolve(ns + "-" + args.get(0) + "-" + processLogs.size() + ".log");
        Process p = lab.startMcgate(ns, log, command.toArray(String[]::new));
        processLogs.put(p, log);
        return p;
    }

    private String log(Process p) throws IOException {
        Path log = processLogs.get(p);
        return log == null || !Files.exists(log) ? "(no log)" : Files.readString(log);
    }

    private static int exit(Process process) throws InterruptedException {
        if (!process.waitFor(40, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(
                    "still running after 40 s: " + process.info().commandLine().orElse("?"));
        }
        return process.exitValue();
    }

    /** Every datagram once, none lost, none out of order, all from the source with the hop limit it was sent with. */
    private static void assertCountedInOrder(String json, Ip6 source, int hopLimit) {
        assertEquals(COUNT, number(json, "received"), json);
        assertEquals(COUNT, number(json, "distinct"), json);
        assertEquals(0, number(json, "lost"), json);
        assertEquals(0, number(json, "duplicated"), json);
        assertEquals(0, number(json, "reordered"), json);
        assertEquals(hopLimit, number(json, "ttlMin"), json);
        assertEquals(hopLimit, number(json, "ttlMax"), json);
        assertTrue(json.contains("\"sources\": [\n    \"" + source + "\"\n  ]"), json);
    }

    private static long number(String json, String field) {
        Matcher m = Pattern.compile("\"" + field + "\": (-?\\d+)").matcher(json);
        assertTrue(m.find(), field + " in " + json);
        return Long.parseLong(m.group(1));
    }
}
