package dev.mcgate.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;

/** Whether a file that holds a secret (a tunnel key, Kafka credentials) can be read by any user, for the warning. */
final class ReadableByOthers {

    private ReadableByOthers() {}

    /**
     * True if others may read {@code path}; false also where it cannot be told (no POSIX permissions on this file
     * system, or the file went away after it was read): the warning is advice, and the file itself was read.
     */
    static boolean check(Path path, LinkOption... options) {
        try {
            return Files.getPosixFilePermissions(path, options).contains(PosixFilePermission.OTHERS_READ);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
