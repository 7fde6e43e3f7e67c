package dev.mcgate.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.control.Reloading;
import dev.mcgate.forward.ForwardingInterface;
import dev.mcgate.tunnel.TunnelStatus;
import dev.mcgate.tunnel.TunnelWire;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * mcgate tunnels follow reload on the whole daemon ({@link DaemonHarness}: simulated LANs, a hand-driven clock) with
 * real UDP sockets on the loopback, no root: added ones open, removed ones close, settings beside the session change
 * in place, the others and a new key reopen, and a tunnel whose port is taken is shown not open and retried.
 */
class TunnelReloadTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @TempDir
    Path dir;

    private Path key;
    private DaemonHarness h;
    private int port;
    private int otherPort;

    @BeforeEach
    void setUp() throws Exception {
        key = dir.resolve("t.key");
        writeKey(1);
        port = freePort();
        otherPort = freePort();
        h = new DaemonHarness(dir.resolve("mcgate.conf"), config(""));
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    private void writeKey(int seed) throws Exception {
        byte[] k = new byte[32];
        k[0] = (byte) seed;
        Files.writeString(key, Base64.getEncoder().encodeToString(k) + "\n");
    }

    private static int freePort() throws Exception {
        try (DatagramChannel c = DatagramChannel.open()) {
            c.bind(new InetSocketAddress(LOOPBACK, 0));
            return ((InetSocketAddress) c.getLocalAddress()).getPort();
        }
    }

    /** Whether something holds the UDP port on the loopback (binding it fails). */
    private static boolean taken(int port) throws Exception {
        try (DatagramChannel c = DatagramChannel.open()) {
            c.bind(new InetSocketAddress(LOOPBACK, port));
            return false;
        } catch (BindException e) {
            return true;
        }
    }

    private String config(String tunnel) {
        return """
                interface up0 {
                    role upstream
                }
                interface down1 {
                    role downstream
                }
                """ + tunnel;
    }

    private String tunnel(int localPort, String extra) {
        return """
                tunnel t1 {
                    role downstream
                    local 127.0.0.1:%d
                    peer 127.0.0.1:%d
                    key-file %s
                %s
                }
                """.formatted(localPort, otherPort, key, extra);
    }

    private Reloading.Outcome reload(String file) throws Exception {
        h.rewrite(file);
        Reloading.Outcome o = h.reload.reload();
        h.settle();
        assertTrue(o.applied(), o.toString());
        return o;
    }

    private TunnelStatus status() {
        List<TunnelStatus> all = h.tunnels.statuses();
        assertEquals(1, all.size(), all.toString());
        return all.get(0);
    }

    private Optional<ForwardingInterface> inTable(String name) {
        return h.forwarding.forwarder().table().interfaces().stream()
                .filter(i -> i.name().equals(name))
                .findFirst();
    }

    @Test
    void anAddedTunnelOpensAndARemovedOneClosesWithoutTouchingTheRest() throws Exception {
        Reloading.Outcome added = reload(config(tunnel(port, "")));
        assertEquals(List.of("tunnel t1: added (downstream); open"), added.changes());
        assertEquals(TunnelStatus.PeerState.CONNECTING, status().state());
        assertTrue(taken(port), "the tunnel's socket is bound");
        assertTrue(inTable("t1").isPresent(), "the forwarding table has the tunnel");
        assertTrue(inTable("down1").isPresent());

        Reloading.Outcome removed = reload(config(""));
        assertEquals(
                List.of("tunnel t1: removed (was downstream); closed, its memberships withdrawn"), removed.changes());
        assertEquals(List.of(), h.tunnels.statuses());
        assertFalse(taken(port), "its socket is closed");
        assertTrue(inTable("t1").isEmpty(), "the forwarding table no longer has it");
    }

    @Test
    void aReloadTheLoopDoesNotTakeLeavesTunnelsAndInterfacesAsTheyWere() throws Exception {
        reload(config(tunnel(port, "")));
        var interfacesBefore = h.interfaces.view().interfaces();
        h.rewrite("""
                interface up0 {
                    role upstream
                }
                """);
        h.loop.refuseCalls = true;

        Reloading.Outcome refused = h.reload.reload();
        h.loop.refuseCalls = false;
        h.settle();

        assertFalse(refused.applied(), refused.toString());
        assertTrue(refused.message().contains("configuration unchanged"), refused.message());
        assertEquals(TunnelStatus.PeerState.CONNECTING, status().state(), "the tunnel was not closed");
        assertTrue(taken(port), "its socket is still bound");
        assertTrue(inTable("t1").isPresent(), "the forwarding table still has it");
        assertEquals(interfacesBefore, h.interfaces.view().interfaces(), "down1 was not closed");
        assertTrue(inTable("down1").isPresent());
    }

    @Test
    void theTunnelsAndTheInterfacesTakeAReloadInOneLoopTask() throws Exception {
        reload(config(tunnel(port, "")));
        h.rewrite("""
                interface up0 {
                    role upstream
                }
                """);
        // Only the first loop call of the reload is answered: the tunnels' decisions and the interfaces' must both be
        // in it, or a reload could close the tunnel and then fail to change the interfaces.
        h.loop.calls = 0;
        h.loop.refuseFromCall = 2;

        Reloading.Outcome o = h.reload.reload();
        h.loop.refuseFromCall = Integer.MAX_VALUE;
        h.settle();

        assertTrue(o.applied(), o.toString());
        assertEquals(List.of(), h.tunnels.statuses(), "the tunnel was removed");
        assertFalse(taken(port), "its socket is closed");
        assertEquals(
                List.of("up0"),
                h.interfaces.view().interfaces().stream()
                        .map(InterfaceView.InterfaceState::name)
                        .toList(),
                "down1 was removed in the same task");
    }

    @Test
    void settingsBesideTheSessionChangeInPlaceAndAnUnchangedBlockIsNotTouched() throws Exception {
        reload(config(tunnel(port, "    mtu 1500")));
        h.advance(Duration.ofSeconds(3));
        long sentBefore = status().controlSent();

        Reloading.Outcome same = reload(config(tunnel(port, "    mtu 1500")));
        assertTrue(same.message().endsWith("reloaded, nothing changed"), same.toString());

        Reloading.Outcome changed = reload(config(tunnel(port, "    mtu 1400\n    keepalive 200ms")));
        assertEquals(
                List.of("tunnel t1: changed keepalive 1s -> 200ms, mtu 1500 -> 1400; in place, session kept"),
                changed.changes());
        TunnelStatus s = status();
        // The same endpoint: in its state for 3 s already, its counters go on.
        assertTrue(s.stateFor().compareTo(Duration.ofSeconds(3)) >= 0, s.toString());
        assertTrue(s.controlSent() >= sentBefore, s.toString());
        assertEquals(TunnelWire.innerMtu(1400), s.innerMtu());
        assertEquals(TunnelWire.innerMtu(1400), inTable("t1").orElseThrow().mtu(), "the table has the new MTU");
        // keepalive 200 ms: ten more INITs (no peer answers) in 2 s, not two.
        h.advance(Duration.ofSeconds(2));
        assertTrue(status().controlSent() - s.controlSent() >= 9, status().toString());
    }

    @Test
    void aNewLocalPortOrANewKeyReopensTheTunnel() throws Exception {
        reload(config(tunnel(port, "")));
        h.advance(Duration.ofSeconds(3));
        int newPort = freePort();
        Reloading.Outcome moved = reload(config(tunnel(newPort, "")));
        assertEquals(
                List.of("tunnel t1: changed local 127.0.0.1:" + port + " -> 127.0.0.1:" + newPort
                        + "; closed and reopened; open"),
                moved.changes());
        assertFalse(taken(port), "the old socket is closed");
        assertTrue(taken(newPort), "the new one is bound");
        assertEquals(Duration.ZERO, status().stateFor(), "a new endpoint");

        // A key rotated under the same path: the file's text is the same, the key is not.
        h.advance(Duration.ofSeconds(3));
        writeKey(2);
        Reloading.Outcome rotated = h.reload.reload();
        assertEquals(
                List.of("tunnel t1: changed key-file " + key + ": another key; closed and reopened; open"),
                rotated.changes());
        assertEquals(Duration.ZERO, status().stateFor(), "a new endpoint");
        assertTrue(taken(newPort));
    }

    @Test
    void aTunnelWhosePortIsTakenIsShownNotOpenAndOpensOnTheNextRetry() throws Exception {
        DatagramChannel squatter = DatagramChannel.open().bind(new InetSocketAddress(LOOPBACK, port));
        Reloading.Outcome added = reload(config(tunnel(port, "")));
        assertEquals(1, added.changes().size(), added.toString());
        assertTrue(
                added.changes()
                        .get(0)
                        .startsWith("tunnel t1: added (downstream); not open: cannot bind 127.0.0.1:" + port + ": "),
                added.toString());
        assertTrue(added.changes().get(0).endsWith(" (retrying)"), added.toString());
        TunnelStatus s = status();
        assertEquals(TunnelStatus.PeerState.NOT_OPEN, s.state());
        assertTrue(s.notOpenReason().orElseThrow().startsWith("cannot bind 127.0.0.1:" + port), s.toString());
        assertTrue(inTable("t1").isEmpty());

        h.advance(Tunnels.RETRY_INTERVAL.multipliedBy(2));
        assertEquals(TunnelStatus.PeerState.NOT_OPEN, status().state(), "still taken: still not open");
        assertEquals(Duration.ofSeconds(10), status().stateFor(), "not open since the reload");

        squatter.close();
        h.advance(Tunnels.RETRY_INTERVAL);
        assertEquals(TunnelStatus.PeerState.CONNECTING, status().state(), "opened by the timer");
        assertTrue(inTable("t1").isPresent());
        assertTrue(taken(port));
    }

    @Test
    void anAddressChangeRetriesAtOnce() throws Exception {
        DatagramChannel squatter = DatagramChannel.open().bind(new InetSocketAddress(LOOPBACK, port));
        reload(config(tunnel(port, "")));
        squatter.close();
        h.tunnels.retrySoon();
        assertEquals(TunnelStatus.PeerState.CONNECTING, status().state());
    }

    @Test
    void aTunnelThatIsNotOpenIsTriedAgainByAReloadThatFixesIt() throws Exception {
        DatagramChannel squatter = DatagramChannel.open().bind(new InetSocketAddress(LOOPBACK, port));
        try (squatter) {
            reload(config(tunnel(port, "")));
            int free = freePort();
            Reloading.Outcome fixed = reload(config(tunnel(free, "")));
            assertEquals(List.of("tunnel t1: changed while not open; open"), fixed.changes());
            assertEquals(TunnelStatus.PeerState.CONNECTING, status().state());
            assertThrows(
                    java.util.NoSuchElementException.class,
                    () -> status().notOpenReason().orElseThrow());
        }
    }
}
