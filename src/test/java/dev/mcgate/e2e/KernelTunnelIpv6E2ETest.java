package dev.mcgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.lab.Lab;
import dev.mcgate.net.Ip6;
import java.io.IOException;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An IPv6 group between two mcgate gateways joined by a kernel tunnel ({@link TunnelLab}, dual-stack): gateway A's MLD
 * querier runs on the tunnel, gateway B's MLD host side reports to it across the tunnel, the stream crosses only while
 * a receiver behind B listens, one hop lower at each gateway, and stops after the receiver leaves. Over VXLAN
 * (Ethernet) and tun devices with a relay (raw IP). Figures are printed ("figures:").
 */
@EndToEnd
class KernelTunnelIpv6E2ETest {

    private static final long START_MS = 20_000;
    private static final int PORT = 5001;
    private static final int RATE = 200;
    /** Leave on B (last listener queries 300 ms x 2), its report across, then A's own last listener queries. */
    private static final long LEAVE_SETTLE_MS = 3_000;

    @TempDir
    Path dir;

    @Test
    void vxlan() throws Exception {
        gatewaysAcross(TunnelLab.Kind.VXLAN, Ip6.parse("ff15::20:1"));
    }

    @Test
    void rawIpTunDevicesWithARelay() throws Exception {
        gatewaysAcross(TunnelLab.Kind.TUN, Ip6.parse("ff15::20:2"));
    }

    private void gatewaysAcross(TunnelLab.Kind kind, Ip6 group) throws Exception {
        try (TunnelLab lab = TunnelLab.upDualStack(kind)) {
            String tunnel = lab.tunnelIf();
            // VXLAN's ends have the kernel's link-local addresses (from their MACs), the tun devices the lab's.
            Ip6 endA = kind == TunnelLab.Kind.VXLAN ? Lab.awaitLinkLocalAddress(lab.gwa, tunnel) : TunnelLab.TUNNEL_A6;
            Ip6 endB = kind == TunnelLab.Kind.VXLAN ? Lab.awaitLinkLocalAddress(lab.gwb, tunnel) : TunnelLab.TUNNEL_B6;
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
            TunnelCapture sourceLan = lab.capture(lab.gwa, "up0", TunnelCapture.Mode.WIRE);
            // Hop limit 3: one lower at each gateway, so it reaches the receivers' LANs with 1.
            lab.startMcgate(
                    lab.src,
                    dir.resolve("send.log"),
                    "lab",
                    "send",
                    "-g",
                    group.toString(),
                    "-p",
                    Integer.toString(PORT),
                    "-i",
                    TunnelLab.HOST_IF,
                    "-r",
                    Integer.toString(RATE),
                    "--size",
                    "200",
                    "--hop-limit",
                    "3",
                    "-d",
                    "120s",
                    "-q");
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (sourceLan.data(group, 0) < RATE / 2 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(sourceLan.data(group, 0) >= RATE / 2, "the source's stream did not reach gateway A");
            long beforeJoin = transit.data(group, 0);

            // rx1 listens: its kernel reports to B, B's MLD host side reports to A's querier across the tunnel. The
            // first join after start is cold (code neither JVM has compiled yet): the target is asserted on the rejoin.
            long joinAt = System.nanoTime();
            DatagramChannel m1 = lab.join6(lab.rx1, group, PORT);
            OptionalLong first = KernelTunnelE2ETest.nextSequence(m1, 10_000);
            double joinMs = (System.nanoTime() - joinAt) / 1e6;
            assertTrue(
                    first.isPresent(),
                    "rx1 got nothing within 10 s of its join; " + lab.relays() + "; tunnel data "
                            + transit.data(group, 0) + ", on rx1's LAN " + wire1.data(group, 0) + "; A: "
                            + Files.readString(logA) + "\nB: " + Files.readString(logB));
            KernelTunnelE2ETest.Stream s1 = KernelTunnelE2ETest.receive(m1, first.getAsLong(), 3000);
            long atRx2 = wire2.data(group, 0);

            // rx1 leaves: B stops reporting the group, A's last listener queries on the tunnel go unanswered.
            m1.close();
            Thread.sleep(LEAVE_SETTLE_MS);
            long quietFrom = System.nanoTime();
            Thread.sleep(2000);
            long afterLeave = transit.data(group, quietFrom);
            long atRx1AfterLeave = wire1.data(group, quietFrom);

            // rx1 listens again: the group is pruned on both gateways, so the report crosses the tunnel again.
            long rejoinAt = System.nanoTime();
            DatagramChannel again = lab.join6(lab.rx1, group, PORT);
            OptionalLong firstAgain = KernelTunnelE2ETest.nextSequence(again, 3000);
            double rejoinMs = (System.nanoTime() - rejoinAt) / 1e6;
            assertTrue(firstAgain.isPresent(), "rx1 got nothing within 3 s of its second join");
            KernelTunnelE2ETest.Stream s2 = KernelTunnelE2ETest.receive(again, firstAgain.getAsLong(), 2000);
            again.close();
            // A's queries on the tunnel come from its end of it, B's reports from the other end.
            long queries = transit.mld(TunnelCapture.MLD_QUERY, endA, 0);
            long reports = transit.mld(TunnelCapture.MLD_V2_REPORT, endB, 0);
            List<TunnelCapture.Seen> crossed = transit.to(group);
            List<TunnelCapture.Seen> atRx1 = wire1.to(group);

            System.out.printf(
                    "figures: %s IPv6 %s: join->first datagram rx1 %.1f ms (first join after start), %.1f ms (join "
                            + "after the leave); rx1 %d datagrams in %.1f s (%d gaps, %d out of order), again %d (%d "
                            + "gaps, %d out of order); tunnel data before the join %d, after the leave %d, in all %d; "
                            + "on rx2's LAN %d (MLD crossing it: %d queries from A %s, %d v2 reports from B %s); hop "
                            + "limit inside the tunnel %s, on rx1's LAN %s%n",
                    kind,
                    group,
                    joinMs,
                    rejoinMs,
                    s1.count(),
                    s1.seconds(),
                    s1.gaps(),
                    s1.outOfOrder(),
                    s2.count(),
                    s2.gaps(),
                    s2.outOfOrder(),
                    beforeJoin,
                    afterLeave,
                    crossed.size(),
                    atRx2,
                    queries,
                    endA,
                    reports,
                    endB,
                    crossed.stream().map(TunnelCapture.Seen::ttl).distinct().toList(),
                    atRx1.stream().map(TunnelCapture.Seen::ttl).distinct().toList());

            assertEquals(0, beforeJoin, "nobody listened: no data crosses the tunnel");
            assertTrue(queries > 0, "A's MLD queries cross the tunnel from its link-local address");
            assertTrue(reports > 0, "B's MLDv2 reports cross the tunnel from its link-local address");
            assertTrue(
                    rejoinMs < 500,
                    "rx1: first datagram " + rejoinMs + " ms after its join; A:\n" + Files.readString(logA) + "\nB:\n"
                            + Files.readString(logB));
            assertEquals(0, atRx2, "rx2 never listened: nothing on its LAN");
            assertEquals(0, s1.gaps() + s1.outOfOrder(), "rx1: in order, no loss");
            assertEquals(0, s2.gaps() + s2.outOfOrder(), "rx1 again: in order, no loss");
            // A steady rate: at least 80 % of what the sender paced in that time (the machine is shared).
            assertTrue(s1.count() >= 0.8 * RATE * s1.seconds(), "rx1: " + s1.count() + " in " + s1.seconds() + " s");
            assertTrue(!crossed.isEmpty() && crossed.stream().allMatch(d -> d.ttl() == 2), "one lower after A");
            assertTrue(!atRx1.isEmpty() && atRx1.stream().allMatch(d -> d.ttl() == 1), "one lower again after B");
            assertEquals(0, afterLeave, "nobody listens: no data crosses the tunnel");
            assertEquals(0, atRx1AfterLeave, "nor reaches rx1's LAN");
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
}
