package dev.mcgate.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.config.GlobalConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The promises of systemd/mcgate.service, read from the file as systemd would (the tool's own check is e2e). */
class SystemdUnitTest {

    private static Map<String, List<String>> service;

    @BeforeAll
    static void read() throws IOException {
        service = new LinkedHashMap<>();
        String section = "";
        for (String raw : Files.readAllLines(Path.of("systemd/mcgate.service"))) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("[")) {
                section = line;
                continue;
            }
            int eq = line.indexOf('=');
            if (section.equals("[Service]") && eq > 0) {
                service.computeIfAbsent(line.substring(0, eq), k -> new ArrayList<>())
                        .add(line.substring(eq + 1));
            }
        }
    }

    private static String one(String key) {
        List<String> values = service.get(key);
        assertTrue(values != null && values.size() == 1, key + " must be set once: " + values);
        return values.get(0);
    }

    @Test
    void notifyTypeReloadBySighupAndNoRestartForABadFile() {
        assertEquals("notify", one("Type"));
        assertEquals("/bin/kill -HUP $MAINPID", one("ExecReload"));
        assertTrue(one("ExecStartPre").contains("check-config"));
        assertTrue(one("ExecStart").contains(" run "));
        assertEquals("on-failure", one("Restart"));
        assertEquals("78", one("RestartPreventExitStatus"));
    }

    @Test
    void anUnprivilegedUserWithCapNetRawAloneAndNoNetAdmin() {
        assertEquals("mcgate", one("User"));
        assertFalse(service.containsKey("DynamicUser"));
        Set<String> one = Set.of("CAP_NET_RAW");
        assertEquals(one, Set.of(one("AmbientCapabilities").split("\\s+")));
        assertEquals(one, Set.of(one("CapabilityBoundingSet").split("\\s+")));
        assertEquals("yes", one("NoNewPrivileges"));
    }

    @Test
    void theFileSystemIsReadOnlyAndTheControlSocketDirectoryIsTheDefaultOne() {
        assertEquals("strict", one("ProtectSystem"));
        assertEquals("yes", one("ProtectHome"));
        assertEquals("yes", one("PrivateTmp"));
        assertEquals(GlobalConfig.DEFAULT_CONTROL_SOCKET.getParent(), Path.of("/run", one("RuntimeDirectory")));
    }

    @Test
    void addressFamiliesAreExactlyTheFiveAndTheJitIsNotForbidden() {
        assertEquals(
                Set.of("AF_UNIX", "AF_PACKET", "AF_NETLINK", "AF_INET", "AF_INET6"),
                Set.of(one("RestrictAddressFamilies").split("\\s+")));
        assertFalse(service.containsKey("MemoryDenyWriteExecute"), "the JIT needs W+X memory");
        assertFalse(service.containsKey("PrivateUsers"), "capabilities in a user namespace miss the host's links");
        for (String key :
                List.of("ProtectKernelTunables", "ProtectControlGroups", "LockPersonality", "RestrictRealtime")) {
            assertEquals("yes", one(key), key);
        }
        assertEquals("native", one("SystemCallArchitectures"));
    }

    @Test
    void theWrapperExecsJavaSoTheJvmIsTheMainProcess() throws IOException {
        String wrapper = Files.readString(Path.of("systemd/mcgate"));
        assertTrue(wrapper.lines().anyMatch(l -> l.startsWith("exec java ")), wrapper);
        assertTrue(one("ExecStart").startsWith("/usr/local/bin/mcgate "));
        assertTrue(Files.isExecutable(Path.of("systemd/mcgate")));
    }

    @Test
    void theJvmExitsOnOutOfMemoryWhateverTheOptionsSay() throws IOException {
        // A JVM out of heap loses threads (the loop, a capture thread) but stays up: systemd must see it exit.
        String exec = Files.readString(Path.of("systemd/mcgate"))
                .lines()
                .filter(l -> l.startsWith("exec java "))
                .findFirst()
                .orElseThrow();
        assertTrue(exec.startsWith("exec java -XX:+ExitOnOutOfMemoryError "), exec);
    }

    @Test
    void aStuckLoopIsCaughtByTheWatchdog() {
        // The loop sends WATCHDOG=1 at half the interval; a short one would restart a daemon busy with a reload.
        String watchdog = one("WatchdogSec");
        assertTrue(watchdog.matches("[0-9]+s"), watchdog);
        int seconds = Integer.parseInt(watchdog.substring(0, watchdog.length() - 1));
        assertTrue(seconds >= 10 && seconds <= 60, watchdog);
        assertEquals("main", one("NotifyAccess"), "WATCHDOG=1 comes from the JVM, the main process");
    }
}
