package dev.mcgate.control;

import java.io.IOException;
import java.net.SocketException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The one line an operator reads when the control socket cannot be made: the socket's path, the cause in words (the
 * errno's meaning, never the name of the private directory the socket is first bound in) and what to do about it.
 *
 * <p>Built from the step that failed, the exception and the user mcgate runs as, so that each cause is tested without
 * root: a directory made read-only for the test proves nothing when the tests run as root.
 */
public final class ControlSocketFailure {

    /** sun_path holds 108 bytes with the terminating NUL (unix(7)). */
    public static final int SUN_PATH_MAX = 107;

    /** "/.mcg", up to 20 digits (an unsigned long, as Files.createTempDirectory names it), then "/s". */
    static final int PRIVATE_NAME_BYTES = 27;

    /** Where in making the socket it failed: the same errno asks for another fix in each. */
    public enum Step {
        /** Creating the socket's missing directory. */
        DIRECTORY,
        /** Looking at, connecting to or removing what is already at the socket's path. */
        EXISTING,
        /** Binding the new socket in a private directory beside the path, and renaming it into place. */
        BIND
    }

    /** What went wrong, from the exception; the JDK gives errno as strerror(3) text, so that text is matched. */
    enum Cause {
        PERMISSION,
        READ_ONLY,
        NOT_A_DIRECTORY,
        MISSING,
        NO_SPACE,
        TOO_LONG,
        OTHER
    }

    private ControlSocketFailure() {}

    /**
     * @param socket the control socket's path
     * @param step   what mcgate was doing
     * @param e      what it got
     * @param user   the user mcgate runs as now (after {@code --user})
     */
    public static String describe(Path socket, Step step, IOException e, String user) {
        Path dir = socket.toAbsolutePath().getParent();
        String writable = "set control-socket to a path " + user + " can write";
        String own = "make it " + user + "'s: install -d -o " + user + " " + dir + ", or "
                + (dir.equals(Path.of("/run/mcgate"))
                        ? "RuntimeDirectory=mcgate in the unit"
                        : "use /run/mcgate/mcgate.sock with RuntimeDirectory=mcgate in the unit")
                + ", or " + writable;
        String why = switch (causeOf(e)) {
            case PERMISSION ->
                switch (step) {
                    case DIRECTORY ->
                        dir + " does not exist and user " + user + " may not create it"
                                + parentOf(e).map(p -> " in " + p).orElse("") + " (permission denied); " + own;
                    case EXISTING ->
                        "user " + user + " may not reach or replace the file already there, perhaps left by "
                                + "a run as another user (permission denied); if no mcgate is running, remove it as root "
                                + "(rm -f " + socket + ") and " + own;
                    case BIND -> "user " + user + " may not create files in " + dir + " (permission denied); " + own;
                };
            case READ_ONLY ->
                dir + " is on a read-only file system; set control-socket to a path on a writable one "
                        + "(/run is a tmpfs)";
            case NOT_A_DIRECTORY ->
                (e instanceof FileAlreadyExistsException f && f.getFile() != null ? f.getFile() : "a part of " + dir)
                        + " is not a directory; remove what is in the way, or " + writable;
            case MISSING ->
                dir + " or a directory above it does not exist; create it: install -d -o " + user + " " + dir + ", or "
                        + writable;
            case NO_SPACE -> "no space is left on the file system of " + dir + "; free some, or " + writable;
            case TOO_LONG -> tooLongWhy(socket);
            case OTHER -> words(e) + "; " + writable;
        };
        return "cannot create the control socket " + socket + ": " + why;
    }

    /**
     * Checked before anything is created: the socket is bound at DIR/.mcgNNN/s first (see {@link ControlServer}), a
     * name up to {@value #PRIVATE_NAME_BYTES} bytes longer than DIR, and clients connect to the path itself.
     *
     * @return the message, or null when the path fits
     */
    public static String tooLong(Path socket) {
        return fits(socket) ? null : "cannot create the control socket " + socket + ": " + tooLongWhy(socket);
    }

    private static boolean fits(Path socket) {
        Path absolute = socket.toAbsolutePath();
        return bytes(absolute) <= SUN_PATH_MAX && bytes(absolute.getParent()) + PRIVATE_NAME_BYTES <= SUN_PATH_MAX;
    }

    private static String tooLongWhy(Path socket) {
        Path absolute = socket.toAbsolutePath();
        return "the path is too long for a Unix socket (" + bytes(absolute) + " bytes, its directory "
                + bytes(absolute.getParent()) + "; a socket path holds at most " + SUN_PATH_MAX + " bytes, and mcgate "
                + "first binds it under a private name " + PRIVATE_NAME_BYTES + " bytes longer than the directory); "
                + "set control-socket to a shorter path, with a directory of at most "
                + (SUN_PATH_MAX - PRIVATE_NAME_BYTES) + " bytes";
    }

    /** Something that is not a socket sits at the path: mcgate will not delete a file it did not make. */
    public static String notASocket(Path socket, String what) {
        return "cannot create the control socket " + socket + ": it exists and is " + what
                + ", not a socket; remove it, or set another control-socket";
    }

    /** A live mcgate answers on the path. */
    public static String anotherMcgate(Path socket) {
        return "another mcgate is running: it answers on its control socket " + socket
                + " (stop it first, or give this one another control-socket)";
    }

    /** Something listens on the path but does not speak mcgate's protocol. */
    public static String anotherProcess(Path socket) {
        return "another process listens on " + socket + "; stop it or set another control-socket";
    }

    static Cause causeOf(IOException e) {
        if (e instanceof AccessDeniedException) {
            return Cause.PERMISSION;
        }
        if (e instanceof NoSuchFileException) {
            return Cause.MISSING;
        }
        if (e instanceof FileAlreadyExistsException) {
            // Only creating the directory meets it: a file where a directory should be.
            return Cause.NOT_A_DIRECTORY;
        }
        String reason = e instanceof FileSystemException f
                ? f.getReason()
                : e instanceof SocketException ? e.getMessage() : null;
        if (reason == null) {
            return Cause.OTHER;
        }
        String r = reason.toLowerCase(Locale.ROOT);
        if (r.contains("permission denied") || r.contains("operation not permitted")) {
            return Cause.PERMISSION;
        }
        if (r.contains("read-only file system")) {
            return Cause.READ_ONLY;
        }
        if (r.contains("not a directory")) {
            return Cause.NOT_A_DIRECTORY;
        }
        if (r.contains("no such file or directory")) {
            return Cause.MISSING;
        }
        if (r.contains("no space left") || r.contains("disk quota exceeded")) {
            return Cause.NO_SPACE;
        }
        if (r.contains("path too long")) {
            return Cause.TOO_LONG;
        }
        return Cause.OTHER;
    }

    /** The directory in which a create was refused: the parent of the path the exception names. */
    private static java.util.Optional<Path> parentOf(IOException e) {
        if (e instanceof FileSystemException f && f.getFile() != null) {
            return java.util.Optional.ofNullable(Path.of(f.getFile()).getParent());
        }
        return java.util.Optional.empty();
    }

    /**
     * An unforeseen cause in words: a FileSystemException's message is the file's name (a private one, to the
     * operator) and the reason; only the reason says something.
     */
    private static String words(IOException e) {
        if (e instanceof FileSystemException f) {
            return f.getReason() != null ? f.getReason() : e.getClass().getSimpleName();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private static int bytes(Path p) {
        return p.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }
}
