package dev.mcgate.daemon;

import dev.mcgate.net.Ip4;
import dev.mcgate.packet.GroupRecord;
import dev.mcgate.packet.IgmpEncoder;
import dev.mcgate.packet.RecordType;
import dev.mcgate.packet.V3MembershipReport;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Measures what IGMP reports cost the event loop, without root, libpcap or a quiet machine: the whole daemon as
 * {@code mcgate run} wires it ({@link DaemonHarness}: intake, {@code RouterInterface}, {@code ProxyCore}, the
 * upstream host side, {@code ForwardingPlane} and the {@code Forwarder}) on a simulated LAN and a hand-driven loop,
 * with HOSTS hosts on down1 reporting GROUPS groups in IGMPv3 reports of several records each.
 *
 * <p>Reports are delivered in bursts of BURST (what the real loop runs in one turn when the inbox has that many
 * waiting; it drains up to 257), then the loop runs what is due, as the real loop does after a batch. CPU time and
 * allocation are the calling thread's own (ThreadMXBean), so other load on the machine does not count; the heap per
 * group is the used heap after full GCs with and without the groups.
 *
 * <pre>
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) dev.mcgate.daemon.MembershipCost [HOSTS GROUPS BURST]
 * </pre>
 *
 * The membership log lines go to stderr at INFO as in the daemon; redirect stderr to measure without a terminal.
 */
public final class MembershipCost {

    private MembershipCost() {}

    public static void main(String[] args) throws Exception {
        int hosts = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int groups = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int burst = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        int perHost = groups / hosts;
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        Path dir = Files.createTempDirectory("mcgate-cost");
        String config = """
                log-level info
                interface up0 {
                    role upstream
                }
                interface down1 {
                    role downstream
                }
                """;
        // Warm up the JIT on a separate daemon and group block, so that the figures are of compiled code.
        for (int round = 0; round < 2; round++) {
            try (DaemonHarness warm = new DaemonHarness(dir.resolve("warm.conf"), config)) {
                run(warm, reports(Ip4.parse("238.0.0.0"), hosts, perHost, RecordType.CHANGE_TO_EXCLUDE_MODE), burst);
                run(warm, reports(Ip4.parse("238.0.0.0"), hosts, perHost, RecordType.MODE_IS_EXCLUDE), burst);
            }
        }
        try (DaemonHarness h = new DaemonHarness(dir.resolve("cost.conf"), config)) {
            List<byte[]> joins = reports(Ip4.parse("239.1.0.0"), hosts, perHost, RecordType.CHANGE_TO_EXCLUDE_MODE);
            List<byte[]> refresh = reports(Ip4.parse("239.1.0.0"), hosts, perHost, RecordType.MODE_IS_EXCLUDE);
            // Hosts answer a general query at random times within its response time, so the refreshes reach the
            // router in no particular order. In the order the groups joined, each refreshed timer would be the
            // earliest in the heap: the best case for a heap whose cancel searches for its entry.
            java.util.Collections.shuffle(refresh, new java.util.Random(42));
            long heapBefore = usedAfterGc(memory, h);

            long cpu0 = threads.getCurrentThreadCpuTime();
            long alloc0 = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
            run(h, joins, burst);
            long cpu1 = threads.getCurrentThreadCpuTime();
            long alloc1 = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
            long heapAfter = usedAfterGc(memory, h);
            int held = h.proxy
                    .snapshot()
                    .downstreams()
                    .getOrDefault("down1", java.util.Collections.emptySortedMap())
                    .size();
            long cpu2 = threads.getCurrentThreadCpuTime();
            long alloc2 = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
            run(h, refresh, burst);
            long cpu3 = threads.getCurrentThreadCpuTime();
            long alloc3 = threads.getThreadAllocatedBytes(Thread.currentThread().getId());

            System.out.printf(
                    "hosts %d, groups %d (%d records per report), burst %d; held after the joins: %d%n",
                    hosts, groups, perHost, burst, held);
            line(
                    "joins (CHANGE_TO_EXCLUDE, every record a new group)",
                    joins.size(),
                    perHost,
                    cpu1 - cpu0,
                    alloc1 - alloc0);
            line("refresh (IS_EX{} answers, no change)", refresh.size(), perHost, cpu3 - cpu2, alloc3 - alloc2);
            System.out.printf(
                    "heap retained: %.1f MiB for %d groups, %d B per group%n",
                    (heapAfter - heapBefore) / 1048576.0, held, held == 0 ? 0 : (heapAfter - heapBefore) / held);
        }
    }

    private static void line(String what, int reports, int perReport, long cpuNanos, long allocated) {
        double usPerReport = cpuNanos / 1e3 / reports;
        System.out.printf(
                "%-52s %8.1f us CPU per report, %9.0f reports/s on one core, %8.0f B allocated per report%n",
                what, usPerReport, 1e6 / usPerReport, (double) allocated / reports);
    }

    /** Delivers the frames {@code burst} at a time, running the loop after each burst. */
    private static void run(DaemonHarness h, List<byte[]> frames, int burst) {
        for (int i = 0; i < frames.size(); i += burst) {
            for (int j = i; j < Math.min(frames.size(), i + burst); j++) {
                h.lan.inject("lan1", frames.get(j));
            }
            h.settle();
        }
        // The simulated LAN keeps every frame it carried; drop them so that they are not counted as mcgate's heap.
        h.lan.clearLog("lan1");
        h.lan.clearLog("wan");
    }

    /** One report per host, host h reporting groups base + h * perHost ... + perHost - 1, from 10.x addresses. */
    private static List<byte[]> reports(Ip4 base, int hosts, int perHost, RecordType type) {
        List<byte[]> out = new ArrayList<>(hosts);
        Ip4 subnet = Ip4.parse("198.51.100.0");
        for (int host = 0; host < hosts; host++) {
            List<GroupRecord> records = new ArrayList<>(perHost);
            for (int g = 0; g < perHost; g++) {
                records.add(new GroupRecord(type, new Ip4(base.bits() + host * perHost + g), List.of()));
            }
            Ip4 source = new Ip4(subnet.bits() + 2 + host % 250);
            out.addAll(IgmpEncoder.v3ReportIpPackets(source, new V3MembershipReport(records), 1500));
        }
        return out;
    }

    private static long usedAfterGc(MemoryMXBean memory, DaemonHarness h) throws InterruptedException {
        h.lan.clearLog("lan1");
        h.lan.clearLog("wan");
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
