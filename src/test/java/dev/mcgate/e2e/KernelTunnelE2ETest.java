package dev.mcgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.io.NetInterface;
import dev.mcgate.io.NetInterface.InterfaceAddress;
import dev.mcgate.io.linux.Netns;
import dev.mcgate.io.linux.SystemInterfaces;
import dev.mcgate.lab.LabPayload;
import dev.mcgate.net.Ip4;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two mcgate gateways across a transit network that routes unicast only, joined by a kernel tunnel (see
 * {@link TunnelLab}): gateway A's querier runs on the tunnel, gateway B's upstream host side reports to it across the
 * tunnel, and the stream crosses only while a receiver behind B wants it. Over VXLAN (Ethernet), a tun device with a
 * UDP relay (raw IP, a VPN daemon's shape) and GRE where the kernel has it. Figures are printed ("figures:").
 */
@EndToEnd
class KernelTunnelE2ETest {

    private static final long START_MS = 20_000;
    private static final int PORT = 5001;
    private static final int RATE = 200;
    /** Leave on B (last member queries 300 ms x 2), its report across, then A's own last member queries. */
    private static final long LEAVE_SETTLE_MS = 3_000;

    @TempDir
    Path dir;

    @Test
    void vxlanWithAUnicastRemote() throws Exception {
        gatewaysAcross(TunnelLab.Kind.VXLAN, Ip4.parse("239.20.0.1"));
    }

    @Test
    void rawIpTunDevicesWithARelay() throws Exception {
        gatewaysAcross(TunnelLab.Kind.TUN, Ip4.parse("239.20.0.2"));
    }

    @Test
    void gre() throws Exception {
        String reason = TunnelLab.unsupported(TunnelLab.Kind.GRE);
        Assumptions.assumeTrue(reason.isEmpty(), "kernel has no GRE: " + reason);
        gatewaysAcross(TunnelLab.Kind.GRE, Ip4.parse("239.20.0.3"));
    }

    private void gatewaysAcross(TunnelLab.Kind kind, Ip4 group) throws Exception {
        try (TunnelLab lab = TunnelLab.up(kind)) {
            String tunnel = lab.tunnelIf();
            if (kind != TunnelLab.Kind.VXLAN) {
                // A point-to-point tunnel addressed "10.9.0.1 peer 10.9.0.2/32": no MAC, the peer's prefix.
                NetInterface t = Netns.call(
                        lab.gwa, () -> new SystemInterfaces().find(tunnel).orElseThrow());
                assertEquals(List.of(InterfaceAddress.of(TunnelLab.TUNNEL_A, TunnelLab.TUNNEL_B, 32)), t.addresses());
                assertTrue(t.mac().isEmpty() && t.flags().pointToPoint(), t.describe());
            }
            Path logA = dir.resolve("a.log");
            Path logB = dir.resolve("b.log");
            lab.startMcgate(
                    lab.gwa,
                    logA,
                    "run",
                    "-c",
                    config("a.conf", """
                    interface up0 {
                        role upstream
                    }
                    interface %s {
                        role downstream
                    }
                    """.formatted(tunnel)).toString());
            lab.startMcgate(
                    lab.gwb,
                    logB,
                    "run",
                    "-c",
                    config("b.conf", """
                    interface %s {
                        role upstream
                    }
                    interface down1 {
                        role downstream
                    }
                    interface down2 {
                        role downstream
                    }
                    """.formatted(tunnel)).toString());
            TestLab.awaitText(logA, "running; stop with SIGTERM", START_MS);
            TestLab.awaitText(logB, "running; stop with SIGTERM", START_MS);
            TunnelCapture transit = lab.capture(lab.transit, TunnelLab.TRANSIT_IF, TunnelCapture.Mode.TUNNELLED);
            TunnelCapture wire1 = lab.capture(lab.rx1, TunnelLab.HOST_IF, TunnelCapture.Mode.WIRE);
            TunnelCapture wire2 = lab.capture(lab.rx2, TunnelLab.HOST_IF, TunnelCapture.Mode.WIRE);
            // TTL 3: one lower at each gateway, so it reaches the receivers' LANs with TTL 1.
            lab.startMcgate(
                    lab.src,
                    dir.resolve("send.log"),
                    "lab",
                    "send",
                    "-g",
                    group.toString(),
                    "-r",
                    Integer.toString(RATE),
                    "--size",
                    "200",
                    "--ttl",
                    "3",
                    "-d",
                    "120s",
                    "-q");
            // The sender's JVM takes a while to start on a loaded machine: wait until its stream reaches gateway A.
            TunnelCapture sourceLan = lab.capture(lab.gwa, "up0", TunnelCapture.Mode.WIRE);
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (sourceLan.data(group, 0) < RATE / 2 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(sourceLan.data(group, 0) >= RATE / 2, "the source's stream did not reach gateway A");
            long beforeJoin = transit.data(group, 0);

            // rx1 joins: its kernel reports to B, B's host side reports to A's querier across the tunnel. The first
            // join after start runs through code neither JVM has compiled yet: 0.14-0.37 s, but 1.2-2.2 s several
            // times at a load of 12-25 on this 2-core machine, where gateway A logged the group 0.5-2 s after B's
            // first report reached it (as the cold first join of DaemonForwardingE2ETest). The 500 ms target is
            // asserted on the join after the leave, which crosses the same
            // whole path (B's report across the tunnel, A's forwarding into it).
            long joinAt = System.nanoTime();
            DatagramChannel m1 = lab.join(lab.rx1, group, PORT);
            OptionalLong first = nextSequence(m1, 10_000);
            double joinMs = (System.nanoTime() - joinAt) / 1e6;
            assertTrue(
                    first.isPresent(),
                    "rx1 got nothing within 10 s of its join; " + lab.relays() + "; tunnel data "
                            + transit.data(group, 0) + ", on rx1's LAN " + wire1.data(group, 0) + "; A: "
                            + Files.readString(logA)
                            + "\nB: " + Files.readString(logB));
            Stream s1 = receive(m1, first.getAsLong(), 3000);
            long rx2WhileOut = wire2.data(group, 0);

            // rx2 joins too.
            long join2At = System.nanoTime();
            DatagramChannel m2 = lab.join(lab.rx2, group, PORT);
            OptionalLong first2 = nextSequence(m2, 3000);
            double join2Ms = (System.nanoTime() - join2At) / 1e6;
            assertTrue(first2.isPresent(), "rx2 got nothing within 3 s of its join");
            Stream s2 = receive(m2, first2.getAsLong(), 2000);

            // Both leave: B stops reporting the group, A's last member queries on the tunnel go unanswered.
            m1.close();
            m2.close();
            Thread.sleep(LEAVE_SETTLE_MS);
            long quietFrom = System.nanoTime();
            Thread.sleep(2000);
            long afterLeave = transit.data(group, quietFrom);
            long atRx1AfterLeave = wire1.data(group, quietFrom);

            // rx1 joins again: the group is pruned on both gateways, so the report crosses the tunnel again.
            long rejoinAt = System.nanoTime();
            DatagramChannel again = lab.join(lab.rx1, group, PORT);
            OptionalLong firstAgain = nextSequence(again, 3000);
            double rejoinMs = (System.nanoTime() - rejoinAt) / 1e6;
            assertTrue(firstAgain.isPresent(), "rx1 got nothing within 3 s of its second join");
            Stream s3 = receive(again, firstAgain.getAsLong(), 2000);
            // A datagram too large for the tunnel's MTU is not sent into it, and A says so once.
            long bigAt = System.nanoTime();
            lab.sendFromSource(group, PORT, new byte[1500 - 28], 3);
            String mtuWarning = TestLab.awaitText(logA, "do not fit its MTU of " + lab.tunnelMtu(), 5000);
            Thread.sleep(200);
            long bigCrossed = transit.to(group).stream()
                    .filter(d -> d.nanos() >= bigAt && d.length() > 1400)
                    .count();
            again.close();
            // A's queries on the tunnel come from its end of it, B's reports from the other end.
            long queries = transit.igmp(TunnelCapture.QUERY, TunnelLab.TUNNEL_A, 0);
            long reports = transit.igmp(TunnelCapture.V3_REPORT, TunnelLab.TUNNEL_B, 0);
            List<TunnelCapture.Seen> crossed = transit.to(group);
            List<TunnelCapture.Seen> atRx1 = wire1.to(group);

            System.out.printf(
                    "figures: %s: join->first datagram rx1 %.1f ms (first join after start), %.1f ms "
                            + "(join after the leave), rx2 %.1f ms (stream already crossing); rx1 %d datagrams in "
                            + "%.1f s (%d gaps, %d out of order), rx2 %d (%d gaps, %d out of order); tunnel data before the "
                            + "join %d, after the leave %d (IGMP crossing it: %d queries from A, %d v3 reports from B); "
                            + "TTL inside the tunnel %s, on rx1's LAN %s%n",
                    kind,
                    joinMs,
                    rejoinMs,
                    join2Ms,
                    s1.count,
                    s1.seconds,
                    s1.gaps,
                    s1.outOfOrder,
                    s2.count,
                    s2.gaps,
                    s2.outOfOrder,
                    beforeJoin,
                    afterLeave,
                    queries,
                    reports,
                    crossed.stream().map(TunnelCapture.Seen::ttl).distinct().toList(),
                    atRx1.stream().map(TunnelCapture.Seen::ttl).distinct().toList());

            assertEquals(0, beforeJoin, "nobody joined: no data crosses the tunnel");
            assertTrue(queries > 0, "A's queries cross the tunnel");
            assertTrue(reports > 0, "B's reports cross the tunnel");
            assertTrue(
                    rejoinMs < 500,
                    "rx1: first datagram " + rejoinMs + " ms after its join at "
                            + java.time.LocalTime.now().minusNanos((long) ((System.nanoTime() - rejoinAt))) + "; A:\n"
                            + Files.readString(logA) + "\nB:\n" + Files.readString(logB));
            assertTrue(join2Ms < 500, "rx2: first datagram " + join2Ms + " ms after its join");
            assertEquals(0, rx2WhileOut, "rx2 had not joined: nothing on its LAN");
            assertEquals(0, s1.gaps + s1.outOfOrder, "rx1: in order, no loss");
            assertEquals(0, s2.gaps + s2.outOfOrder, "rx2: in order, no loss");
            assertEquals(0, s3.gaps + s3.outOfOrder, "rx1 again: in order, no loss");
            // A steady rate: at least 80 % of what the sender paced in that time (the machine is shared).
            assertTrue(s1.count >= 0.8 * RATE * s1.seconds, "rx1: " + s1.count + " in " + s1.seconds + " s");
            assertTrue(crossed.stream().allMatch(d -> d.ttl() == 2), "one lower after A");
            assertTrue(!atRx1.isEmpty() && atRx1.stream().allMatch(d -> d.ttl() == 1), "one lower again after B");
            assertEquals(0, afterLeave, "nobody wants the group: no data crosses the tunnel");
            assertEquals(0, atRx1AfterLeave, "nor reaches rx1's LAN");
            assertEquals(0, bigCrossed, "a 1500-byte datagram does not enter a tunnel with MTU " + lab.tunnelMtu());
            assertTrue(mtuWarning.contains(tunnel + ": 1500-byte datagrams from " + TunnelLab.SOURCE), mtuWarning);
        }
    }

    private Path config(String name, String interfaces) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, """
                unlisted-interfaces disabled
                defaults {
                    query-interval 20s
                    query-response-interval 2s
                    last-member-query-interval 300ms
                    last-member-query-count 2
                }
                """ + interfaces);
        return file;
    }

    /** What a receiver saw: datagrams, missing sequence numbers, ones that came back in time, over how long. */
    record Stream(long count, long gaps, long outOfOrder, double seconds) {}

    /** Reads the stream for {@code ms} after the datagram with sequence {@code first}, checking the sequence. */
    static Stream receive(DatagramChannel ch, long first, long ms) throws IOException {
        long start = System.nanoTime();
        long deadline = start + ms * 1_000_000L;
        long expected = first + 1;
        long count = 1;
        long gaps = 0;
        long outOfOrder = 0;
        while (System.nanoTime() < deadline) {
            OptionalLong seq = nextSequence(ch, 500);
            if (seq.isEmpty()) {
                break;
            }
            count++;
            long s = seq.getAsLong();
            if (s < expected) {
                outOfOrder++;
            } else {
                gaps += s - expected;
                expected = s + 1;
            }
        }
        return new Stream(count, gaps, outOfOrder, (System.nanoTime() - start) / 1e9);
    }

    /** The sequence number of the next lab datagram, or empty if none arrives in time. */
    static OptionalLong nextSequence(DatagramChannel ch, long timeoutMs) throws IOException {
        ch.socket().setSoTimeout((int) timeoutMs);
        DatagramPacket packet = new DatagramPacket(new byte[2048], 2048);
        try {
            ch.socket().receive(packet);
        } catch (SocketTimeoutException e) {
            return OptionalLong.empty();
        }
        return LabPayload.decode(ByteBuffer.wrap(packet.getData(), 0, packet.getLength()))
                .map(p -> OptionalLong.of(p.sequence()))
                .orElseThrow(() -> new AssertionError("not a lab datagram: " + packet.getLength() + " bytes"));
    }
}
