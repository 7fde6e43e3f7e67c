package dev.mcgate.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.control.ControlSocketFailure.Step;
import java.io.IOException;
import java.net.BindException;
import java.net.SocketException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The control socket's error message for each cause, from the exceptions the JDK throws for them (as seen on Linux,
 * run as nobody: the private bind directory's name in an AccessDeniedException, the errno text in a
 * FileSystemException's reason or a SocketException's message), so no test needs a directory it cannot write.
 */
class ControlSocketFailureTest {

    private static final Path SOCKET = Path.of("/run/mcgate/mcgate.sock");
    /** The private directory the socket is bound in first: a name the operator must never see. */
    private static final String PRIVATE = "/run/mcgate/.mcg7772560737543004634";

    private static String describe(Step step, IOException e) {
        return ControlSocketFailure.describe(SOCKET, step, e, "nobody");
    }

    @Test
    void theIssuesCaseNamesThePathTheCauseAndTheWaysToFixIt() {
        // As user nobody with /run/mcgate owned by root: the whole message used to be the private directory's name.
        String m = describe(Step.BIND, new AccessDeniedException(PRIVATE));
        assertTrue(m.startsWith("cannot create the control socket /run/mcgate/mcgate.sock: "), m);
        assertTrue(m.contains("user nobody may not create files in /run/mcgate (permission denied)"), m);
        assertTrue(m.contains("install -d -o nobody /run/mcgate"), m);
        assertTrue(m.contains("RuntimeDirectory=mcgate in the unit"), m);
        assertTrue(m.contains("set control-socket to a path nobody can write"), m);
    }

    @Test
    void outsideRunMcgateTheUnitFixNamesThePathToUseWithIt() {
        String m = ControlSocketFailure.describe(
                Path.of("/srv/ctl/m.sock"), Step.BIND, new AccessDeniedException("/srv/ctl/.mcg1"), "mcgate");
        assertTrue(m.contains("user mcgate may not create files in /srv/ctl"), m);
        assertTrue(m.contains("install -d -o mcgate /srv/ctl"), m);
        assertTrue(m.contains("use /run/mcgate/mcgate.sock with RuntimeDirectory=mcgate"), m);
    }

    @Test
    void aMissingDirectoryThatCannotBeCreatedNamesTheDirectoryAndWhereItWasRefused() {
        String m = describe(Step.DIRECTORY, new AccessDeniedException("/run/mcgate"));
        assertTrue(
                m.contains("/run/mcgate does not exist and user nobody may not create it in /run "
                        + "(permission denied)"),
                m);
        assertTrue(m.contains("install -d -o nobody /run/mcgate"), m);
    }

    @Test
    void aSocketOfAnotherUserThatCannotBeProbedSaysToRemoveItIfNoMcgateRuns() {
        // connect(2) on a root-owned 0600 socket: the JDK reports EACCES as a BindException.
        String m = describe(Step.EXISTING, new BindException("Permission denied"));
        assertTrue(m.contains("may not reach or replace the file already there"), m);
        assertTrue(m.contains("if no mcgate is running, remove it as root (rm -f /run/mcgate/mcgate.sock)"), m);
    }

    @Test
    void operationNotPermittedIsAPermissionProblemToo() {
        String m = describe(Step.BIND, new FileSystemException(PRIVATE, null, "Operation not permitted"));
        assertTrue(m.contains("(permission denied)") && m.contains("install -d -o nobody"), m);
    }

    @Test
    void aReadOnlyFileSystemIsNamedAndAWritableOneAskedFor() {
        String m = describe(Step.BIND, new FileSystemException(PRIVATE, null, "Read-only file system"));
        assertTrue(m.contains("/run/mcgate is on a read-only file system"), m);
        assertTrue(m.contains("set control-socket to a path on a writable one"), m);
    }

    @Test
    void aFileWhereTheDirectoryShouldBeIsNamed() {
        String m = ControlSocketFailure.describe(
                Path.of("/etc/passwd/mcgate.sock"),
                Step.DIRECTORY,
                new FileAlreadyExistsException("/etc/passwd"),
                "root");
        assertTrue(m.contains(": /etc/passwd is not a directory; remove what is in the way"), m);
        String deeper = describe(Step.BIND, new FileSystemException(PRIVATE, null, "Not a directory"));
        assertTrue(deeper.contains("a part of /run/mcgate is not a directory"), deeper);
    }

    @Test
    void aDirectoryGoneMissingAndAFullFileSystemAreSaidInWords() {
        assertTrue(describe(Step.BIND, new NoSuchFileException(PRIVATE))
                .contains("/run/mcgate or a directory above it does not exist"));
        String full = describe(Step.BIND, new FileSystemException(PRIVATE, null, "No space left on device"));
        assertTrue(full.contains("no space is left on the file system of /run/mcgate"), full);
    }

    @Test
    void anUnforeseenErrnoIsGivenAsItsTextNotAsAFileName() {
        String m = describe(Step.BIND, new FileSystemException(PRIVATE, null, "Input/output error"));
        assertEquals(
                "cannot create the control socket /run/mcgate/mcgate.sock: Input/output error; set "
                        + "control-socket to a path nobody can write",
                m);
    }

    @Test
    void everyCauseAtEveryStepIsOneLineWithThePathAFixAndNoPrivateName() {
        List<IOException> causes = List.of(
                new AccessDeniedException(PRIVATE),
                new NoSuchFileException(PRIVATE),
                new FileAlreadyExistsException("/run/mcgate"),
                new FileSystemException(PRIVATE, null, "Read-only file system"),
                new FileSystemException(PRIVATE, null, "Not a directory"),
                new FileSystemException(PRIVATE, null, "No space left on device"),
                new FileSystemException(PRIVATE, null, null),
                new BindException("Permission denied"),
                new SocketException("Unix domain path too long"),
                new IOException("Input/output error"));
        for (Step step : Step.values()) {
            for (IOException e : causes) {
                String m = describe(step, e);
                assertTrue(m.startsWith("cannot create the control socket " + SOCKET + ": "), m);
                assertFalse(m.contains(".mcg"), "the private name leaks: " + m);
                assertFalse(m.contains("\n"), m);
                assertTrue(m.contains("set control-socket") || m.contains("remove it"), "no fix: " + m);
            }
        }
    }

    @Test
    void aPathTooLongForSunPathIsRefusedBeforeAnythingIsMadeCountingThePrivateName() {
        String dir80 = "/" + "d".repeat(79);
        assertNull(ControlSocketFailure.tooLong(Path.of(dir80, "mcgate.sock")), "80-byte directory, 92-byte path");
        String dir81 = "/" + "d".repeat(80);
        String m = ControlSocketFailure.tooLong(Path.of(dir81, "s"));
        assertTrue(m != null && m.contains("the path is too long for a Unix socket (83 bytes, its directory 81;"), m);
        assertTrue(m.contains("with a directory of at most 80 bytes"), m);
        // The path itself over sun_path, with a short directory.
        assertTrue(ControlSocketFailure.tooLong(Path.of("/r", "s".repeat(105))) != null);
        assertNull(ControlSocketFailure.tooLong(Path.of("/r", "s".repeat(104))), "107 bytes fit");
        assertTrue(describe(Step.BIND, new SocketException("Unix domain path too long"))
                .contains("too long"));
    }

    @Test
    void theOtherWaysTheSocketIsRefusedNameThePathAndTheWayOut() {
        assertEquals(
                "cannot create the control socket /run/mcgate/mcgate.sock: it exists and is a regular file, not "
                        + "a socket; remove it, or set another control-socket",
                ControlSocketFailure.notASocket(SOCKET, "a regular file"));
        assertTrue(ControlSocketFailure.anotherMcgate(SOCKET).contains(SOCKET + " (stop it first"));
        assertTrue(ControlSocketFailure.anotherProcess(SOCKET).contains(SOCKET + "; stop it"));
    }
}
