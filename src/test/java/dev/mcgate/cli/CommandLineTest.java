package dev.mcgate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * The command line as an operator meets it: help and version everywhere, one line and a sysexits code for every error.
 */
public class CommandLineTest {

    /** What one command line printed and returned. */
    public record Run(int exit, String out, String err) {}

    /** Runs {@code mcgate ARGS...} in this JVM, capturing its output. */
    public static Run mcgate(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private static List<List<String>> allCommandPaths(CommandLine cl, List<String> prefix) {
        List<List<String>> paths = new ArrayList<>();
        paths.add(prefix);
        cl.getSubcommands().forEach((name, sub) -> {
            if (!name.equals("help")) {
                List<String> p = new ArrayList<>(prefix);
                p.add(name);
                paths.addAll(allCommandPaths(sub, p));
            }
        });
        return paths;
    }

    @Test
    void everyCommandHasHelpThatExitsZeroAndNamesItself() {
        List<List<String>> paths = allCommandPaths(Main.commandLine(), List.of());
        assertTrue(paths.size() >= 6, "run, check-config, lab and its subcommands: " + paths);
        for (List<String> path : paths) {
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            Run r = mcgate(args.toArray(String[]::new));
            assertEquals(0, r.exit(), String.join(" ", args) + ": " + r.err());
            String name = path.isEmpty() ? "mcgate" : path.get(path.size() - 1);
            assertTrue(r.out().startsWith("Usage: mcgate") && r.out().contains(name), r.out());
        }
    }

    @Test
    void versionNamesTheBuildVersion() {
        Run r = mcgate("--version");
        assertEquals(0, r.exit());
        assertTrue(r.out().matches("(?s)mcgate \\d+\\.\\d+\\.\\d+.*"), r.out());
    }

    @Test
    void unknownOptionsAndBadValuesAreOneLineAndExit64() {
        for (String[] args : List.of(
                new String[] {"run", "--bogus"},
                new String[] {"check-config", "--format", "xml"},
                new String[] {"run", "--interface-poll", "soon"},
                new String[] {"run", "--log-level", "loud"},
                new String[] {"frobnicate"},
                new String[] {"lab", "up", "--igmp-version", "1=two"})) {
            Run r = mcgate(args);
            assertEquals(ExitCodes.USAGE, r.exit(), String.join(" ", args) + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
            assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r.err());
        }
    }

    @Test
    void checkConfigPrintsTheEffectiveConfigurationOfTheSample() throws Exception {
        Run r = mcgate("check-config", "-c", "conf/mcgate.conf");
        assertEquals(0, r.exit(), r.err());
        // Every default filled in: the sample leaves last-member-query-count unwritten, the effective config has it.
        assertTrue(r.out().contains("last-member-query-count 2"), r.out());
        assertTrue(r.out().contains("interface eth2 {"), r.out());
        // What check-config prints is itself a valid configuration, read back to the same effective configuration.
        Path printed = Files.createTempFile("mcgate-effective", ".conf");
        try {
            Files.writeString(printed, r.out());
            Run again = mcgate("check-config", "-c", printed.toString());
            assertEquals(0, again.exit(), again.err());
            assertEquals(
                    r.out().lines().skip(1).toList(),
                    again.out().lines().skip(1).toList());
        } finally {
            Files.delete(printed);
        }
    }

    @Test
    void checkConfigReadsAnIgmpproxyConfAndWarnsAboutWhatItIgnores() {
        Run r = mcgate("check-config", "-c", "src/test/resources/config/igmpproxy.conf");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("(igmpproxy format)"), r.out());
        assertTrue(
                r.err().lines().allMatch(l -> l.startsWith("warning: src/test/resources/config/igmpproxy.conf:")),
                r.err());
        assertTrue(r.err().contains("ratelimit is ignored"), r.err());
    }

    @Test
    void aBadConfigurationGivesFileLineMessagesAndExit78(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("bad.conf");
        Files.writeString(bad, """
                interface eth0 {
                    role upstream
                    query-interval 10s
                    query-response-interval 20s
                }
                interface eth1 {
                    role downstream
                    altnet 10.1.2.3/8
                }
                """);
        Run r = mcgate("check-config", "-c", bad.toString());
        assertEquals(ExitCodes.CONFIG, r.exit());
        assertTrue(r.err().contains(bad + ":4: query-response-interval"), r.err());
        assertTrue(r.err().contains(bad + ":8: altnet: 10.1.2.3/8 has host bits set"), r.err());
        assertEquals("", r.out());
    }

    /**
     * Every bad case the configuration tests know, now through the command: its own FILE:LINE message and exit 78.
     * The cases say "t.conf:LINE: ..."; the file here is DIR/t.conf.
     */
    @ParameterizedTest(name = "{1}")
    @MethodSource({"dev.mcgate.config.ConfigErrorsTest#nativeMistakes", "dev.mcgate.config.ConfigErrorsTest#conflicts"})
    void checkConfigRejectsEachNativeMistakeWithExit78(String text, String expected, @TempDir Path dir)
            throws IOException {
        assertRejected(text, expected, "native", dir);
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("dev.mcgate.config.ConfigErrorsTest#igmpproxyMistakes")
    void checkConfigRejectsEachIgmpproxyMistakeWithExit78(String text, String expected, @TempDir Path dir)
            throws IOException {
        assertRejected(text, expected, "igmpproxy", dir);
    }

    private static void assertRejected(String text, String expected, String format, Path dir) throws IOException {
        Path file = dir.resolve("t.conf");
        Files.writeString(file, text);
        Run r = mcgate("check-config", "--format", format, "-c", file.toString());
        assertEquals(ExitCodes.CONFIG, r.exit(), r.err());
        assertEquals(dir + "/" + expected, r.err().lines().findFirst().orElse(""), r.err());
        assertEquals("", r.out());
    }

    @Test
    void runWithABadConfigurationExits78BeforeTouchingAnyInterface(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("bad.conf");
        Files.writeString(bad, "interface eth0 {\n    role sideways\n}\n");
        Run r = mcgate("run", "-c", bad.toString());
        assertEquals(ExitCodes.CONFIG, r.exit());
        assertTrue(r.err().contains(bad + ":2: unknown role 'sideways'"), r.err());
    }
}
