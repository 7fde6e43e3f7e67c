package dev.mcgate.e2e;

import static dev.mcgate.e2e.DaemonForwardingE2ETest.number;
import static dev.mcgate.e2e.DaemonForwardingE2ETest.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.lab.LabTopology;
import dev.mcgate.net.Ip4;
import dev.mcgate.net.Ip6;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One mcgate forwarding IPv4 and IPv6 at once over the same interfaces (up0 to down1): an IGMPv3 and an MLDv2 receiver
 * on rx1, two streams from the source at the same time, each sequence-checked by {@code mcgate lab receive}; with the
 * default engine and with af-xdp (IPv4 data through AF_XDP, MLD and IPv6 data through its packet socket).
 */
@EndToEnd
@Isolated
class DualFamilyE2ETest {

    private static final int COUNT = 10_000;
    /** 2000 datagrams a second per family: 5 s of traffic, within what the shared 2-core lab machine keeps up with. */
    private static final int RATE = 2000;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "packet-io {0}")
    @ValueSource(strings = {"pcap", "af-xdp"})
    void ipv4AndIpv6StreamsOnTheSameInterfacesArriveWholeAndOnce(String engine) throws Exception {
        Ip4 group4 = Ip4.parse("239.46.0.1");
        Ip6 group6 = Ip6.parse("ff15::46:1");
        try (TestLab lab = TestLab.up()) {
            Path config = dir.resolve("mcgate.conf");
            Files.writeString(config, """
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
            Process mcgate = lab.startMcgate(
                    lab.topology().router(), log, "run", "-c", config.toString(), "--packet-io", engine);
            TestLab.awaitText(log, "running; stop with SIGTERM", 20_000);
            Path socket = TestLab.controlSocketFor(log);

            String rx = lab.topology().receiver(1);
            Process receive4 = receive(lab, rx, "rx4", group4.toString());
            Process receive6 = receive(lab, rx, "rx6", group6.toString());
            TestLab.awaitGroup(socket, "down1", group4, 10_000);
            MldControlProbe.awaitGroup(socket, "down1", group6, 10_000);
            Ipv6Capture wire6 = Ipv6Capture.start(lab, rx, LabTopology.HOST_IF, dir, "rx1");
            Wire wire4 = Wire.capture(lab, rx, LabTopology.HOST_IF);

            String src = lab.topology().source();
            Process send4 = send(lab, src, "tx4", group4.toString(), "--ttl");
            Process send6 = send(lab, src, "tx6", group6.toString(), "--hop-limit");
            for (Process p : List.of(send4, send6, receive4, receive6)) {
                assertTrue(p.waitFor(60, TimeUnit.SECONDS), "a lab send or receive did not end");
            }
            String sent4 = Files.readString(dir.resolve("tx4.json"));
            String sent6 = Files.readString(dir.resolve("tx6.json"));
            String got4 = Files.readString(dir.resolve("rx4.json"));
            String got6 = Files.readString(dir.resolve("rx6.json"));
            // tcpdump writes a moment after the frames crossed: wait for the file to catch up, then count.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            long onWire6 = 0;
            while (true) {
                onWire6 = wire6.udp().stream()
                        .filter(d -> d.header().destination().equals(group6))
                        .count();
                if (onWire6 >= COUNT || System.nanoTime() > deadline) {
                    break;
                }
                Thread.sleep(50);
            }
            long onWire4 = wire4.count(group4);
            boolean xdp = Files.readString(log).contains("up0: multicast data arrives through AF_XDP");
            long viaXdp = xdp ? AfXdpE2ETest.counter(socket, "port_xdp_frames", "up0") : -1;
            System.out.printf(
                    "figures: %s, both families at once, %d each at %d/s: IPv4 sent %d at %s/s, received %d, lost %d, "
                            + "duplicated %d, reordered %d, %d on the wire; IPv6 sent %d at %s/s, received %d, "
                            + "lost %d, duplicated %d, reordered %d, %d on the wire; through AF_XDP on up0: %d%n",
                    engine,
                    COUNT,
                    RATE,
                    number(sent4, "sent"),
                    text(sent4, "achievedRate"),
                    number(got4, "received"),
                    number(got4, "lost"),
                    number(got4, "duplicated"),
                    number(got4, "reordered"),
                    onWire4,
                    number(sent6, "sent"),
                    text(sent6, "achievedRate"),
                    number(got6, "received"),
                    number(got6, "lost"),
                    number(got6, "duplicated"),
                    number(got6, "reordered"),
                    onWire6,
                    viaXdp);
            assertTrue(mcgate.isAlive(), "mcgate ended: " + Files.readString(log));
            for (String[] family : new String[][] {{"IPv4", sent4, got4}, {"IPv6", sent6, got6}}) {
                assertEquals(COUNT, number(family[1], "sent"), family[0] + " " + family[1]);
                assertEquals(COUNT, number(family[2], "received"), family[0] + " " + family[2]);
                assertEquals(0, number(family[2], "lost"), family[0] + " " + family[2]);
                assertEquals(0, number(family[2], "duplicated"), family[0] + " " + family[2]);
            }
            assertEquals(COUNT, onWire4, "each IPv4 datagram once on down1's link");
            assertEquals(COUNT, onWire6, "each IPv6 datagram once on down1's link");
            if (xdp) {
                assertEquals(2L * COUNT, viaXdp, "both families' data, and nothing else, through AF_XDP");
            }
        }
    }

    /** {@code mcgate lab receive} of {@code COUNT} datagrams to a group on rx1's eth0, its result in NAME.json. */
    private Process receive(TestLab lab, String ns, String name, String group) throws Exception {
        return lab.startMcgate(
                ns,
                dir.resolve(name + ".log"),
                "lab",
                "receive",
                "-g",
                group,
                "-i",
                LabTopology.HOST_IF,
                "-c",
                Integer.toString(COUNT),
                "-d",
                "40s",
                "--idle-timeout",
                "3s",
                "--json",
                dir.resolve(name + ".json").toString(),
                "-q");
    }

    /** {@code mcgate lab send} of {@code COUNT} datagrams to a group at {@code RATE}, its result in NAME.json. */
    private Process send(TestLab lab, String ns, String name, String group, String hopOption) throws Exception {
        List<String> args = new ArrayList<>(List.of(
                "lab",
                "send",
                "-g",
                group,
                "-r",
                Integer.toString(RATE),
                "-c",
                Integer.toString(COUNT),
                "--size",
                "64",
                hopOption,
                "5",
                "--json",
                dir.resolve(name + ".json").toString(),
                "-q"));
        return lab.startMcgate(ns, dir.resolve(name + ".log"), args.toArray(String[]::new));
    }
}
