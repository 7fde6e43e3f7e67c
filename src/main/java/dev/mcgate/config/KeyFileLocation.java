package dev.mcgate.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a {@code key-file} value points: an absolute path, or {@code credential:NAME}, a credential systemd hands the
 * service through {@code LoadCredential=NAME:/path} and exposes as {@code $CREDENTIALS_DIRECTORY/NAME}.
 */
final class KeyFileLocation {

    static final String CREDENTIAL_PREFIX = "credential:";
    /** systemd's credential names: no slash, and not "." or ".." (systemd.exec(5), "Credentials"). */
    private static final String CREDENTIAL_NAME = "[A-Za-z0-9_.@+-]{1,255}";

    private KeyFileLocation() {}

    /**
     * @param credentialsDirectory the value of {@code $CREDENTIALS_DIRECTORY}, if set
     * @throws IllegalArgumentException with the message for the configuration error
     */
    static Path resolve(String text, Optional<String> credentialsDirectory) {
        if (!text.startsWith(CREDENTIAL_PREFIX)) {
            Path path = Path.of(text);
            if (!path.isAbsolute()) {
                throw new IllegalArgumentException(
                        "key-file must be an absolute path or credential:NAME, not '" + text + "'");
            }
            return path;
        }
        String name = text.substring(CREDENTIAL_PREFIX.length());
        if (!name.matches(CREDENTIAL_NAME) || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("key-file " + text + ": '" + name + "' is not a credential name");
        }
        String dir = credentialsDirectory
                .filter(d -> !d.isEmpty())
                .orElseThrow(() -> new IllegalArgumentException("key-file " + text
                        + ": $CREDENTIALS_DIRECTORY is not set: systemd sets it for a unit with LoadCredential="
                        + name + ":/path/of/the/key (run check-config as 'systemd-run -P -p LoadCredential=...' "
                        + "or give the absolute path)"));
        Path base = Path.of(dir);
        if (!base.isAbsolute()) {
            throw new IllegalArgumentException(
                    "key-file " + text + ": $CREDENTIALS_DIRECTORY is not an absolute path ('" + dir + "')");
        }
        return base.resolve(name);
    }
}
