package dev.mcgate.lab;

import dev.mcgate.net.Ip4;
import dev.mcgate.net.IpFamily;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Resident memory of mcgate holding many groups, by hand: the membership-load phase of {@code lab bench}, alone or
 * after what the bench does before it.
 *
 * <p>Needs root. It runs mcgate in the router namespace with the bench's configuration and JVM flags
 * ({@link BenchLab#config}, {@link JvmFlags}), has 1000 simulated hosts on receiver 1's LAN join 10 groups each at 500
 * reports/s ({@link ReportLoad}, as the bench does), waits until mcgate's control socket lists every group on down1
 * ({@link ControlSocketProbe}) and prints VmRSS.
 *
 * <pre>
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) dev.mcgate.lab.MembershipMemory PREFIX JAR ENGINE
 * </pre>
 *
 * JAR is the mcgate jar to measure (so an older build can be measured by the same driver); ENGINE pcap or af-packet;
 * an optional fourth argument is a configuration file to run with instead of the bench's. Without {@code -Dbench},
 * the lab must have been made with {@code mcgate lab up --prefix PREFIX}, and nothing is forwarded before the load.
 * Options:
 * <ul>
 *   <li>{@code -Dbench=true}: the bench's condition. It builds the bench's own lab (CPU split, trafgen) under PREFIX
 *       and removes it at the end, then does what a full bench round does to mcgate before its memory figure: the
 *       capacity searches of every point of the full plan (trafgen, 64 and 1316 bytes, 1 and 2 receivers, 1 and 100
 *       groups) and the report-rate steps (1000 new groups at each rate), then the load.</li>
 *   <li>{@code -Djvm="-XX:... -XX:..."}: JVM options added after the bench's (the later one wins).</li>
 *   <li>{@code -Dreports=N} (without {@code -Dbench}): first 1000 reports at N/s, one step of the report-rate
 *       phase.</li>
 *   <li>{@code -Dsmaps=true}: the largest resident mappings (a pcap ring is a {@code socket:[...]} mapping).</li>
 *   <li>{@code -Ddetail=FILE}: with the groups held, writes smaps_rollup, {@code jcmd VM.native_memory summary} (give
 *       {@code -Djvm=-XX:NativeMemoryTracking=summary}), {@code GC.heap_info} and the top of
 *       {@code GC.class_histogram} (or the jcmd commands in {@code -Djcmd=A,B}) to FILE, and the process's smaps to
 *       FILE.smaps.</li>
 * </ul>
 */
public final class MembershipMemory {

    private static final Ip4 BASE = Ip4.of(239, 32, 0, 0);
    private static final int HOSTS = 1000;
    private static final int GROUPS_PER_HOST = 10;
    private static final int REPORTS_PER_SECOND = 500;
    private static final long TIMEOUT_MILLIS = 60_000;
    private static final int CAPACITY_GROUPS = 100;
    private static final int HISTOGRAM_LINES = 40;

    private static final boolean BENCH = Boolean.getBoolean("bench");
    private static final int REPORT_RATE = Integer.getInteger("reports", 0);
    private static final String DETAIL = System.getProperty("detail", "");

    private MembershipMemory() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: MembershipMemory PREFIX JAR pcap|af-packet [CONFIG]");
            System.exit(64);
        }
        LabTopology topology = new LabTopology(args[0]);
        if (!BENCH) {
            measure(topology, args, null);
            return;
        }
        try (HostSendBuffer sendBuffer = HostSendBuffer.raise();
                BenchLab lab = BenchLab.up(topology, true)) {
            measure(topology, args, lab);
        }
    }

    private static void measure(LabTopology topology, String[] args, BenchLab lab) throws Exception {
        Path directory = Files.createDirectories(Path.of("/run/mcgate-lab", topology.prefix() + "-memory"));
        Path config = args.length > 3 ? Path.of(args[3]) : directory.resolve("mcgate.conf");
        if (args.length <= 3) {
            Files.writeString(config, BenchLab.config(topology, directory, true));
        }
        List<String> java = new ArrayList<>();
        java.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String extra = System.getProperty("jvm", "").strip();
        if (!extra.isEmpty()) {
            java.addAll(Arrays.asList(extra.split("\\s+")));
        }
        java.addAll(List.of("-cp", args[1], "dev.mcgate.cli.Main"));
        McgateUnderTest mcgate = new McgateUnderTest(
                "mcgate[" + args[2] + "]",
                topology.router(),
                List.of(topology.receiver(1), topology.receiver(2)),
                java,
                List.of("--packet-io", args[2]),
                config,
                directory.resolve("mcgate.log"));
        mcgate.start();
        try {
            CapacityProbe.sleep(2_000);
            double idle = mcgate.residentKib().getAsLong() / 1024.0;
            if (lab != null) {
                forward(topology, lab, mcgate);
                System.out.printf(
                        Locale.ROOT,
                        "after forwarding: %.1f MiB%n",
                        mcgate.residentKib().getAsLong() / 1024.0);
            }
            try (ReportLoad load = ReportLoad.open(topology)) {
                List<Integer> rates = lab != null
                        ? BenchPlan.full().reportRates()
                        : REPORT_RATE > 0 ? List.of(REPORT_RATE) : List.of();
                for (int step = 0; step < rates.size(); step++) {
                    // As the bench's report-rate steps: 1000 single-group reports at once, each must be reflected.
                    Ip4 base = Ip4.of(239, 40 + step, 0, 0);
                    double reached = load.inject(ReportLoad.frames(base, 1000, 1), rates.get(step));
                    int got = LabBench.awaitGroups(
                            mcgate.probe(),
                            LabTopology.RX1_LINK.routerIf(),
                            ReportLoad.groups(base, 1000),
                            TIMEOUT_MILLIS / 6);
                    System.out.printf(
                            Locale.ROOT, "%s: %,.0f reports/s: %d of 1000 reflected%n", mcgate.name(), reached, got);
                }
                load.inject(ReportLoad.frames(BASE, HOSTS, GROUPS_PER_HOST), REPORTS_PER_SECOND);
                Set<Ip4> wanted = ReportLoad.groups(BASE, HOSTS * GROUPS_PER_HOST);
                int held =
                        LabBench.awaitGroups(mcgate.probe(), LabTopology.RX1_LINK.routerIf(), wanted, TIMEOUT_MILLIS);
                double rss = mcgate.residentKib().getAsLong() / 1024.0;
                if (Boolean.getBoolean("smaps")) {
                    printLargestMappings(config);
                }
                if (!DETAIL.isEmpty()) {
                    writeDetail(config, Path.of(DETAIL));
                }
                System.out.printf(
                        Locale.ROOT,
                        "%s: resident %.1f MiB at start, %.1f MiB with %d of %d groups held; config %s, log %s%n",
                        mcgate.name(),
                        idle,
                        rss,
                        held,
                        wanted.size(),
                        config,
                        mcgate.log());
            }
        } finally {
            mcgate.stop();
        }
    }

    /**
     * What a full bench round has mcgate forward before its memory figure: the warm-up stream, then the capacity
     * search of every point, one receiver's first (receiver 2 joins once, for the two-receiver points).
     */
    private static void forward(LabTopology topology, BenchLab lab, McgateUnderTest mcgate) throws Exception {
        BenchPlan plan = BenchPlan.full();
        List<Ip4> groups = LabBench.capacityGroups(CAPACITY_GROUPS);
        // The IPv4 points: the capacity groups here are IPv4.
        List<BenchPlan.Point> points = new ArrayList<>(
                plan.points().stream().filter(p -> p.family() == IpFamily.IPV4).toList());
        CapacityProbe capacity = new CapacityProbe(topology, new TrafgenSender(topology, lab.directory()));
        points.sort((a, b) -> Integer.compare(a.receivers(), b.receivers()));
        try (BenchMembers members = new BenchMembers()) {
            for (Ip4 g : groups) {
                members.join(topology.receiver(1), g, LabBench.CAPACITY_PORT);
            }
            capacity.step(mcgate, groups.subList(0, 1), 1, 64, 20_000, mcgate.warmUpSeconds());
            boolean secondJoined = false;
            for (BenchPlan.Point p : points) {
                if (p.receivers() == 2 && !secondJoined) {
                    for (Ip4 g : groups) {
                        members.join(topology.receiver(2), g, LabBench.CAPACITY_PORT);
                    }
                    CapacityProbe.sleep(500);
                    secondJoined = true;
                }
                CapacityProbe.Result r = capacity.search(mcgate, plan, p, groups);
                System.out.printf(Locale.ROOT, "  %-28s %,10.0f pps%n", p.label(), r.pps());
            }
        }
    }

    /** The pid of the mcgate started with this configuration file. */
    private static long pid(Path config) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info()
                        .commandLine()
                        .map(c -> c.contains("dev.mcgate.cli.Main") && c.contains(config.toString()))
                        .orElse(false))
                .mapToLong(ProcessHandle::pid)
                .max()
                .orElseThrow();
    }

    /** -Dsmaps=true: where the resident memory is, by mapping (the mcgate started with this configuration file). */
    private static void printLargestMappings(Path config) throws IOException {
        java.util.Map<String, Long> rss = new java.util.TreeMap<>();
        String name = "?";
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid(config)), "smaps"))) {
            String[] f = line.trim().split("\\s+");
            if (line.matches("^[0-9a-f]+-[0-9a-f]+ .*")) {
                name = f.length > 5 ? f[5] : "[anon]";
            } else if (f[0].equals("Rss:")) {
                rss.merge(name, Long.parseLong(f[1]), Long::sum);
            }
        }
        rss.entrySet().stream()
                .sorted(java.util.Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(8)
                .forEach(e -> System.out.printf(Locale.ROOT, "  %8.1f MiB  %s%n", e.getValue() / 1024.0, e.getKey()));
    }

    /** -Ddetail=FILE: the process's memory as the kernel and the JVM see it, with the groups held. */
    private static void writeDetail(Path config, Path out) throws Exception {
        String pid = Long.toString(pid(config));
        StringBuilder sb = new StringBuilder();
        sb.append(Files.readString(Path.of("/proc", pid, "smaps_rollup")));
        sb.append("threads: ")
                .append(Files.list(Path.of("/proc", pid, "task")).count())
                .append('\n');
        // The whole map beside it, to tell malloc arenas from what the JVM reserved (VM.native_memory detail).
        Files.copy(Path.of("/proc", pid, "smaps"), Path.of(out + ".smaps"), StandardCopyOption.REPLACE_EXISTING);
        for (String command : System.getProperty("jcmd", "VM.native_memory summary,GC.heap_info,GC.class_histogram")
                .split(",")) {
            List<String> argv = new ArrayList<>(List.of("jcmd", pid));
            argv.addAll(Arrays.asList(command.split(" ")));
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            List<String> lines =
                    new String(p.getInputStream().readAllBytes()).lines().toList();
            p.waitFor();
            sb.append("== ").append(command).append('\n');
            lines.stream()
                    .limit(command.startsWith("GC.class") ? HISTOGRAM_LINES : Long.MAX_VALUE)
                    .forEach(l -> sb.append(l).append('\n'));
        }
        Files.writeString(out, sb.toString());
    }
}
