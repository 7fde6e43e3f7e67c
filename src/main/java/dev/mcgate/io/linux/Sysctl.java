package dev.mcgate.io.linux;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a sysctl file under /proc/sys. Not with {@code Files.readString}: a sysctl file reports a size of 0, the JDK
 * then reads it a byte at first, and the kernel's integer handlers answer any read that does not start at offset 0
 * with end-of-file, so {@code /proc/sys/kernel/cap_last_cap} ("40") read as "4". One read from offset 0 gets it all.
 */
public final class Sysctl {

    private Sysctl() {}

    /** The file's text, stripped of the trailing newline. */
    public static String read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip();
        }
    }
}
