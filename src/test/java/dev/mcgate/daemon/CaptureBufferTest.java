package dev.mcgate.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.config.Role;
import dev.mcgate.control.Reloading;
import dev.mcgate.io.CaptureLoad;
import dev.mcgate.net.Ip4;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The capture buffer each port opens with (auto by role, or as configured), and what a reload that changes it does:
 * the port and its flows stay, and the new size applies when the port next opens.
 */
class CaptureBufferTest {

    private static final Ip4 G1 = Ip4.parse("239.1.1.1");
    private static final Ip4 RX1 = Ip4.parse("198.51.100.10");
    /** Every interface of the harness has MTU 1500: a ring slot of 1648 bytes. */
    private static final int AUTO_UPSTREAM = 2400 * 1648;

    private static final int AUTO_DOWNSTREAM = 600 * 1648;

    @TempDir
    Path dir;

    private static String config(String down1, String down2) {
        return """
                interface up0 {
                    role upstream
                }
                interface down1 {
                    role downstream
                    %s
                }
                interface down2 {
                    role downstream
                    %s
                }
                """.formatted(down1, down2);
    }

    private static int buffer(DaemonHarness h, String name) {
        return h.interfaces.view().portStatuses().get(name).captureBufferBytes();
    }

    @Test
    void autoIsLargeOnTheUpstreamAndSmallOnADownstreamAndAWrittenSizeWins() throws Exception {
        try (DaemonHarness h = new DaemonHarness(dir.resolve("c.conf"), config("", "capture-buffer 2M"))) {
            assertEquals(AUTO_UPSTREAM, buffer(h, "up0"));
            assertEquals(AUTO_DOWNSTREAM, buffer(h, "down1"));
            assertEquals(2 << 20, buffer(h, "down2"));
        }
    }

    @Test
    void theRoleDecidesTheLoad() {
        assertEquals(CaptureLoad.STREAMS, CaptureBuffers.load(Role.UPSTREAM));
        assertEquals(CaptureLoad.MEMBERSHIP, CaptureBuffers.load(Role.DOWNSTREAM));
    }

    @Test
    void aReloadKeepsThePortAndItsBufferUntilThePortNextOpens() throws Exception {
        try (DaemonHarness h = new DaemonHarness(dir.resolve("c.conf"), config("", ""))) {
            h.join("lan1", RX1, G1);
            var portBefore =
                    h.interfaces.view().interfaces().get(1).netInterface().orElseThrow();
            h.rewrite(config("capture-buffer 4M", ""));

            Reloading.Outcome outcome = h.reload.reload();

            assertTrue(outcome.applied(), outcome.message());
            assertEquals(
                    List.of("down1: changed capture-buffer auto -> 4M; the port keeps its capture buffer of "
                            + AUTO_DOWNSTREAM + " bytes until it next opens"),
                    outcome.changes());
            assertSame(
                    portBefore,
                    h.interfaces.view().interfaces().get(1).netInterface().orElseThrow(),
                    "not reopened");
            assertEquals(AUTO_DOWNSTREAM, buffer(h, "down1"));
            h.sendData(G1, 1);
            assertEquals(List.of(1), h.data("lan1", G1), "its membership and flow went on");

            // The link goes down and comes back: the port is opened again, now with the size written.
            h.change(DaemonHarness.nif("down1", 3, "198.51.100.1", false, false));
            h.change(DaemonHarness.nif("down1", 3, "198.51.100.1", true, true));
            assertNotSame(
                    portBefore,
                    h.interfaces.view().interfaces().get(1).netInterface().orElseThrow());
            assertEquals(4 << 20, buffer(h, "down1"));
        }
    }

    @Test
    void aReloadThatChangesOtherSettingsSaysNothingAboutTheBuffer() throws Exception {
        try (DaemonHarness h = new DaemonHarness(dir.resolve("c.conf"), config("capture-buffer 4M", ""))) {
            h.rewrite(config("capture-buffer 4M\n    ttl-threshold 4", ""));
            assertEquals(
                    List.of("down1: changed ttl-threshold 1 -> 4"),
                    h.reload.reload().changes());
        }
    }
}
