package dev.mcgate.io.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;

/**
 * Readies the directory of the control socket for a daemon about to give up root: after the switch it could neither
 * create /run/mcgate nor put its socket there. Called as root, before {@link PrivilegeDrop}.
 *
 * <p>A missing directory is created (mode 0750) and given to the user and its group; so is an existing one named
 * {@code mcgate} (our own, perhaps left by a run as root). Any other existing directory (/run itself, /tmp) is left
 * as it is: handing it over would be far more than the socket needs.
 */
public final class ControlSocketDirectory {

    private ControlSocketDirectory() {}

    /** @return true if the directory now belongs to the user */
    public static boolean prepare(Path socket, PrivilegeDrop.Account account) throws IOException {
        Path dir = socket.toAbsolutePath().getParent();
        if (dir == null) {
            return false;
        }
        boolean ours = !Files.exists(dir)
                || dir.getFileName() != null && dir.getFileName().toString().equals("mcgate");
        if (!ours) {
            return false;
        }
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-x---"));
        UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
        PosixFileAttributeView view = Files.getFileAttributeView(dir, PosixFileAttributeView.class);
        view.setOwner(users.lookupPrincipalByName(account.name()));
        view.setGroup(users.lookupPrincipalByGroupName(Integer.toString(account.gid())));
        return true;
    }
}
