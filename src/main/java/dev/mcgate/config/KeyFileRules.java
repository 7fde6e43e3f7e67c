package dev.mcgate.config;

import java.nio.file.attribute.PosixFilePermission;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * What a tunnel key file must be before its key is trusted: the file itself (not a symbolic link an attacker could
 * turn elsewhere), a regular file, owned by root or by the daemon's own user, and writable by its owner alone (whoever
 * else can write it can choose the key).
 */
final class KeyFileRules {

    /** What {@code lstat} says of a key file. */
    record Facts(boolean symbolicLink, boolean regularFile, int ownerUid, Set<PosixFilePermission> permissions) {
        Facts {
            permissions = Set.copyOf(permissions);
        }
    }

    private KeyFileRules() {}

    /**
     * Why the file must be refused, if it must.
     *
     * @param ownUid the uid the daemon runs as; empty: the owner is checked later (see {@link TunnelKeyFile#check})
     */
    static Optional<String> refusal(Facts facts, OptionalInt ownUid) {
        if (facts.symbolicLink()) {
            return Optional.of("is a symbolic link; name the file itself (or use credential:NAME)");
        }
        if (!facts.regularFile()) {
            return Optional.of("is not a regular file");
        }
        if (ownUid.isPresent() && facts.ownerUid() != 0 && facts.ownerUid() != ownUid.getAsInt()) {
            return Optional.of("belongs to uid " + facts.ownerUid() + ", neither root nor mcgate's own user (uid "
                    + ownUid.getAsInt() + "): chown root");
        }
        if (facts.permissions().contains(PosixFilePermission.GROUP_WRITE)
                || facts.permissions().contains(PosixFilePermission.OTHERS_WRITE)) {
            return Optional.of("can be written by its group or by others, who could choose the key: chmod go-w");
        }
        return Optional.empty();
    }
}
