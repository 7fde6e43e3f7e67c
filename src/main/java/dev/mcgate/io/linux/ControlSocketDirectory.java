package dev.mcgate.io.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;

/**
 * Readies the directory of the control socket for a daemon about to give up root: after the switch it could neither
 * create /run/mcgate nor put its socket there. Called as root, before {@link PrivilegeDrop}.
 *
 * <p>A missing directory is created (mode 0750) and given to the user and its group; so is an existing one named
 * {@code mcgate} (our own, perhaps left by a run as root), if it is a real directory owned by root or by that user.
 * Nothing is done through a symbolic link (lchown, and a link in the directory's place is left alone): as root,
 * following one would hand whatever it points at to the user. Any other existing directory (/run itself, /tmp, one
 * another user owns) is left as it is: handing it over would be far more than the socket needs.
 */
public final class ControlSocketDirectory {

    private ControlSocketDirectory() {}

    /** @return true if the directory now belongs to the user */
    public static boolean prepare(Path socket, PrivilegeDrop.Account account) throws IOException {
        Path dir = socket.toAbsolutePath().getParent();
        if (dir == null) {
            return false;
        }
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(dir);
        } else if (!ours(dir, account)) {
            return false;
        }
        // createDirectories does follow a link put in its place meanwhile; these calls do not.
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        PosixFileAttributeView view =
                Files.getFileAttributeView(dir, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
        view.setOwner(users.lookupPrincipalByName(account.name()));
        view.setGroup(users.lookupPrincipalByGroupName(Integer.toString(account.gid())));
        view.setPermissions(PosixFilePermissions.fromString("rwxr-x---"));
        return true;
    }

    /** An existing directory is taken over only if it is mcgate's: named so, not a link, root's or the user's. */
    static boolean ours(Path dir, PrivilegeDrop.Account account) throws IOException {
        if (dir.getFileName() == null
                || !dir.getFileName().toString().equals("mcgate")
                || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        int owner = (Integer) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        return owner == 0 || owner == account.uid();
    }
}
