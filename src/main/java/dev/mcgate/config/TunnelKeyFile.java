package dev.mcgate.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/** The pre-shared key of a tunnel, as kept in its key file: 32 random octets (AES-256) in base64. */
public final class TunnelKeyFile {

    public static final int LENGTH = 32;

    private TunnelKeyFile() {}

    /**
     * Reads a tunnel key file: 32 octets in base64 ({@code head -c 32 /dev/urandom | base64}).
     *
     * @throws IOException with a message that says what is wrong (missing, unreadable, not base64, wrong length)
     */
    public static byte[] read(Path path) throws IOException {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.US_ASCII).strip();
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IOException("no such file (create one: head -c 32 /dev/urandom | base64 > " + path + ")");
        } catch (java.nio.file.AccessDeniedException e) {
            throw new IOException("permission denied");
        } catch (java.nio.charset.MalformedInputException e) {
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
}
