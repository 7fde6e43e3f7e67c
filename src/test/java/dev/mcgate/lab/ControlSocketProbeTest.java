package dev.mcgate.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.control.ControlDispatcher;
import dev.mcgate.control.ControlResponse;
import dev.mcgate.control.ControlServer;
import dev.mcgate.control.MiniJson;
import dev.mcgate.control.Snapshots;
import dev.mcgate.net.Ip4;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lab's probe against a control server in this JVM (no root): the daemon's own dispatcher and renderers answering
 * from a fixed snapshot, so that the probe reads what mcgate writes; and the rules it applies, on small documents in
 * the schema of docs/control.md.
 */
class ControlSocketProbeTest {

    @TempDir
    Path dir;

    private static ControlServer daemon(Path socket) throws Exception {
        return ControlServer.start(
                socket,
                new ControlDispatcher(Snapshots::sample, () -> {
                    throw new AssertionError("the probe never reloads");
                }),
                ControlServer.Limits.DEFAULTS);
    }

    @Test
    void readsGroupsQuerierAndStatesFromTheDaemonsOwnDocuments() throws Exception {
        Path socket = dir.resolve("mcgate.sock");
        try (ControlServer server = daemon(socket)) {
            ControlSocketProbe probe = new ControlSocketProbe(socket);
            // down1 holds 239.1.1.1 in EXCLUDE{} and 232.1.1.1 in INCLUDE{192.0.2.10}: both are forwarded.
            assertEquals(Set.of(Ip4.parse("239.1.1.1"), Ip4.parse("232.1.1.1")), probe.joinedGroups("down1"));
            assertEquals(Set.of(), probe.joinedGroups("down2"));
            assertEquals(Set.of(Ip4.parse("239.1.1.1"), Ip4.parse("232.1.1.1")), probe.upstreamGroups("up0"));
            assertEquals(Optional.of(new ControlSocketProbe.Querier(true, "198.51.100.1")), probe.querier("down1"));
            assertEquals(Optional.of(new ControlSocketProbe.Querier(false, "203.0.113.2")), probe.querier("down2"));
            assertEquals(Optional.empty(), probe.querier("eth9"), "pending: no IGMP side");
            assertEquals(
                    Map.of("up0", "open", "down1", "open", "down2", "open", "eth9", "pending"),
                    probe.interfaceStates());
            assertFalse(probe.ready(), "eth9 is configured and not open");
            assertTrue(server.served() >= 8, "each question went to the daemon: " + server.served());
        }
    }

    @Test
    void aQuestionAboutAnInterfaceTheDaemonHasNotOpenSaysWhatItAnswered() throws Exception {
        Path socket = dir.resolve("mcgate.sock");
        try (ControlServer unused = daemon(socket)) {
            LabException e =
                    assertThrows(LabException.class, () -> new ControlSocketProbe(socket).joinedGroups("eth9"));
            assertTrue(
                    e.getMessage().contains("groups eth9: eth9 is not an open upstream or downstream interface"),
                    e.getMessage());
        }
        LabException gone = assertThrows(LabException.class, () -> new ControlSocketProbe(socket).ready());
        assertTrue(gone.getMessage().contains("mcgate is not running"), gone.getMessage());
    }

    @Test
    void anEmptyIncludeIsNoInterestAndAnInterfaceNotListedHoldsNothing() {
        Object doc = MiniJson.parse("""
                {"schema": 1, "command": "groups", "interface": "down1", "downstreams": [
                  {"interface": "down1", "groups": [
                    {"group": "239.1.1.1", "filter_mode": "include", "sources": []},
                    {"group": "239.1.1.2", "filter_mode": "include", "sources": [{"address": "192.0.2.1"}]},
                    {"group": "239.1.1.3", "filter_mode": "exclude", "sources": [{"address": "192.0.2.1"}]}]},
                  {"interface": "down2", "groups": [
                    {"group": "239.9.9.9", "filter_mode": "exclude", "sources": []}]}],
                 "upstreams": []}
                """);
        assertEquals(
                Set.of(Ip4.parse("239.1.1.2"), Ip4.parse("239.1.1.3")), ControlSocketProbe.joinedGroups(doc, "down1"));
        assertEquals(Set.of(Ip4.parse("239.9.9.9")), ControlSocketProbe.joinedGroups(doc, "down2"));
        assertEquals(Set.of(), ControlSocketProbe.joinedGroups(doc, "down3"));
        assertEquals(Set.of(), ControlSocketProbe.upstreamGroups(doc, "up0"));
    }

    @Test
    void readyOnlyWhenEveryInterfaceIsOpenWithItsIgmpSide() {
        String up = "{\"name\": \"up0\", \"state\": \"open\", \"querier\": {\"this_router\": false, "
                + "\"address\": null}}";
        String down = "{\"name\": \"down1\", \"state\": \"%s\", \"querier\": %s}";
        String querier = "{\"this_router\": true, \"address\": \"10.0.0.1\"}";
        assertTrue(ControlSocketProbe.ready(status(up, down.formatted("open", querier))));
        assertFalse(ControlSocketProbe.ready(status(up, down.formatted("open", "null"))), "no router attached yet");
        assertFalse(ControlSocketProbe.ready(status(up, down.formatted("failed", "null"))));
        assertFalse(ControlSocketProbe.ready(status()), "no interface at all");
        // An upstream that has heard no querier has none to name, though its host side is there.
        assertEquals(Optional.empty(), ControlSocketProbe.querier(status(up), "up0"));
    }

    @Test
    void awaitReadyReturnsAtOnceWhenReadyAndSaysSoWhenTheDaemonHasExited() throws Exception {
        Path socket = dir.resolve("mcgate.sock");
        String ready = "{\"schema\": 1, \"command\": \"status\", \"interfaces\": [{\"name\": \"down1\", \"state\": "
                + "\"open\", \"querier\": {\"this_router\": true, \"address\": \"10.0.0.1\"}}]}\n";
        Process alive = new ProcessBuilder("cat").start();
        try (ControlServer unused =
                ControlServer.start(socket, r -> new ControlResponse(0, ready), ControlServer.Limits.DEFAULTS)) {
            assertEquals(Optional.empty(), new ControlSocketProbe(socket).awaitReady(alive, 10_000));
        } finally {
            alive.destroy();
        }
        Process exited = new ProcessBuilder("sh", "-c", "exit 3").start();
        assertTrue(exited.waitFor(10, TimeUnit.SECONDS));
        assertEquals(Optional.of("it exited with 3"), new ControlSocketProbe(socket).awaitReady(exited, 10_000));
    }

    private static Object status(String... interfaces) {
        return MiniJson.parse(
                "{\"schema\": 1, \"command\": \"status\", \"interfaces\": [" + String.join(", ", interfaces) + "]}");
    }
}
