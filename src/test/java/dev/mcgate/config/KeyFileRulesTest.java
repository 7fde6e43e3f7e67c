package dev.mcgate.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which key files are refused (pure rules, then the same rules on real files), and where credential:NAME points. */
class KeyFileRulesTest {

    private static final int MCGATE = 999;
    private static final java.util.OptionalInt OWN = java.util.OptionalInt.of(MCGATE);
    private static final byte[] KEY = new byte[32];

    @TempDir
    Path dir;

    private static KeyFileRules.Facts file(int owner, String mode) {
        return new KeyFileRules.Facts(false, true, owner, PosixFilePermissions.fromString(mode));
    }

    @Test
    void rootOrOurOwnUserMayOwnAKeyTheGroupMayRead() {
        assertEquals(Optional.empty(), KeyFileRules.refusal(file(0, "rw-r-----"), OWN));
        assertEquals(Optional.empty(), KeyFileRules.refusal(file(MCGATE, "r--------"), OWN));
    }

    @Test
    void anotherOwnerIsRefused() {
        assertTrue(
                KeyFileRules.refusal(file(1000, "rw-------"), OWN).orElseThrow().startsWith("belongs to uid 1000"));
        // Checked as root before the switch to --user: the owner is left to the read after the switch.
        assertEquals(Optional.empty(), KeyFileRules.refusal(file(1000, "rw-------"), java.util.OptionalInt.empty()));
    }

    @Test
    void groupOrOthersWriteIsRefused() {
        assertTrue(KeyFileRules.refusal(file(0, "rw-rw----"), OWN).isPresent());
        assertTrue(KeyFileRules.refusal(file(0, "rw-r---w-"), OWN).isPresent());
    }

    @Test
    void aSymbolicLinkOrADeviceIsRefused() {
        Set<PosixFilePermission> any = PosixFilePermissions.fromString("rwxrwxrwx");
        assertTrue(KeyFileRules.refusal(new KeyFileRules.Facts(true, false, 0, any), OWN)
                .orElseThrow()
                .contains("symbolic link"));
        assertTrue(KeyFileRules.refusal(new KeyFileRules.Facts(false, false, 0, any), OWN)
                .orElseThrow()
                .contains("not a regular file"));
    }

    private Path keyFile(String mode) throws IOException {
        Path p = Files.createTempFile(dir, "key", "");
        Files.writeString(p, Base64.getEncoder().encodeToString(KEY) + "\n", StandardCharsets.US_ASCII);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
        return p;
    }

    private static java.util.OptionalInt owner(Path p) throws IOException {
        return java.util.OptionalInt.of((Integer) Files.getAttribute(p, "unix:uid"));
    }

    @Test
    void aGoodFileIsRead() throws IOException {
        Path p = keyFile("rw-r-----");
        assertArrayEquals(KEY, TunnelKeyFile.read(p, owner(p)));
    }

    @Test
    void aGroupWritableFileIsNotRead() throws IOException {
        Path p = keyFile("rw-rw----");
        IOException e = assertThrows(IOException.class, () -> TunnelKeyFile.read(p, owner(p)));
        assertTrue(e.getMessage().contains("chmod go-w"), e.getMessage());
    }

    @Test
    void aLinkToAGoodFileIsNotFollowed() throws IOException {
        Path target = keyFile("rw-------");
        Path link = Files.createSymbolicLink(dir.resolve("link"), target);
        IOException e = assertThrows(IOException.class, () -> TunnelKeyFile.read(link, owner(target)));
        assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
    }

    @Test
    void aCredentialIsAFileOfTheCredentialsDirectory() {
        assertEquals(
                Path.of("/run/credentials/mcgate.service/tunnel.key"),
                KeyFileLocation.resolve("credential:tunnel.key", Optional.of("/run/credentials/mcgate.service")));
        assertEquals(Path.of("/etc/mcgate/k"), KeyFileLocation.resolve("/etc/mcgate/k", Optional.empty()));
    }

    @Test
    void aCredentialWithoutTheDirectoryOrOutsideItIsAnError() {
        IllegalArgumentException unset = assertThrows(
                IllegalArgumentException.class, () -> KeyFileLocation.resolve("credential:k", Optional.empty()));
        assertTrue(unset.getMessage().contains("LoadCredential=k:"), unset.getMessage());
        for (String bad : new String[] {"credential:../etc/shadow", "credential:..", "credential:a/b", "credential:"}) {
            assertThrows(
                    IllegalArgumentException.class,
                    () -> KeyFileLocation.resolve(bad, Optional.of("/run/credentials/x")),
                    bad);
        }
        assertThrows(IllegalArgumentException.class, () -> KeyFileLocation.resolve("relative/k", Optional.empty()));
    }
}
