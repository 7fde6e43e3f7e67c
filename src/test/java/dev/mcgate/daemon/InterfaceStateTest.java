package dev.mcgate.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.net.Ip4;
import dev.mcgate.packet.RecordType;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interfaces that go down or lose their address are closed (memberships withdrawn, upstream leaves, no more copies)
 * and shown as such; they come back on their own when the interface does.
 */
class InterfaceStateTest {

    private static final Ip4 G = Ip4.parse("239.3.3.3");
    private static final Ip4 RX1 = Ip4.parse("198.51.100.10");

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
                interface down2 {
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

    @Test
    void aDownstreamSetDownIsWithdrawnShownDownAndRestoredWhenUp() throws Exception {
        try (DaemonHarness h = harness()) {
            h.join("lan1", RX1, G);
            h.sendData(G, 1);
            h.lan.clearLog("wan");

            h.change(DaemonHarness.nif("down1", 3, "198.51.100.1", false, false));

            assertEquals("down", note(h, "down1"));
            assertTrue(
                    h.recordsSent("wan").stream()
                            .anyMatch(r -> r.group().equals(G) && r.type() == RecordType.CHANGE_TO_INCLUDE_MODE),
                    "the upstream hears the leave");
            h.sendData(G, 2);
            assertEquals(List.of(1), h.data("lan1", G), "no copy to a down interface");

            // ip link set up: usable at once, before the carrier is reported (linkwatch lags about a second).
            h.change(DaemonHarness.nif("down1", 3, "198.51.100.1", true, false));
            assertEquals("open", note(h, "down1"));
            h.join("lan1", RX1, G);
            h.sendData(G, 3);
            assertEquals(List.of(1, 3), h.data("lan1", G), "forwarding is back after the host's report");
        }
    }

    @Test
    void aCarrierLostAfterHavingItClosesTheInterface() throws Exception {
        try (DaemonHarness h = harness()) {
            h.change(DaemonHarness.nif("down1", 3, "198.51.100.1", true, false));
            assertEquals("down", note(h, "down1"), "it had a carrier and lost it (the peer went down)");
            h.change(DaemonHarness.nif("down1", 3, "198.51.100.1", true, true));
            assertEquals("open", note(h, "down1"));
        }
    }

    @Test
    void anInterfaceThatLosesItsAddressIsClosedUntilItHasOneAgain() throws Exception {
        try (DaemonHarness h = harness()) {
            h.join("lan1", RX1, G);
            h.lan.clearLog("wan");

            h.change(DaemonHarness.nif("down1", 3, null, true, true));

            assertEquals("no address", note(h, "down1"));
            assertTrue(
                    h.recordsSent("wan").stream()
                            .anyMatch(r -> r.group().equals(G) && r.type() == RecordType.CHANGE_TO_INCLUDE_MODE),
                    "the upstream hears the leave");
            h.change(DaemonHarness.nif("down1", 3, "198.51.100.1", true, true));
            assertEquals("open", note(h, "down1"));
        }
    }

    @Test
    void deletedAndRecreatedItIsPendingThenOpenOnTheNewIfindex() throws Exception {
        try (DaemonHarness h = harness()) {
            List<dev.mcgate.io.NetInterface> before = List.copyOf(h.system.values());
            h.system.remove("down1");
            h.interfaces.onInterfaceChanges(
                    dev.mcgate.io.InterfaceChange.between(before, List.copyOf(h.system.values())));
            h.settle();
            assertEquals("pending", note(h, "down1"));

            // A new veth: down, no address, then up (not yet RUNNING), then its address.
            h.change(DaemonHarness.nif("down1", 9, null, false, false));
            assertEquals("down", note(h, "down1"));
            h.change(DaemonHarness.nif("down1", 9, null, true, false));
            assertEquals("open", note(h, "down1"), "a new link without an address is used from 0.0.0.0, as at start");
            h.change(DaemonHarness.nif("down1", 9, "198.51.100.1", true, false));
            assertEquals(
                    9,
                    h.interfaces.view().interfaces().stream()
                            .filter(i -> i.name().equals("down1"))
                            .findFirst()
                            .orElseThrow()
                            .netInterface()
                            .orElseThrow()
                            .index());
            h.join("lan1", RX1, G);
            h.sendData(G, 5);
            assertEquals(List.of(5), h.data("lan1", G));
        }
    }
}
