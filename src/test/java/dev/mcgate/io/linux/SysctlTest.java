package dev.mcgate.io.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A sysctl is read whole: cap_last_cap is a two-digit number on every kernel mcgate runs on (36 since Linux 5.8). */
class SysctlTest {

    @Test
    void aSysctlOfSeveralDigitsIsReadWhole() throws Exception {
        Path file = Path.of("/proc/sys/kernel/cap_last_cap");
        assumeTrue(Files.isReadable(file), "no /proc/sys here");
        String value = Sysctl.read(file);
        assertTrue(Integer.parseInt(value) >= 36, value);
        // The same as reading it line by line, which also starts at offset 0 with a large buffer.
        assertEquals(Files.readAllLines(file).get(0).strip(), value);
    }
}
