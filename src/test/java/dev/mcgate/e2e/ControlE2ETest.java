package dev.mcgate.e2e;

import static dev.mcgate.control.MiniJson.array;
import static dev.mcgate.control.MiniJson.at;
import static dev.mcgate.control.MiniJson.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.cli.CommandLineTest;
import dev.mcgate.control.Exposition;
import dev.mcgate.control.MiniJson;
import dev.mcgate.counters.Counter;
import dev.mcgate.counters.CounterEnums;
import dev.mcgate.io.CaptureLoad;
import dev.mcgate.io.linux.Netns;
import dev.mcgate.lab.LabTopology;
import dev.mcgate.net.Ip4;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's view of a working router: mcgate runs in the lab's router namespace with a control socket in a
 * temporary directory and a metrics endpoint; a source streams, receiver 1's kernel joins, and status, groups, routes
 * and counters (text and JSON, through the CLI in this JVM) and a scrape of /metrics must show exactly that.
 */
@EndToEnd
class ControlE2ETest {

    private static final int PORT = 5001;
    private static final int METRICS_PORT = 9310;

    @TempDir
    Path dir;

    private static Object json(Path socket, String... command) {
        String[] args = new String[command.length + 3];
        System.arraycopy(command, 0, args, 0, command.length);
        args[command.length] = "--json";
        args[command.length + 1] = "--socket";
        args[command.length + 2] = socket.toString();
        CommandLineTest.Run r = CommandLineTest.mcgate(args);
        assertEquals(0, r.exit(), String.join(" ", command) + ": " + r.err());
        return MiniJson.parse(r.out());
    }

    private static String text(Path socket, String... command) {
        String[] args = new String[command.length + 2];
        System.arraycopy(command, 0, args, 0, command.length);
        args[command.length] = "--socket";
        args[command.length + 1] = socket.toString();
        CommandLineTest.Run r = CommandLineTest.mcgate(args);
        assertEquals(0, r.exit(), String.join(" ", command) + ": " + r.err());
        return r.out();
    }

    /** The one element of an array whose member {@code key} is {@code value}. */
    private static Map<String, Object> find(Object list, String key, Object value) {
        List<Object> matches = array(list).stream()
                .filter(o -> value.equals(object(o).get(key)))
                .toList();
        assertEquals(1, matches.size(), key + "=" + value + " in " + list);
        return object(matches.get(0));
    }

    /** The entries of one protocol: a dual-stack interface has an IGMP and an MLD router or host side. */
    private static List<Object> ofProtocol(Object list, String protocol) {
        return array(list).stream()
                .filter(o -> protocol.equals(object(o).get("protocol")))
                .toList();
    }

    @Test
    void theCommandsAndTheMetricsShowTheJoinedGroupTheFlowAndTheQuerier() throws Exception {
        Ip4 group = Ip4.parse("239.20.0.1");
        String source = LabTopology.SOURCE_LINK.hostAddress().toString();
        Path socket = dir.resolve("run/mcgate.sock");
        Path config = dir.resolve("r.conf");
        Files.writeString(config, """
                metrics-listen 127.0.0.1:%d
                interface up0 {
                    role upstream
                }
                interface down1 {
                    role downstream
                }
                interface down2 {
                    role downstream
                }
                """.formatted(METRICS_PORT));
        try (TestLab lab = TestLab.up()) {
            Path log = dir.resolve("mcgate.log");
            Process router = lab.startMcgate(
                    lab.topology().router(),
                    log,
                    "run",
                    "-c",
                    config.toString(),
                    "--control-socket",
                    socket.toString());
            TestLab.awaitText(log, "running; stop with SIGTERM", 20_000);
            assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));

            lab.startMcgate(
                    lab.topology().source(),
                    dir.resolve("send.log"),
                    "lab",
                    "send",
                    "-g",
                    group.toString(),
                    "-r",
                    "200",
                    "--ttl",
                    "5",
                    "-d",
                    "60s",
                    "-q");
            TestLab.Membership member = lab.join(1, group, PORT, Optional.empty());
            TestLab.awaitGroup(socket, "down1", group, 5000);
            // The sender is a JVM of its own: on a loaded machine it may take seconds to start.
            assertTrue(member.receive(15_000).isPresent(), "the stream reaches receiver 1");

            // groups: the record on down1 (EXCLUDE{}, a running group timer), none on down2, reported on up0.
            Object groups = json(socket, "groups");
            Map<String, Object> down1 = find(ofProtocol(at(groups, "downstreams"), "igmp"), "interface", "down1");
            // The same downstream runs an MLD router too, from its link-local address.
            Map<String, Object> down1Mld = find(ofProtocol(at(groups, "downstreams"), "mld"), "interface", "down1");
            assertTrue(((String) down1Mld.get("address")).startsWith("fe80:"), down1Mld.toString());
            assertEquals(2.0, down1Mld.get("mld_version"));
            Map<String, Object> g = find(down1.get("groups"), "group", group.toString());
            assertEquals("exclude", g.get("filter_mode"));
            double timer = (Double) g.get("group_timer_seconds");
            assertTrue(timer > 200 && timer <= 260, "group timer " + timer);
            assertEquals(
                    List.of(), at(find(ofProtocol(at(groups, "downstreams"), "igmp"), "interface", "down2"), "groups"));
            Map<String, Object> up0 = find(ofProtocol(at(groups, "upstreams"), "igmp"), "interface", "up0");
            assertEquals(
                    "exclude",
                    find(up0.get("groups"), "group", group.toString()).get("filter_mode"));
            assertTrue(text(socket, "groups", "--interface", "down1")
                    .lines()
                    .anyMatch(l -> l.startsWith("down1") && l.contains(group.toString()) && l.contains("exclude")));

            // status: every interface open, this router querier on the downstreams.
            Object status = json(socket, "status");
            assertEquals(1.0, at(status, "schema"));
            for (String name : List.of("up0", "down1", "down2")) {
                assertEquals(
                        "open", find(at(status, "interfaces"), "name", name).get("state"));
            }
            Map<String, Object> down1Status = find(at(status, "interfaces"), "name", "down1");
            assertEquals(true, at(down1Status, "querier", "this_router"));
            assertEquals(LabTopology.RX1_LINK.routerAddress().toString(), at(down1Status, "querier", "address"));
            assertEquals("ethernet", down1Status.get("link_type"));
            // capture-buffer auto: the upstream's ring sized for streams, a downstream's for its hosts' IGMP.
            String rtr = lab.topology().router();
            assertEquals(
                    (double) CaptureLoad.STREAMS.bufferBytes(
                            lab.netInterface(rtr, "up0").mtu()),
                    find(at(status, "interfaces"), "name", "up0").get("capture_buffer_bytes"));
            assertEquals(
                    (double) CaptureLoad.MEMBERSHIP.bufferBytes(
                            lab.netInterface(rtr, "down1").mtu()),
                    down1Status.get("capture_buffer_bytes"));
            assertEquals(1.0, at(status, "totals", "groups"));
            assertTrue(
                    text(socket, "status").lines().anyMatch(l -> l.startsWith("down1") && l.contains("this router")));

            // routes: the flow from the source in on up0, out of down1 only, its packet count growing.
            Object routes1 = json(socket, "routes");
            Map<String, Object> flow1 = find(at(routes1, "flows"), "group", group.toString());
            assertEquals(source, flow1.get("source"));
            assertEquals("up0", flow1.get("ingress"));
            assertEquals(List.of("down1"), flow1.get("egress"));
            Thread.sleep(2500); // two rate samples and some 500 more packets
            Object routes2 = json(socket, "routes");
            Map<String, Object> flow2 = find(at(routes2, "flows"), "group", group.toString());
            double p1 = (Double) flow1.get("packets");
            double p2 = (Double) flow2.get("packets");
            double pps = (Double) flow2.get("packets_per_second");
            assertTrue(p2 > p1 + 100, "packets grow: " + p1 + " then " + p2);
            assertTrue(pps > 50 && pps < 1000, "about 200 pps: " + pps);
            assertTrue(text(socket, "routes")
                    .lines()
                    .anyMatch(l -> l.startsWith(source) && l.contains(" up0 ") && l.contains(" down1 ")));

            // counters: frames in on up0, copies out of down1, the receiver's reports heard on down1.
            Object counters = json(socket, "counters");
            Map<String, Object> up0Counters = find(at(counters, "interfaces"), "name", "up0");
            assertTrue((Double) at(up0Counters, "frames", "received") > p1, counters.toString());
            assertTrue((Double) at(find(at(counters, "interfaces"), "name", "down1"), "forwarding", "sent") > p1);
            Map<String, Object> reports = find(
                    array(at(counters, "igmp")).stream()
                            .filter(o -> "down1".equals(object(o).get("interface")))
                            .toList(),
                    "kind",
                    "v3-report");
            assertTrue((Double) reports.get("count") >= 1);
            assertTrue(text(socket, "counters").contains("v3-report"));
            // Every counter the daemon keeps is listed, the control server's own among them (it counted this test's
            // requests so far), and the IGMP senders counted the queries down1 sent.
            Map<String, Object> families = new java.util.HashMap<>();
            array(at(counters, "counters"))
                    .forEach(f -> families.put((String) object(f).get("name"), f));
            for (Counter c : CounterEnums.everyConstant()) {
                assertTrue(families.containsKey(c.metric()), c.metric() + " missing: " + families.keySet());
            }
            assertTrue(
                    (Double) at(families.get("control_requests_answered"), "values", 0, "value") >= 5,
                    families.get("control_requests_answered").toString());
            assertTrue(
                    array(at(families.get("igmp_frames_sent"), "values")).stream()
                            .anyMatch(
                                    v -> "down1".equals(at(v, "labels", "interface")) && (Double) at(v, "value") >= 1),
                    families.get("igmp_frames_sent").toString());

            // metrics, scraped inside the router's namespace.
            Exposition m = Exposition.parse(scrape(lab.topology().router()));
            assertEquals(1.0, m.value("mcgate_querier", "interface", "down1", "protocol", "igmp"));
            assertEquals(1.0, m.value("mcgate_groups", "interface", "down1", "protocol", "igmp"));
            assertEquals(0.0, m.value("mcgate_groups", "interface", "down2", "protocol", "igmp"));
            assertEquals(1.0, m.value("mcgate_upstream_groups", "interface", "up0", "protocol", "igmp"));
            assertTrue(
                    m.value("mcgate_flow_packets_total", "ingress", "up0", "source", source, "group", group.toString())
                            >= p2);
            assertEquals(
                    3.0,
                    m.named("mcgate_interface_open").stream()
                            .mapToDouble(Exposition.Sample::value)
                            .sum());
            assertFalse(m.named("jvm_threads_current").isEmpty());
            assertEquals(
                    0.0,
                    m.value("mcgate_port_handler_errors_total", "interface", "up0"),
                    "a counter once kept and shown nowhere, as a series");
            System.out.printf(
                    "figures: flow %s -> %s: %.0f then %.0f packets, %.1f pps over %s s; scrape of %d " + "samples%n",
                    source, group, p1, p2, pps, at(routes2, "rate_window_seconds"), m.samples.size());

            // A clean stop removes the socket file.
            router.destroy();
            assertTrue(router.waitFor(15, TimeUnit.SECONDS));
            assertFalse(Files.exists(socket), "socket removed on stop");
            member.close();
        }
    }

    /** GET /metrics over a plain socket opened inside the namespace (HTTP/1.0: the server closes when done). */
    private static String scrape(String namespace) throws Exception {
        return Netns.call(namespace, () -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", METRICS_PORT), 5000);
                s.setSoTimeout(20_000);
                OutputStream out = s.getOutputStream();
                out.write("GET /metrics HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = s.getInputStream();
                String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(
                        response.startsWith("HTTP/1.1 200") || response.startsWith("HTTP/1.0 200"),
                        response.lines().findFirst().orElse(""));
                return response.substring(response.indexOf("\r\n\r\n") + 4);
            }
        });
    }
}
