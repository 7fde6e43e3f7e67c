package dev.mcgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.io.linux.ProcStatus;
import dev.mcgate.io.linux.UnixDatagram;
import dev.mcgate.net.Ip4;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * mcgate as a service, end to end in the lab's router namespace: sd_notify to a socket standing in for systemd,
 * running with only its capabilities as an unprivileged user (under setpriv, as systemd's AmbientCapabilities= does,
 * and by its own --user), refusing to start without CAP_NET_RAW, and the time from SIGTERM to exit with a stream
 * flowing. Figures are printed on lines starting with "figures:".
 */
@EndToEnd
class DaemonServiceE2ETest {

    private static final long START_MS = 30_000;
    private static final int PORT = 5002;
    private static final int NOBODY = 65534;
    /** CAP_NET_RAW (13): what --user keeps and the unit grants. */
    private static final long NET_RAW = 0x2000L;
    /** CAP_NET_ADMIN (12): no mcgate thread may hold it. */
    private static final long NET_ADMIN = 0x1000L;

    private static final List<String> SETPRIV = List.of(
            "setpriv",
            "--reuid=nobody",
            "--regid=nogroup",
            "--clear-groups",
            "--inh-caps=-all,+net_raw",
            "--ambient-caps=-all,+net_raw",
            "--bounding-set=-all,+net_raw");
    private static final List<String> SETPRIV_NO_CAPS = List.of(
            "setpriv",
            "--reuid=nobody",
            "--regid=nogroup",
            "--clear-groups",
            "--inh-caps=-all",
            "--ambient-caps=-all",
            "--bounding-set=-all");
    private static final List<String> SETPRIV_ADMIN_ONLY = List.of(
            "setpriv",
            "--reuid=nobody",
            "--regid=nogroup",
            "--clear-groups",
            "--inh-caps=-all,+net_admin",
            "--ambient-caps=-all,+net_admin",
            "--bounding-set=-all,+net_admin");

    /** World-readable: the class path and config an unprivileged mcgate reads, and the notify socket it writes. */
    private static Path shared;

    private static String classPath;

    @TempDir
    Path dir;

    @BeforeAll
    static void readableClassPath() throws IOException {
        // The build's class path lives under /root (mode 0700): nobody could not load a class from it.
        shared = Files.createTempDirectory("mcgate-e2e-service-");
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> entries = new ArrayList<>();
        int n = 0;
        for (String entry : System.getProperty("java.class.path").split(":")) {
            Path from = Path.of(entry);
            if (Files.isRegularFile(from) && entry.endsWith(".jar")) {
                Path to = shared.resolve((n++) + "-" + from.getFileName());
                Files.copy(from, to);
                Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rw-r--r--"));
                entries.add(to.toString());
            } else if (Files.isDirectory(from) && from.endsWith("classes")) {
                Path to = shared.resolve("classes-" + (n++));
                copyTree(from, to);
                entries.add(to.toString());
            }
        }
        classPath = String.join(":", entries);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
                }
            }
        }
    }

    @AfterAll
    static void removeShared() throws IOException {
        if (shared != null) {
            try (Stream<Path> all = Files.walk(shared)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** The lab's three interfaces, readable by nobody; short timers so a join is seen fast. */
    private Path config(String name, String extra) throws IOException {
        Path file = shared.resolve(name + "-" + System.nanoTime() + ".conf");
        Files.writeString(file, extra + """
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
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        return file;
    }

    /** A paced stream from the lab's source, TTL 5, for as long as a test needs. */
    private Process stream(TestLab lab, Ip4 group, String rate) throws IOException {
        return lab.startMcgate(
                lab.topology().source(),
                dir.resolve("send-" + group + ".log"),
                "lab",
                "send",
                "-g",
                group.toString(),
                "-p",
                Integer.toString(PORT),
                "-r",
                rate,
                "--size",
                "64",
                "--ttl",
                "5",
                "-d",
                "120s",
                "-q");
    }

    /** Receiver 1 joins through its kernel and must get the stream. */
    private static TestLab.Membership joinAndReceive(TestLab lab, Ip4 group) throws IOException {
        TestLab.Membership m = lab.join(1, group, PORT, Optional.empty());
        assertTrue(m.receive(5000).isPresent(), "receiver 1 got nothing within 5 s of its join");
        return m;
    }

    private static List<String> notifications(UnixDatagram socket, long quietMs) throws IOException {
        List<String> got = new ArrayList<>();
        for (Optional<byte[]> d = socket.receive(quietMs); d.isPresent(); d = socket.receive(quietMs)) {
            got.add(new String(d.get(), StandardCharsets.UTF_8));
        }
        return got;
    }

    private static String awaitNotification(UnixDatagram socket, String prefix, long timeoutMs, List<String> seen)
            throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (System.nanoTime() < deadline) {
            Optional<byte[]> d = socket.receive(200);
            if (d.isPresent()) {
                String s = new String(d.get(), StandardCharsets.UTF_8);
                seen.add(s);
                if (s.startsWith(prefix)) {
                    return s;
                }
            }
        }
        throw new AssertionError("no " + prefix + " within " + timeoutMs + " ms; got " + seen);
    }

    @Test
    void systemdHearsReadyThenStatusAsGroupsComeThenStopping() throws Exception {
        Ip4 group = Ip4.parse("239.20.0.1");
        Path socketPath = shared.resolve("notify-" + System.nanoTime());
        try (TestLab lab = TestLab.up();
                UnixDatagram manager = UnixDatagram.bind(socketPath.toString())) {
            Path log = dir.resolve("mcgate.log");
            Process p = lab.startMcgate(
                    lab.topology().router(),
                    log,
                    List.of(),
                    Map.of("NOTIFY_SOCKET", socketPath.toString(), "JOURNAL_STREAM", "9:999"),
                    classPath,
                    "run",
                    "-c",
                    config("notify", "").toString());
            List<String> seen = new ArrayList<>();
            awaitNotification(manager, "READY=1", START_MS, seen);
            assertEquals(List.of("READY=1"), seen, "READY=1 comes first");
            assertEquals(
                    "STATUS=3 of 3 interfaces open, 0 groups, 0 flows",
                    awaitNotification(manager, "STATUS=", 5000, seen));

            stream(lab, group, "200");
            TestLab.Membership member = joinAndReceive(lab, group);
            // The status is recomputed every 2 s and sent when it changed. The group is published first, the flow
            // is seen with the next datagram: wait for both.
            awaitNotification(manager, "STATUS=3 of 3 interfaces open, 1 group, 1 flow", 8000, seen);
            member.close();
            p.destroy(); // SIGTERM
            assertTrue(p.waitFor(10, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue());
            List<String> rest = notifications(manager, 200);
            assertEquals(List.of("STOPPING=1"), rest, "after SIGTERM: STOPPING=1 and nothing else");
            // Under journald (JOURNAL_STREAM) every line carries a syslog priority and no timestamp.
            List<String> lines = Files.readAllLines(log);
            assertTrue(
                    lines.stream().anyMatch(l -> l.startsWith("<6>[INFO] DaemonRuntime - running")), lines.toString());
            assertTrue(lines.stream().allMatch(l -> l.matches("<[0-7]>\\[[A-Z]+\\] .*")), lines.toString());
        }
    }

    @Test
    void underSetprivAsNobodyWithCapNetRawAloneItForwards() throws Exception {
        Ip4 group = Ip4.parse("239.20.0.2");
        try (TestLab lab = TestLab.up()) {
            Path log = dir.resolve("mcgate.log");
            // The control socket in a directory of nobody's, as systemd's RuntimeDirectory= gives it (beside the log,
            // in root's private test directory, nobody could not create it).
            Path socketDir = Files.createDirectory(shared.resolve("run-" + System.nanoTime()));
            Files.setOwner(
                    socketDir,
                    socketDir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
            Files.setPosixFilePermissions(socketDir, PosixFilePermissions.fromString("rwxr-x---"));
            Process p = lab.startMcgate(
                    lab.topology().router(),
                    log,
                    SETPRIV,
                    Map.of(),
                    classPath,
                    "run",
                    "-c",
                    config("setpriv", "").toString(),
                    "--control-socket",
                    socketDir.resolve("mcgate.sock").toString());
            TestLab.awaitText(log, "running; stop with SIGTERM", START_MS);
            assertEquals(List.of(NOBODY, NOBODY, NOBODY, NOBODY), uids(p.pid()));
            stream(lab, group, "200");
            joinAndReceive(lab, group).close();
            p.destroy();
            assertTrue(p.waitFor(10, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), Files.readString(log));
        }
    }

    @Test
    void withoutCapNetRawItExits77NamingIt() throws Exception {
        try (TestLab lab = TestLab.up()) {
            Path conf = config("nocaps", "");
            for (List<String> wrapper : List.of(SETPRIV_NO_CAPS, SETPRIV_ADMIN_ONLY)) {
                Path log = dir.resolve("nocaps-" + wrapper.size() + "-" + System.nanoTime() + ".log");
                Process p = lab.startMcgate(
                        lab.topology().router(), log, wrapper, Map.of(), classPath, "run", "-c", conf.toString());
                assertTrue(p.waitFor(START_MS, TimeUnit.MILLISECONDS));
                String out = Files.readString(log);
                assertEquals(77, p.exitValue(), out);
                List<String> errors =
                        out.lines().filter(l -> l.startsWith("mcgate run: ")).toList();
                assertEquals(1, errors.size(), out);
                assertTrue(errors.get(0).contains("CAP_NET_RAW is missing"), errors.get(0));
                assertTrue(errors.get(0).contains("AmbientCapabilities="), errors.get(0));
                assertFalse(out.contains("opened"), "no interface was touched: " + out);
            }
        }
    }

    @Test
    void runUserNobodyDropsRootKeepsCapNetRawAloneOnItsThreadsAndForwards() throws Exception {
        Ip4 group = Ip4.parse("239.20.0.3");
        try (TestLab lab = TestLab.up()) {
            Path log = dir.resolve("mcgate.log");
            Path socketDir = shared.resolve("run-" + System.nanoTime());
            Process p = lab.startMcgate(
                    lab.topology().router(),
                    log,
                    List.of(),
                    Map.of(),
                    classPath,
                    "run",
                    "-c",
                    config("user", "control-socket " + socketDir.resolve("mcgate.sock") + "\n")
                            .toString(),
                    "--user",
                    "nobody",
                    "--control-socket",
                    socketDir.resolve("mcgate.sock").toString());
            TestLab.awaitText(log, "running; stop with SIGTERM", START_MS);
            assertTrue(
                    Files.readString(log).contains("running as user nobody (uid 65534, gid 65534) with CAP_NET_RAW\n"),
                    Files.readString(log));
            assertEquals(List.of(NOBODY, NOBODY, NOBODY, NOBODY), uids(p.pid()), "every uid of the process");
            // Capabilities are per thread: mcgate's threads hold exactly CAP_NET_RAW, the JVM's own hold none.
            Map<String, Long> capEff = capEffByThread(p.pid());
            List<String> ours = capEff.keySet().stream()
                    .filter(t -> t.startsWith("mcgate-"))
                    .toList();
            assertTrue(ours.stream().filter(t -> t.startsWith("mcgate-capture")).count() >= 3, capEff.toString());
            for (String t : ours) {
                assertEquals(NET_RAW, capEff.get(t), t + " " + capEff);
            }
            assertEquals(
                    0L,
                    capEff.entrySet().stream()
                            .filter(e -> !e.getKey().startsWith("mcgate-")
                                    && e.getKey().contains("GC"))
                            .mapToLong(Map.Entry::getValue)
                            .reduce(0, (a, b) -> a | b),
                    "the JVM's GC threads keep nothing: " + capEff);
            assertEquals(NOBODY, (int) Files.getAttribute(socketDir, "unix:uid"), "the control socket directory");

            stream(lab, group, "200");
            joinAndReceive(lab, group).close();
            p.destroy();
            assertTrue(p.waitFor(10, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), Files.readString(log));
        }
    }

    @Test
    void runUserNobodySighupReloadOpensAnAddedInterfaceAndEveryMcgateThreadHoldsCapNetRawAlone() throws Exception {
        Ip4 group = Ip4.parse("239.20.0.5");
        try (TestLab lab = TestLab.up()) {
            Path log = dir.resolve("mcgate.log");
            Path socket = shared.resolve("run-" + System.nanoTime()).resolve("mcgate.sock");
            Path conf = shared.resolve("reload-" + System.nanoTime() + ".conf");
            String twoInterfaces = """
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
                    """;
            Files.writeString(conf, twoInterfaces);
            Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-r--r--"));
            Process p = lab.startMcgate(
                    lab.topology().router(),
                    log,
                    List.of(),
                    Map.of(),
                    classPath,
                    "run",
                    "-c",
                    conf.toString(),
                    "--user",
                    "nobody",
                    "--control-socket",
                    socket.toString());
            TestLab.awaitText(log, "running; stop with SIGTERM", START_MS);
            assertEquals(2, captureThreads(threadStatus(p.pid())), Files.readString(log));

            // The interface is added by SIGHUP: the reload runs on mcgate-reload and the port opens on the I/O
            // executor, threads the signal never created (the JVM's signal thread holds no capability).
            Files.writeString(conf, twoInterfaces + "interface down2 {\n    role downstream\n}\n");
            TestLab.run("kill", "-HUP", Long.toString(p.pid()));
            TestLab.awaitText(log, "down2 (downstream): opened", START_MS);
            String out = Files.readString(log);
            assertFalse(out.contains("Operation not permitted") || out.contains("EPERM"), out);

            Map<String, ProcStatus> threads = threadStatus(p.pid());
            System.out.println("figures: CapEff by thread under --user nobody after a SIGHUP reload: "
                    + threads.entrySet().stream()
                            .map(e -> e.getKey() + "=" + e.getValue().describeEffective())
                            .toList());
            assertEquals(3, captureThreads(threads), threads.keySet().toString());
            for (String name : List.of("mcgate-reload#", "mcgate-sighup#", "mcgate-io-", "mcgate-loop#")) {
                assertTrue(threads.keySet().stream().anyMatch(t -> t.startsWith(name)), name + " " + threads.keySet());
            }
            threads.forEach((name, status) -> {
                assertEquals(0, status.capEff() & NET_ADMIN, "no thread holds CAP_NET_ADMIN: " + name);
                if (name.startsWith("mcgate-")) {
                    assertEquals(NET_RAW, status.capEff(), name);
                    // The bounding set is cut to what is kept too (it once kept 5-40: cap_last_cap was misread).
                    assertEquals(NET_RAW, status.capBnd(), "bounding set of " + name);
                    assertTrue(status.noNewPrivs(), "no_new_privs on " + name);
                    assertEquals(List.of(), status.groups(), "no supplementary group on " + name);
                }
            });

            // The added interface forwards: receiver 2 is behind down2.
            stream(lab, group, "200");
            try (TestLab.Membership m = lab.join(2, group, PORT, Optional.empty())) {
                assertTrue(m.receive(5000).isPresent(), "receiver 2 (down2, added by SIGHUP) got nothing");
            }

            // The socket is nobody:nogroup 0660. Another user of group nogroup may read but not reload; root may.
            List<String> groupMember = List.of("setpriv", "--reuid=4242", "--regid=nogroup", "--clear-groups");
            assertEquals(0, client(lab, groupMember, "status", socket), "status by a group member");
            assertEquals(77, client(lab, groupMember, "reload", socket), "reload by a group member");
            assertEquals(0, client(lab, List.of(), "reload", socket), "reload by root");

            p.destroy();
            assertTrue(p.waitFor(10, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), Files.readString(log));
        }
    }

    /** Runs a control client command in the router namespace, as the wrapper makes it, and returns its exit code. */
    private int client(TestLab lab, List<String> wrapper, String command, Path socket) throws Exception {
        Path log = dir.resolve("client-" + command + "-" + System.nanoTime() + ".log");
        Process c = lab.startMcgate(
                lab.topology().router(), log, wrapper, Map.of(), classPath, command, "--socket", socket.toString());
        assertTrue(c.waitFor(30, TimeUnit.SECONDS), command + " did not finish");
        System.out.println("figures: " + wrapper + " " + command + " exit " + c.exitValue() + ": "
                + Files.readString(log).strip());
        return c.exitValue();
    }

    private static long captureThreads(Map<String, ProcStatus> threads) {
        // comm holds 15 characters: every capture thread shows as mcgate-capture-.
        return threads.keySet().stream()
                .filter(t -> t.startsWith("mcgate-capture"))
                .count();
    }

    /** Each thread's credentials, by its name and id, from /proc/PID/task/TID/status. */
    private static Map<String, ProcStatus> threadStatus(long pid) throws IOException {
        Map<String, ProcStatus> out = new java.util.TreeMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path t : tasks.toList()) {
                String name = Files.readString(t.resolve("comm")).strip() + "#" + t.getFileName();
                out.put(name, ProcStatus.parse(Files.readString(t.resolve("status"))));
            }
        }
        return out;
    }

    @Test
    void runUserNobodyWithTheSocketInARootOwnedDirectoryExits69NamingThePathTheCauseAndTheFix() throws Exception {
        try (TestLab lab = TestLab.up()) {
            // Root's and 0755, as /run/mcgate left by an earlier run as root; not named mcgate, so --user leaves it
            // as it is (ControlSocketDirectory.prepare) and nobody cannot create the socket in it.
            Path socketDir = Files.createDirectory(shared.resolve("root-owned-" + System.nanoTime()));
            Files.setPosixFilePermissions(socketDir, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path socket = socketDir.resolve("mcgate.sock");
            Path log = dir.resolve("mcgate.log");
            Process p = lab.startMcgate(
                    lab.topology().router(),
                    log,
                    List.of(),
                    Map.of(),
                    classPath,
                    "run",
                    "-c",
                    config("rootdir", "").toString(),
                    "--user",
                    "nobody",
                    "--control-socket",
                    socket.toString());
            assertTrue(p.waitFor(START_MS, TimeUnit.MILLISECONDS), "still running");
            String out = Files.readString(log);
            assertEquals(69, p.exitValue(), out);
            List<String> errors =
                    out.lines().filter(l -> l.startsWith("mcgate run: ")).toList();
            assertEquals(1, errors.size(), out);
            String error = errors.get(0);
            assertTrue(error.startsWith("mcgate run: cannot create the control socket " + socket + ": "), error);
            assertTrue(
                    error.contains("user nobody may not create files in " + socketDir + " (permission denied)"), error);
            assertTrue(error.contains("install -d -o nobody " + socketDir), error);
            assertFalse(error.contains(".mcg"), "the private bind directory's name: " + error);
            assertFalse(out.contains("opened"), "no interface was touched: " + out);
            try (Stream<Path> left = Files.list(socketDir)) {
                assertEquals(List.of(), left.toList(), "nothing left in the directory");
            }
        }
    }

    @Test
    void sigtermWithAStreamFlowingExitsZeroWithinTwoSeconds() throws Exception {
        Ip4 group = Ip4.parse("239.20.0.4");
        List<Double> stopMs = new ArrayList<>();
        try (TestLab lab = TestLab.up()) {
            stream(lab, group, "2000");
            TestLab.Membership m = lab.join(1, group, PORT, Optional.empty());
            for (int round = 0; round < 3; round++) {
                Path log = dir.resolve("stop-" + round + ".log");
                Process p = lab.startMcgate(
                        lab.topology().router(),
                        log,
                        "run",
                        "-c",
                        config("stop", "").toString());
                TestLab.awaitText(log, "running; stop with SIGTERM", START_MS);
                // Drain what is queued, then make sure the stream is being forwarded right now.
                while (m.receive(1).isPresent()) {
                    // older datagrams
                }
                assertTrue(m.receive(5000).isPresent(), "forwarding before the stop");
                long sent = System.nanoTime();
                p.destroy(); // SIGTERM
                assertTrue(p.waitFor(10, TimeUnit.SECONDS), "no exit within 10 s of SIGTERM");
                double ms = (System.nanoTime() - sent) / 1e6;
                assertEquals(0, p.exitValue(), Files.readString(log));
                String out = Files.readString(log);
                assertTrue(out.contains("upstream up0: IGMP host side stopped"), out);
                assertTrue(out.contains("stopped"), out);
                stopMs.add(ms);
            }
            m.close();
        }
        System.out.println("figures: SIGTERM to exit with a 2000 pps stream and 3 interfaces open, ms: " + stopMs);
        // The promise is 2 s; one round may be slowed by a loaded machine (a 2-core box shared with other builds),
        // so the median must keep it and no round may take more than 5 s.
        List<Double> sorted = stopMs.stream().sorted().toList();
        assertTrue(sorted.get(1) < 2000, "median stop " + sorted.get(1) + " ms: " + stopMs);
        assertTrue(sorted.get(2) < 5000, "slowest stop " + sorted.get(2) + " ms: " + stopMs);
    }

    private static List<Integer> uids(long pid) throws IOException {
        String uid = Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                .filter(l -> l.startsWith("Uid:"))
                .findFirst()
                .orElseThrow();
        return Stream.of(uid.substring(4).strip().split("\\s+"))
                .map(Integer::valueOf)
                .toList();
    }

    /** Each thread's name and effective capabilities, from /proc/PID/task/TID. */
    private static Map<String, Long> capEffByThread(long pid) throws IOException {
        Map<String, Long> out = new java.util.TreeMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path t : tasks.toList()) {
                String name = Files.readString(t.resolve("comm")).strip() + "#" + t.getFileName();
                String eff = Files.readAllLines(t.resolve("status")).stream()
                        .filter(l -> l.startsWith("CapEff:"))
                        .findFirst()
                        .orElseThrow();
                out.put(name, Long.parseUnsignedLong(eff.substring(7).strip(), 16));
            }
        }
        return out;
    }
}
