package dev.mcgate.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.net.Ip4;
import dev.mcgate.packet.RecordType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A port whose capture thread dies fails its interface: shown failed, its memberships withdrawn, counted, and opened
 * again after a wait that grows while the capture keeps dying at once.
 */
class CaptureStopTest {

    private static final Ip4 G = Ip4.parse("239.4.4.4");
    private static final Ip4 RX1 = Ip4.parse("198.51.100.10");
    private static final String FAILED = ManagedInterface.Lifecycle.FAILED.note();

    @TempDir
    Path dir;

    private DaemonHarness harness() throws Exception {
        return new DaemonHarness(dir.resolve("r.conf"), """
                interface up0 {
                    role upstream
                }
                interface down1 {
                    role downstream
                }
                """);
    }

    private static String note(DaemonHarness h, String name) {
        return h.interfaces.view().interfaces().stream()
                .filter(i -> i.name().equals(name))
                .findFirst()
                .orElseThrow()
                .note();
    }

    private static Map<String, Long> captureCounters(DaemonHarness h, String name) {
        Map<String, Long> out = new LinkedHashMap<>();
        h.interfaces.recordCaptureCounters((counter, value, labels) -> {
            if (labels[0].equals(name)) {
                out.put(counter.metric(), value);
            }
        });
        return out;
    }

    @Test
    void aDeadCaptureFailsTheInterfaceWithdrawsItsGroupsAndItIsReopened() throws Exception {
        try (DaemonHarness h = harness()) {
            h.join("lan1", RX1, G);
            h.sendData(G, 1);
            assertEquals(List.of(1), h.data("lan1", G));
            h.lan.clearLog("wan");

            assertTrue(h.lan.stopCapture("down1", "java.lang.InternalError: injected"));
            h.settle();

            assertEquals(FAILED, note(h, "down1"), "a port that no longer captures is not open");
            assertTrue(
                    h.recordsSent("wan").stream()
                            .anyMatch(r -> r.group().equals(G) && r.type() == RecordType.CHANGE_TO_INCLUDE_MODE),
                    "the upstream hears the leave: nobody on down1 can be heard any more");
            assertEquals(Map.of("capture_stopped", 1L, "capture_reopens", 0L), captureCounters(h, "down1"));
            h.sendData(G, 2);
            assertEquals(List.of(1), h.data("lan1", G));

            h.advance(Duration.ofMillis(999));
            assertEquals(FAILED, note(h, "down1"));
            h.advance(Duration.ofMillis(1));
            assertEquals("open", note(h, "down1"), "opened again after 1 s");
            assertEquals(Map.of("capture_stopped", 1L, "capture_reopens", 1L), captureCounters(h, "down1"));

            h.join("lan1", RX1, G);
            h.sendData(G, 3);
            assertEquals(List.of(1, 3), h.data("lan1", G), "the new port captures the host's report and forwards");
            assertEquals("open", note(h, "up0"), "the other interfaces were left alone");
        }
    }

    @Test
    void aCaptureThatKeepsDyingAtOnceWaitsLongerEachTime() throws Exception {
        try (DaemonHarness h = harness()) {
            h.lan.stopCapture("down1", "first");
            h.settle();
            h.advance(Duration.ofSeconds(1));
            assertEquals("open", note(h, "down1"));

            h.lan.stopCapture("down1", "second, at once");
            h.settle();
            h.advance(Duration.ofSeconds(1));
            assertEquals(FAILED, note(h, "down1"), "the second wait is 2 s");
            h.advance(Duration.ofSeconds(1));
            assertEquals("open", note(h, "down1"));

            h.advance(Duration.ofSeconds(60));
            h.lan.stopCapture("down1", "after a minute of capture");
            h.settle();
            h.advance(Duration.ofSeconds(1));
            assertEquals("open", note(h, "down1"), "a port that captured for a minute starts over at 1 s");
            assertEquals(Map.of("capture_stopped", 3L, "capture_reopens", 3L), captureCounters(h, "down1"));
        }
    }
}
