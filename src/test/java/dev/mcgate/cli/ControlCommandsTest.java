package dev.mcgate.cli;

import static dev.mcgate.cli.CommandLineTest.mcgate;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.control.ControlDispatcher;
import dev.mcgate.control.ControlServer;
import dev.mcgate.control.MiniJson;
import dev.mcgate.control.Reloading;
import dev.mcgate.control.Snapshots;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * status, groups, routes, counters and reload as an operator runs them, against a control server in this JVM that
 * answers from a fixed snapshot and a fake {@link Reloading}: output streams and exit codes.
 */
class ControlCommandsTest {

    @TempDir
    Path dir;

    private final AtomicReference<Reloading.Outcome> outcome = new AtomicReference<>();

    private ControlServer server(Path socket) throws Exception {
        return ControlServer.start(
                socket, new ControlDispatcher(Snapshots::sample, outcome::get), ControlServer.Limits.DEFAULTS);
    }

    @Test
    void theCommandsPrintTheDaemonsTablesAndDocuments() throws Exception {
        Path socket = dir.resolve("s.sock");
        try (ControlServer unused = server(socket)) {
            for (String command : List.of("status", "groups", "routes", "counters")) {
                CommandLineTest.Run text = mcgate(command, "--socket", socket.toString());
                assertEquals(0, text.exit(), command + ": " + text.err());
                assertEquals("", text.err());
                CommandLineTest.Run json = mcgate(command, "--json", "--socket", socket.toString());
                assertEquals(0, json.exit(), json.err());
                assertEquals(command, MiniJson.at(MiniJson.parse(json.out()), "command"));
            }
            assertTrue(mcgate("status", "--socket", socket.toString()).out().startsWith("mcgate 1.2.3, up "));
            CommandLineTest.Run down1 = mcgate("groups", "-i", "down1", "--json", "--socket", socket.toString());
            assertEquals("down1", MiniJson.at(MiniJson.parse(down1.out()), "downstreams", 0, "interface"));
            CommandLineTest.Run unknown = mcgate("groups", "--interface", "eth7", "--socket", socket.toString());
            assertEquals(ExitCodes.USAGE, unknown.exit());
            assertEquals(
                    "mcgate groups: eth7 is not an open upstream or downstream interface (mcgate status lists "
                            + "them)\n",
                    unknown.err());
        }
    }

    @Test
    void reloadExitsZeroWhenAppliedAnd78WithTheConfigErrorWhenRefused() throws Exception {
        Path socket = dir.resolve("s.sock");
        try (ControlServer unused = server(socket)) {
            outcome.set(new Reloading.Outcome(true, "1 change", List.of("down3 added")));
            CommandLineTest.Run applied = mcgate("reload", "--socket", socket.toString());
            assertEquals(0, applied.exit(), applied.err());
            assertEquals("reloaded: 1 change\n  down3 added\n", applied.out());

            outcome.set(new Reloading.Outcome(false, "/etc/mcgate/mcgate.conf:4: unknown role 'sideways'", List.of()));
            CommandLineTest.Run refused = mcgate("reload", "--socket", socket.toString());
            assertEquals(ExitCodes.CONFIG, refused.exit());
            assertEquals("", refused.out());
            assertEquals("mcgate reload: /etc/mcgate/mcgate.conf:4: unknown role 'sideways'\n", refused.err());

            CommandLineTest.Run json = mcgate("reload", "--json", "--socket", socket.toString());
            assertEquals(ExitCodes.CONFIG, json.exit());
            assertEquals(false, MiniJson.at(MiniJson.parse(json.out()), "applied"));
        }
    }

    @Test
    void theSocketIsTakenFromTheConfigurationFile() throws Exception {
        Path socket = dir.resolve("from-config.sock");
        Path config = dir.resolve("m.conf");
        Files.writeString(config, "control-socket " + socket + "\ninterface up0 {\n    role upstream\n}\n");
        try (ControlServer unused = server(socket)) {
            CommandLineTest.Run r = mcgate("routes", "-c", config.toString());
            assertEquals(0, r.exit(), r.err());
            assertTrue(r.out().contains("192.0.2.10"), r.out());
        }
        Files.writeString(config, "control-socket relative.sock\n");
        CommandLineTest.Run bad = mcgate("status", "-c", config.toString());
        assertEquals(ExitCodes.CONFIG, bad.exit());
        assertTrue(bad.err().contains("m.conf:1: control-socket must be an absolute path"), bad.err());
    }

    @Test
    void noDaemonIsOneLineAndExit69() {
        Path missing = dir.resolve("nobody.sock");
        for (String command : List.of("status", "groups", "routes", "counters", "reload")) {
            CommandLineTest.Run r = mcgate(command, "--socket", missing.toString());
            assertEquals(ExitCodes.UNAVAILABLE, r.exit(), r.err());
            assertEquals(
                    "mcgate " + command + ": mcgate is not running: no control socket at " + missing
                            + " (use --socket or -c to name another)\n",
                    r.err());
            assertEquals("", r.out());
        }
    }

    @Test
    void theCommandTreeHasTheControlCommands() {
        String help = mcgate("--help").out();
        for (String command : List.of("status", "groups", "routes", "counters", "reload")) {
            assertTrue(help.lines().anyMatch(l -> l.strip().startsWith(command + " ")), help);
            assertEquals(0, mcgate(command, "--help").exit());
        }
    }
}
