package dev.mcgate.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The pre-shared key of a tunnel, as kept in its key file: 32 random octets (AES-256) in base64. The file must pass
 * {@link KeyFileRules} and is opened without following a symbolic link.
 */
public final class TunnelKeyFile {

    public static final int LENGTH = 32;

    private TunnelKeyFile() {}

    /**
     * Reads a tunnel key file: 32 octets in base64 ({@code head -c 32 /dev/urandom | base64}).
     *
     * @throws IOException with a message that says what is wrong (missing, unreadable, a symbolic link, writable by
     *                     others or owned by someone else, not base64, wrong length)
     */
    public static byte[] read(Path path) throws IOException {
        return read(path, OptionalInt.of(ownUid()));
    }

    /**
     * As {@link #read(Path)} for the configuration check. Run as root, that check may come before the switch to
     * {@code --user} or {@code user}, whose uid may own the file: the owner is then left to {@link #read(Path)} where
     * the key is used, after the switch (the tunnel does not open on a key file of the wrong owner).
     */
    static byte[] check(Path path) throws IOException {
        int own = ownUid();
        return read(path, own == 0 ? OptionalInt.empty() : OptionalInt.of(own));
    }

    /** As {@link #read(Path)}, for a daemon running as {@code ownUid} (empty: the owner is not checked). */
    static byte[] read(Path path, OptionalInt ownUid) throws IOException {
        String text;
        try {
            Optional<String> refusal = KeyFileRules.refusal(facts(path), ownUid);
            if (refusal.isPresent()) {
                throw new IOException(refusal.get());
            }
            // O_NOFOLLOW: a link put in the file's place after the check is not followed either.
            try (var in = Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS)) {
                text = new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip();
            }
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IOException("no such file (create one: head -c 32 /dev/urandom | base64 > " + path + ")");
        } catch (java.nio.file.AccessDeniedException e) {
            throw new IOException("permission denied");
        }
        if (!StandardCharsets.US_ASCII.newEncoder().canEncode(text)) {
            throw new IOException("not base64 text");
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new IOException("not base64 text (create one: head -c 32 /dev/urandom | base64)");
        }
        if (key.length != LENGTH) {
            throw new IOException("the key is " + key.length + " octets; it must be " + LENGTH
                    + " (head -c 32 /dev/urandom | base64)");
        }
        return key;
    }

    /** lstat: the link itself if it is one. */
    private static KeyFileRules.Facts facts(Path path) throws IOException {
        Map<String, Object> a = Files.readAttributes(
                path, "unix:uid,permissions,isSymbolicLink,isRegularFile", LinkOption.NOFOLLOW_LINKS);
        @SuppressWarnings("unchecked")
        Set<PosixFilePermission> permissions = (Set<PosixFilePermission>) a.get("permissions");
        return new KeyFileRules.Facts(
                (Boolean) a.get("isSymbolicLink"),
                (Boolean) a.get("isRegularFile"),
                (Integer) a.get("uid"),
                permissions);
    }

    /** The real uid of this process (the account the daemon runs as, after any drop). */
    private static int ownUid() {
        return (int) new com.sun.security.auth.module.UnixSystem().getUid();
    }
}
