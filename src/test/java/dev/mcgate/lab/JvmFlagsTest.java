package dev.mcgate.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The footprint flags go to the JVM, before the class path and main class, which stay in order. */
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
}
