package dev.mcgate.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The footprint flags go to the JVM, before the class path and main class, which stay in order; and they are the ones
 * the systemd launcher starts the service with, so that the bench measures what users run.
 */
class JvmFlagsTest {

    @Test
    void flagsComeRightAfterTheJavaExecutable() {
        List<String> command = List.of("/usr/bin/java", "-cp", "a.jar:b.jar", "dev.mcgate.cli.Main");
        List<String> out = JvmFlags.withSmallFootprint(command);
        List<String> expected = new ArrayList<>();
        expected.add("/usr/bin/java");
        expected.addAll(JvmFlags.SMALL_FOOTPRINT);
        expected.addAll(List.of("-cp", "a.jar:b.jar", "dev.mcgate.cli.Main"));
        assertEquals(expected, out);
        assertEquals("-Xmx128m", out.get(1 + JvmFlags.SMALL_FOOTPRINT.indexOf("-Xmx128m")));
    }

    @Test
    void theSystemdLauncherStartsTheJvmWithTheSameFlags() throws Exception {
        String prefix = ": \"${MCGATE_JAVA_OPTS:=";
        String line = Files.readString(Path.of("systemd/mcgate"))
                .lines()
                .filter(l -> l.startsWith(prefix))
                .findFirst()
                .orElseThrow();
        List<String> launcher = new ArrayList<>();
        // The launcher puts ExitOnOutOfMemoryError before the options, whatever MCGATE_JAVA_OPTS holds.
        launcher.add("-XX:+ExitOnOutOfMemoryError");
        launcher.addAll(Arrays.asList(
                line.substring(prefix.length(), line.length() - "}\"".length()).split(" ")));
        assertEquals(JvmFlags.SMALL_FOOTPRINT, launcher);
    }
}
