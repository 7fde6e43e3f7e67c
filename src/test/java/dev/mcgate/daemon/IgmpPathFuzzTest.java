package dev.mcgate.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mcgate.config.LogLevel;
import dev.mcgate.fuzz.FuzzTally;
import dev.mcgate.igmp.RouterSnapshot;
import dev.mcgate.logging.Logging;
import dev.mcgate.net.Ip4;
import dev.mcgate.packet.Checksums;
import dev.mcgate.packet.IgmpPacket;
import dev.mcgate.packet.InternetChecksum;
import dev.mcgate.packet.MalformedPacketException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;

/**
 * Coverage-guided fuzzing of the whole IGMP frame path as {@code mcgate run} wires it ({@link DaemonHarness}):
 * admission, the RFC 9776 input rules, intake, the downstream routers, the proxy and the upstream host side, the
 * forwarding plane, on raw-IP links and a hand-run loop. Each input is a script of steps: IGMP-looking packets from
 * hosts on LAN 1 and on the upstream (around fuzzed IGMP bytes: a proper IPv4 header with Router Alert and checksums,
 * or fuzzed headers too), multicast data on the upstream, and time passing. Afterwards:
 *
 * <ul>
 *   <li>nothing was thrown (a loop task that throws on hostile input is a dead daemon);
 *   <li>every IGMP packet mcgate sent decodes, with TTL 1;
 *   <li>nothing mcgate forwarded went to 224.0.0.0/24 or left with TTL 0;
 *   <li>LAN 1 holds no more groups, sources or hosts than its limits;
 *   <li>LAN 2, which the input never touches, still joins a group and gets its data.
 * </ul>
 */
class IgmpPathFuzzTest {

    private static final FuzzTally TALLY = new FuzzTally("igmp-path");
    private static final int MAX_GROUPS = 8;
    private static final int MAX_SOURCES = 4;
    private static final int MAX_HOSTS = 4;
    private static final String CONFIG = """
            interface up0 {
                role upstream
            }
            interface down1 {
                role downstream
                max-groups %d
                max-sources %d
                max-hosts %d
                igmp-rate-limit 100000
            }
            interface down2 {
                role downstream
            }
            """.formatted(MAX_GROUPS, MAX_SOURCES, MAX_HOSTS);
    private static final Map<String, Ip4> ROUTER =
            Map.of("wan", Ip4.parse("192.0.2.1"), "lan1", Ip4.parse("198.51.100.1"), "lan2", Ip4.parse("203.0.113.1"));
    private static final Ip4[] DESTINATIONS = {
        Ip4.parse("224.0.0.1"), Ip4.parse("224.0.0.2"), Ip4.parse("224.0.0.22"), Ip4.parse("239.1.2.3")
    };
    private static final Ip4 PROBE_GROUP = Ip4.parse("239.200.0.1");
    private static final Ip4 PROBE_HOST = Ip4.parse("203.0.113.10");
    private static Path dir;

    @FuzzTest(maxDuration = "10m")
    void script(FuzzedDataProvider data) throws Exception {
        if (dir == null) {
            dir = Files.createTempDirectory("mcgate-fuzz");
            dir.toFile().deleteOnExit();
        }
        // A daemon per input logs its start and stop: at fuzzing rates that would be most of the work.
        LogLevel level = Logging.level();
        Logging.setLevel(LogLevel.ERROR);
        try {
            run(data);
        } finally {
            Logging.setLevel(level);
        }
        TALLY.count("completed");
    }

    private static void run(FuzzedDataProvider data) throws Exception {
        Set<ByteBuffer> injected = new HashSet<>();
        try (DaemonHarness h = new DaemonHarness(dir.resolve("fuzz.conf"), CONFIG)) {
            for (int step = 0; step < 24 && data.remainingBytes() > 0; step++) {
                switch (data.consumeInt(0, 4)) {
                    case 0, 1 -> inject(h, "lan1", igmp(data, "lan1"), injected);
                    case 2 -> inject(h, "wan", igmp(data, "wan"), injected);
                    case 3 -> inject(h, "wan", datagram(data), injected);
                    default -> h.advance(Duration.ofMillis(data.consumeLong(0, 600_000)));
                }
            }
            h.settle();
            for (String segment : List.of("wan", "lan1", "lan2")) {
                checkWhatMcgateSent(h, segment, injected);
            }
            checkLimits(down1(h));
            // Long enough for the duplicate guard to forget any probe-like datagram the input sent.
            h.advance(Duration.ofSeconds(10));
            h.join("lan2", PROBE_HOST, PROBE_GROUP);
            h.sendData(PROBE_GROUP, 424242);
            assertTrue(h.data("lan2", PROBE_GROUP).contains(424242), "LAN 2 still gets what it joined");
        }
    }

    private static void inject(DaemonHarness h, String segment, byte[] packet, Set<ByteBuffer> injected) {
        injected.add(ByteBuffer.wrap(packet.clone()));
        h.lan.inject(segment, packet);
        h.settle();
    }

    /** An IPv4 packet with fuzzed IGMP inside: a proper header (sender on the segment or not), or fuzzed bytes. */
    private static byte[] igmp(FuzzedDataProvider data, String segment) {
        int shape = data.consumeInt(0, 3);
        if (shape == 3) {
            byte[] raw = data.consumeBytes(data.consumeInt(0, 600));
            if (data.consumeBoolean()) {
                Checksums.repair(raw, 0);
            }
            return raw;
        }
        Ip4 router = ROUTER.get(segment);
        Ip4 sender = shape == 0
                ? new Ip4((router.bits() & 0xffffff00) | data.consumeInt(0, 255))
                : new Ip4(data.consumeInt());
        Ip4 destination = data.consumeBoolean() ? DESTINATIONS[data.consumeInt(0, 3)] : new Ip4(data.consumeInt());
        int ttl = data.consumeBoolean() ? 1 : data.consumeInt(0, 255);
        boolean routerAlert = data.consumeBoolean();
        byte[] message = data.consumeBytes(data.consumeInt(0, 600));
        if (message.length >= 4) {
            InternetChecksum.fill(message, 0, message.length, 2);
        }
        int header = routerAlert ? 24 : 20;
        ByteBuffer b = ByteBuffer.allocate(header + message.length);
        b.put((byte) (0x40 | header / 4))
                .put((byte) 0xc0)
                .putShort((short) (header + message.length))
                .putShort((short) 0)
                .putShort((short) 0)
                .put((byte) ttl)
                .put((byte) 2)
                .putShort((short) 0)
                .putInt(sender.bits())
                .putInt(destination.bits());
        if (routerAlert) {
            b.putInt(0x94040000);
        }
        b.put(message);
        byte[] p = b.array();
        InternetChecksum.fill(p, 0, header, 10);
        return p;
    }

    /** A UDP datagram from the upstream's source to a fuzzed destination, with a fuzzed TTL. */
    private static byte[] datagram(FuzzedDataProvider data) {
        Ip4 destination = data.consumeBoolean()
                ? new Ip4(0xe0000000 | data.consumeInt(0, 0x0fffffff))
                : new Ip4(data.consumeInt());
        return DaemonHarness.udp(DaemonHarness.SOURCE, destination, data.consumeInt(0, 255), data.consumeInt());
    }

    private static void checkWhatMcgateSent(DaemonHarness h, String segment, Set<ByteBuffer> injected) {
        Ip4 router = ROUTER.get(segment);
        for (byte[] p : h.lan.log(segment)) {
            if (injected.contains(ByteBuffer.wrap(p)) || p.length < 20) {
                continue;
            }
            int ttl = p[8] & 0xff;
            Ip4 source = new Ip4(ByteBuffer.wrap(p).getInt(12));
            Ip4 destination = new Ip4(ByteBuffer.wrap(p).getInt(16));
            if (p[9] == 2 && source.equals(router)) {
                try {
                    IgmpPacket.decode(p, 0, p.length);
                } catch (MalformedPacketException e) {
                    throw new AssertionError("mcgate sent a malformed IGMP packet on " + segment, e);
                }
                assertEquals(1, ttl, "IGMP from mcgate has TTL 1");
            } else {
                assertTrue(
                        (destination.bits() & 0xffffff00) != 0xe0000000,
                        "forwarded to link-local " + destination + " on " + segment);
                assertTrue(ttl > 0, "forwarded with TTL 0 on " + segment);
            }
        }
    }

    private static void checkLimits(RouterSnapshot down1) {
        assertTrue(
                down1.groups().size() <= MAX_GROUPS, "groups " + down1.groups().size());
        for (RouterSnapshot.Group g : down1.groups()) {
            assertTrue(
                    g.sources().size() <= MAX_SOURCES,
                    "sources of " + g.group() + ": " + g.sources().size());
            assertTrue(g.members() <= MAX_HOSTS, "hosts of " + g.group() + ": " + g.members());
        }
    }

    private static RouterSnapshot down1(DaemonHarness h) {
        return h.interfaces.routerSnapshots().stream()
                .filter(s -> s.interfaceName().equals("down1"))
                .findFirst()
                .orElseThrow();
    }

    @AfterAll
    static void tally() {
        TALLY.print();
    }
}
