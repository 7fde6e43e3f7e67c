package dev.mcgate.io.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which existing directories the root-run daemon would hand to its user: never one through a symbolic link. */
class ControlSocketDirectoryTest {

    @TempDir
    Path dir;

    private static int uid(Path p) throws Exception {
        return (Integer) Files.getAttribute(p, "unix:uid");
    }

    @Test
    void aLinkNamedMcgateIsLeftAsItIsAndItsTargetUntouched() throws Exception {
        Path target = Files.createDirectory(dir.resolve("etc"));
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path link = Files.createSymbolicLink(dir.resolve("mcgate"), target);
        PrivilegeDrop.Account someone = new PrivilegeDrop.Account("someone", uid(target), 4242);

        assertFalse(ControlSocketDirectory.ours(link, someone));
        assertFalse(ControlSocketDirectory.prepare(link.resolve("mcgate.sock"), someone));
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
    }

    @Test
    void onlyARealDirectoryNamedMcgateOwnedByRootOrTheUserIsOurs() throws Exception {
        Path own = Files.createDirectory(dir.resolve("mcgate"));
        Path other = Files.createDirectory(dir.resolve("run"));
        int owner = uid(own);
        assertTrue(ControlSocketDirectory.ours(own, new PrivilegeDrop.Account("u", owner, 1)));
        assertFalse(ControlSocketDirectory.ours(other, new PrivilegeDrop.Account("u", owner, 1)));
        if (owner != 0) {
            // Run as root, every test file is root's, which is always accepted; as a user, another uid is not ours.
            assertFalse(ControlSocketDirectory.ours(own, new PrivilegeDrop.Account("u", owner + 1, 1)));
        }
    }
}
