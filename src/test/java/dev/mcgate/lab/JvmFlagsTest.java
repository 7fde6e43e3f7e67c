package dev.mcgate.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    void theNativeHeapTrimIsOnlyGivenToAJvmThatHasIt() {
        assertFalse(JvmFlags.trimSupported(Runtime.Version.parse("17.0.8+7")));
        assertTrue(JvmFlags.trimSupported(Runtime.Version.parse("17.0.9+9")));
        assertTrue(JvmFlags.trimSupported(Runtime.Version.parse("17.0.15+6")));
        assertFalse(JvmFlags.trimSupported(Runtime.Version.parse("20.0.2")));
        assertFalse(JvmFlags.trimSupported(Runtime.Version.parse("21+35")));
        assertTrue(JvmFlags.trimSupported(Runtime.Version.parse("21.0.1")));
        assertTrue(JvmFlags.trimSupported(Runtime.Version.parse("25")));
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
