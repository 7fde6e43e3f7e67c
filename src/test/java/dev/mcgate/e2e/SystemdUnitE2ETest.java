package dev.mcgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped unit and sysusers entry, checked by systemd's own tools in a scratch root laid out as the README's
 * installation steps lay out a real one (so ExecStart= and ExecReload= point at files that exist there).
 */
@EndToEnd
class SystemdUnitE2ETest {

    @TempDir
    Path root;

    private record Result(int exit, String output) {}

    private static Result run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), String.join(" ", command) + " hangs");
        return new Result(p.exitValue(), out);
    }

    private static void assumeTool(String tool) {
        assumeTrue(
                Stream.of("/usr/bin/", "/bin/").anyMatch(d -> Files.isExecutable(Path.of(d + tool))),
                tool + " is not installed (Debian package systemd; .ci/deps installs it)");
    }

    /** The installation of the README in {@code root}, with the system's own units for the targets it refers to. */
    private void install(String unitText) throws IOException {
        Path bin = root.resolve("usr/local/bin/mcgate");
        Files.createDirectories(bin.getParent());
        Files.copy(Path.of("systemd/mcgate"), bin);
        Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path kill = root.resolve("bin/kill");
        Files.createDirectories(kill.getParent());
        Files.copy(Path.of("/bin/kill"), kill, StandardCopyOption.COPY_ATTRIBUTES);
        Path units = root.resolve("usr/lib/systemd/system");
        Files.createDirectories(units);
        try (Stream<Path> system = Files.list(Path.of("/usr/lib/systemd/system"))) {
            for (Path u : system.filter(Files::isRegularFile).toList()) {
                Files.copy(u, units.resolve(u.getFileName()));
            }
        }
        Path unit = root.resolve("etc/systemd/system/mcgate.service");
        Files.createDirectories(unit.getParent());
        Files.writeString(unit, unitText);
    }

    @Test
    void systemdAnalyzeVerifyAcceptsTheUnitWithoutAWord() throws Exception {
        assumeTool("systemd-analyze");
        install(Files.readString(Path.of("systemd/mcgate.service")));
        Result r = run("systemd-analyze", "verify", "--root=" + root, "mcgate.service");
        assertEquals(0, r.exit(), r.output());
        assertEquals("", r.output().strip(), "every warning counts");
    }

    @Test
    void theSameCheckCatchesAMistake() throws Exception {
        assumeTool("systemd-analyze");
        install(Files.readString(Path.of("systemd/mcgate.service"))
                .replace("SystemCallArchitectures=native", "SystemCallArchitecture=native"));
        Result r = run("systemd-analyze", "verify", "--root=" + root, "mcgate.service");
        assertTrue(r.output().contains("Unknown key 'SystemCallArchitecture'"), r.output());
    }

    @Test
    void sysusersCreatesTheUserAndItsGroup() throws Exception {
        assumeTool("systemd-sysusers");
        Path conf = root.resolve("usr/lib/sysusers.d/mcgate.conf");
        Files.createDirectories(conf.getParent());
        Files.copy(Path.of("systemd/mcgate.sysusers"), conf);
        Files.createDirectories(root.resolve("etc"));
        Result r = run("systemd-sysusers", "--root=" + root);
        assertEquals(0, r.exit(), r.output());
        List<String> passwd = Files.readAllLines(root.resolve("etc/passwd"));
        assertTrue(
                passwd.stream().anyMatch(l -> l.startsWith("mcgate:x:") && l.endsWith(":/usr/sbin/nologin")),
                passwd.toString());
        assertTrue(Files.readAllLines(root.resolve("etc/group")).stream().anyMatch(l -> l.startsWith("mcgate:x:")));
    }
}
