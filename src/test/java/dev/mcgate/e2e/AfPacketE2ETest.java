package dev.mcgate.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.io.CaptureFilter;
import dev.mcgate.io.CaptureLoad;
import dev.mcgate.io.FrameHandler;
import dev.mcgate.io.InterfacePort;
import dev.mcgate.io.linux.AfPacketPacketIo;
import dev.mcgate.io.linux.Netns;
import dev.mcgate.lab.LabTopology;
import dev.mcgate.net.Ip4;
import dev.mcgate.packet.LinkType;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The AF_PACKET engine in real namespaces: what its kernel filter lets through, that neither its own injections nor
 * another socket's are read back, raw IP on a tun device, a prompt close, and the daemon forwarding with
 * {@code packet-io af-packet}. A pcap port on the far end of the veth is the independent witness.
 */
@EndToEnd
@Isolated
class AfPacketE2ETest {

    private static final int PORT = 5001;

    @TempDir
    Path dir;

    private final List<InterfacePort> ports = new ArrayList<>();

    private InterfacePort open(
            TestLab lab,
            String ns,
            String ifName,
            CaptureFilter filter,
            FrameHandler handler,
            AfPacketPacketIo.Options options)
            throws Exception {
        var nif = lab.netInterface(ns, ifName);
        InterfacePort port = Netns.call(ns, () -> new AfPacketPacketIo(options).open(nif, filter, handler));
        ports.add(port);
        return port;
    }

    private void closePorts() {
        for (InterfacePort p : ports) {
            p.close();
        }
        ports.clear();
    }

    private static FrameHandler into(BlockingQueue<byte[]> queue) {
        return (p, frame, length) -> queue.add(Arrays.copyOf(frame, length));
    }

    @ParameterizedTest(name = "PACKET_IGNORE_OUTGOING {0}")
    @ValueSource(booleans = {true, false})
    void readsWhatItsFilterPassesAndNeverOutgoingFrames(boolean ignoreOutgoing) throws Exception {
        AfPacketPacketIo.Options options =
                new AfPacketPacketIo.Options(8, ignoreOutgoing, false, 200, AfPacketPacketIo.Xdp.OFF);
        try (TestLab lab = TestLab.up()) {
            String rtr = lab.topology().router();
            BlockingQueue<byte[]> igmpOnly = new LinkedBlockingQueue<>();
            BlockingQueue<byte[]> multicast = new LinkedBlockingQueue<>();
            BlockingQueue<byte[]> peer = new LinkedBlockingQueue<>();
            InterfacePort sender = open(lab, rtr, "down1", CaptureFilter.IGMP, into(igmpOnly), options);
            // A second socket on the same interface, wide open to multicast: it must not read the first one's sends.
            InterfacePort other = open(lab, rtr, "down1", CaptureFilter.IGMP_AND_MULTICAST, into(multicast), options);
            InterfacePort witness = lab.openPcap(
                    lab.topology().receiver(1), LabTopology.HOST_IF, CaptureFilter.IGMP_AND_MULTICAST, into(peer));
            assertEquals(LinkType.ETHERNET, sender.linkType());
            // As root SO_RCVBUFFORCE grants the buffer the filter's load asks for, whatever net.core.rmem_max says.
            assertEquals(
                    CaptureLoad.MEMBERSHIP.bufferBytes(sender.netInterface().mtu()), sender.captureBufferBytes());
            assertEquals(CaptureLoad.STREAMS.bufferBytes(other.netInterface().mtu()), other.captureBufferBytes());

            Ip4 group = Ip4.of(239, 7, 7, 21);
            int sends = 100;
            for (int i = 0; i < sends; i++) {
                byte[] frame = TestFrames.udpMulticast(
                        sender.netInterface().mac().orElseThrow().toBytes(),
                        LabTopology.RX1_LINK.routerAddress(),
                        group,
                        PORT,
                        new byte[] {(byte) i, 2, 3},
                        4);
                assertTrue(sender.send(frame, frame.length));
            }
            for (int i = 0; i < sends; i++) {
                byte[] seen = peer.poll(5, TimeUnit.SECONDS);
                assertNotNull(seen, "only " + i + " of the injected frames reached the other end");
                assertEquals(group, TestFrames.ipDestination(seen));
            }

            // From the far end: multicast data (the wide port only) and, through the kernel's own join, IGMP (both).
            Ip4 fromPeer = Ip4.of(239, 7, 7, 22);
            byte[] data = TestFrames.udpMulticast(
                    witness.netInterface().mac().orElseThrow().toBytes(),
                    LabTopology.RX1_LINK.hostAddress(),
                    fromPeer,
                    PORT,
                    "peer data".getBytes(StandardCharsets.US_ASCII),
                    4);
            assertTrue(witness.send(data, data.length));
            byte[] got = multicast.poll(5, TimeUnit.SECONDS);
            assertNotNull(got, "the multicast port did not read the peer's datagram");
            assertArrayEquals(data, got, "the frame as it was on the wire");
            try (TestLab.Membership m = lab.join(1, Ip4.of(239, 7, 7, 23), PORT, Optional.empty())) {
                byte[] report = igmpOnly.poll(5, TimeUnit.SECONDS);
                assertNotNull(report, "the IGMP port did not read the receiver's report");
                assertEquals(2, TestFrames.ipProtocol(report));
            }
            Thread.sleep(300);
            assertTrue(
                    igmpOnly.stream().allMatch(f -> TestFrames.ipProtocol(f) == 2),
                    "the IGMP-only filter let other frames through");
            assertTrue(
                    multicast.stream()
                            .noneMatch(f -> TestFrames.ipDestination(f).equals(group)),
                    "a socket read frames another socket on its interface sent");
            closePorts();
            // Closed: no frame can be on its way to a handler any more, so the counts must agree exactly.
            assertEquals(sends, sender.counters().sent());
            assertEquals(0, sender.counters().sendErrors());
            assertEquals(igmpOnly.size() + 1, sender.counters().received(), "counted what it handed over (one polled)");
            assertEquals(multicast.size() + 1, other.counters().received(), "counted what it handed over (one polled)");
        } finally {
            closePorts();
        }
    }

    /** Holds tun0 as a VPN daemon would: writes one packet (hex), then prints the first UDP packet it reads. */
    private static final String TUN_PEER = """
            import fcntl, os, select, struct, sys
            fd = os.open('/dev/net/tun', os.O_RDWR)
            fcntl.ioctl(fd, 0x400454ca, struct.pack('16sH', b'tun0', 0x0001 | 0x1000))  # TUNSETIFF, IFF_TUN|IFF_NO_PI
            print('attached', flush=True)
            sys.stdin.readline()
            os.write(fd, bytes.fromhex(sys.argv[1]))
            while True:
                r, _, _ = select.select([fd], [], [], 5)
                if not r:
                    print('timeout', flush=True)
                    break
                p = os.read(fd, 65535)
                if p[0] >> 4 == 4 and p[9] == 17:
                    print(p.hex(), flush=True)
                    break
            """;

    @Test
    void aTunDeviceIsRawIpBothWays() throws Exception {
        try (TestLab lab = TestLab.up()) {
            String rtr = lab.topology().router();
            TestLab.run("ip", "-n", rtr, "tuntap", "add", "dev", "tun0", "mode", "tun");
            TestLab.run("ip", "-n", rtr, "addr", "add", "10.99.0.1/30", "dev", "tun0");
            TestLab.run("ip", "-n", rtr, "link", "set", "tun0", "up");
            Ip4 group = Ip4.of(239, 9, 9, 19);
            byte[] fromPeer = ipOnly(TestFrames.udpMulticast(
                    new byte[6],
                    Ip4.parse("10.99.0.2"),
                    group,
                    7000,
                    "from the vpn".getBytes(StandardCharsets.US_ASCII),
                    5));
            Process peer = new ProcessBuilder(
                            "ip",
                            "netns",
                            "exec",
                            rtr,
                            "python3",
                            "-c",
                            TUN_PEER,
                            HexFormat.of().formatHex(fromPeer))
                    .redirectErrorStream(true)
                    .start();
            try {
                var out = new BufferedReader(new InputStreamReader(peer.getInputStream()));
                assertEquals("attached", out.readLine());
                BlockingQueue<byte[]> captured = new LinkedBlockingQueue<>();
                InterfacePort port = open(
                        lab,
                        rtr,
                        "tun0",
                        CaptureFilter.IGMP_AND_MULTICAST,
                        into(captured),
                        AfPacketPacketIo.Options.DEFAULTS);
                assertEquals(LinkType.RAW_IP, port.linkType());

                peer.getOutputStream().write('\n');
                peer.getOutputStream().flush();
                byte[] got = captured.poll(5, TimeUnit.SECONDS);
                assertNotNull(got, "nothing read from the tun peer");
                assertArrayEquals(fromPeer, got, "the frame is the IP packet itself");

                byte[] toPeer = ipOnly(TestFrames.udpMulticast(
                        new byte[6],
                        Ip4.parse("10.99.0.1"),
                        group,
                        7001,
                        "to the vpn".getBytes(StandardCharsets.US_ASCII),
                        4));
                assertTrue(port.send(toPeer, toPeer.length));
                assertEquals(HexFormat.of().formatHex(toPeer), out.readLine(), "what the tun peer read");
            } finally {
                closePorts();
                peer.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void closeEndsAnIdleCaptureWithinASecond() throws Exception {
        try (TestLab lab = TestLab.up()) {
            InterfacePort port = open(
                    lab,
                    lab.topology().router(),
                    "down2",
                    CaptureFilter.IGMP,
                    (p, f, l) -> {},
                    AfPacketPacketIo.Options.DEFAULTS);
            Thread.sleep(300);
            assertTrue(captureThreads("mcgate-capture-down2") >= 1);
            long start = System.nanoTime();
            port.close();
            long ms = (System.nanoTime() - start) / 1_000_000;
            ports.remove(port);
            System.out.println("figures: idle AF_PACKET port closed in " + ms + " ms");
            assertTrue(ms < 1000, "close took " + ms + " ms");
            assertEquals(0, captureThreads("mcgate-capture-down2"));
            byte[] frame = TestFrames.udpMulticast(
                    new byte[6], Ip4.parse("198.51.100.1"), Ip4.of(239, 1, 1, 1), PORT, new byte[1], 4);
            assertFalse(port.send(frame, frame.length), "a closed port sends nothing");
            assertEquals(1, port.counters().sendErrors());
            port.close();
        } finally {
            closePorts();
        }
    }

    private static long captureThreads(String name) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals(name) && t.isAlive())
                .count();
    }

    @Test
    void theDaemonForwardsAStreamWithoutLossAndReadsNoneOfItsOwnCopies() throws Exception {
        Ip4 group = Ip4.parse("239.10.0.17");
        int count = 50_000;
        int rate = Integer.getInteger("mcgate.e2e.rate", 10_000);
        Path config = dir.resolve("r.conf");
        Files.writeString(config, """
                packet-io af-packet
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
        try (TestLab lab = TestLab.up()) {
            Path log = dir.resolve("mcgate.log");
            Process mcgate = lab.startMcgate(lab.topology().router(), log, "run", "-c", config.toString());
            TestLab.awaitText(log, "running; stop with SIGTERM", 20_000);

            // Content: one datagram through the kernel receiver's socket, byte for byte.
            try (TestLab.Membership m = lab.join(2, group, PORT + 1, Optional.empty())) {
                TestLab.awaitGroup(TestLab.controlSocketFor(log), "down2", group, 5000);
                byte[] payload = "af-packet carried this".getBytes(StandardCharsets.US_ASCII);
                // The forwarding table follows the group record a moment later: send until one gets through.
                Optional<byte[]> got = Optional.empty();
                for (int i = 0; i < 15 && got.isEmpty(); i++) {
                    lab.sendFromSource(group, PORT + 1, payload, 5);
                    got = m.receive(200);
                }
                assertTrue(got.isPresent(), "nothing forwarded to receiver 2; mcgate said:\n" + Files.readString(log));
                assertArrayEquals(payload, got.get());
            }

            Path json = dir.resolve("rx1.json");
            Process receiver = lab.startMcgate(
                    lab.topology().receiver(1),
                    dir.resolve("receive.log"),
                    "lab",
                    "receive",
                    "-g",
                    group.toString(),
                    "-i",
                    LabTopology.HOST_IF,
                    "-c",
                    Integer.toString(count),
                    "-d",
                    "60s",
                    "--idle-timeout",
                    "3s",
                    "--json",
                    json.toString(),
                    "-q");
            // The receiver is a JVM of its own: on a loaded machine it takes seconds to start and join.
            TestLab.awaitGroup(TestLab.controlSocketFor(log), "down1", group, 20_000);
            Path sendJson = dir.resolve("send.json");
            Process sender = lab.startMcgate(
                    lab.topology().source(),
                    dir.resolve("send.log"),
                    "lab",
                    "send",
                    "-g",
                    group.toString(),
                    "-r",
                    Integer.toString(rate),
                    "-c",
                    Integer.toString(count),
                    "--size",
                    "64",
                    "--ttl",
                    "5",
                    "--json",
                    sendJson.toString(),
                    "-q");
            assertTrue(sender.waitFor(60, TimeUnit.SECONDS));
            assertTrue(receiver.waitFor(60, TimeUnit.SECONDS));
            String result = Files.readString(json);
            System.out.println("figures: af-packet daemon, " + count + " datagrams at " + rate + " pps: "
                    + result.replaceAll("\\s+", " "));
            mcgate.destroy();
            assertTrue(mcgate.waitFor(10, TimeUnit.SECONDS), "mcgate did not stop on SIGTERM");
            String drops = DaemonForwardingE2ETest.kernelDrops(log);
            System.out.println(
                    "figures: af-packet daemon, frames dropped by the kernel (capture buffers full): " + drops);
            assertEquals(count, DaemonForwardingE2ETest.number(Files.readString(sendJson), "sent"));
            assertEquals(count, DaemonForwardingE2ETest.number(result, "received"), result + "; kernel drops " + drops);
            assertEquals(0, DaemonForwardingE2ETest.number(result, "lost"), result + "; kernel drops " + drops);
            assertEquals(0, DaemonForwardingE2ETest.number(result, "duplicated"), result);

            String text = Files.readString(log);
            Matcher down1 = Pattern.compile("down1: closed; (\\d+) frames received, (\\d+) sent, (\\d+) send errors")
                    .matcher(text);
            assertTrue(down1.find(), text);
            long received = Long.parseLong(down1.group(1));
            long sent = Long.parseLong(down1.group(2));
            // down1 sends the stream and queries; it reads only IGMP (a handful of reports), never its own copies.
            assertTrue(sent >= count, "down1 sent " + sent);
            assertTrue(received < 50, "down1 read " + received + " frames: its own copies came back");
            assertEquals("0", down1.group(3));
            assertTrue(text.contains("stopped"), text);
        }
    }

    private static byte[] ipOnly(byte[] ethernetFrame) {
        return Arrays.copyOfRange(ethernetFrame, 14, ethernetFrame.length);
    }
}
