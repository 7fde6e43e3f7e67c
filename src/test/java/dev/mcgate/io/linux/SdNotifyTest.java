package dev.mcgate.io.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sd_notify against a socket of the test's own, bound as systemd binds $NOTIFY_SOCKET (no root needed). */
class SdNotifyTest {

    @TempDir
    Path dir;

    private static List<String> drain(UnixDatagram socket) throws IOException {
        List<String> got = new ArrayList<>();
        for (Optional<byte[]> d = socket.receive(200); d.isPresent(); d = socket.receive(50)) {
            got.add(new String(d.get(), StandardCharsets.UTF_8));
        }
        return got;
    }

    @Test
    void readyStatusReloadingStoppingArriveInOrderOnAPathSocket() throws IOException {
        try (UnixDatagram manager = UnixDatagram.bind(dir.resolve("notify").toString())) {
            SdNotify notify = new SdNotify(Optional.of(manager.address()), () -> 5_000_000_000L);
            assertTrue(notify.enabled());
            notify.status("3 of 3 interfaces open, 0 groups, 0 flows");
            notify.ready();
            notify.reloading();
            notify.ready();
            notify.stopping();
            assertEquals(
                    List.of(
                            "STATUS=3 of 3 interfaces open, 0 groups, 0 flows",
                            "READY=1",
                            "RELOADING=1\nMONOTONIC_USEC=5000000",
                            "READY=1",
                            "STOPPING=1"),
                    drain(manager));
        }
    }

    @Test
    void anAbstractSocketIsWrittenWithAnAt() throws IOException {
        String name = "@mcgate-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        try (UnixDatagram manager = UnixDatagram.bind(name)) {
            new SdNotify(Optional.of(name), System::nanoTime).ready();
            assertEquals(List.of("READY=1"), drain(manager));
        }
    }

    @Test
    void anUnchangedStatusIsNotSentAgainAndALineBreakCannotSplitIt() throws IOException {
        try (UnixDatagram manager = UnixDatagram.bind(dir.resolve("n").toString())) {
            SdNotify notify = new SdNotify(Optional.of(manager.address()), System::nanoTime);
            notify.status("1 of 2 interfaces open");
            notify.status("1 of 2 interfaces open");
            notify.status("2 of 2\ninterfaces open");
            assertEquals(List.of("STATUS=1 of 2 interfaces open", "STATUS=2 of 2 interfaces open"), drain(manager));
        }
    }

    @Test
    void withoutASocketNothingIsSentAndNothingFails() {
        SdNotify none = new SdNotify(Optional.empty(), System::nanoTime);
        assertFalse(none.enabled());
        assertFalse(none.send("READY=1"));
        assertFalse(new SdNotify(Optional.of(""), System::nanoTime).enabled(), "NOTIFY_SOCKET= (empty) is none");
    }

    @Test
    void aFailedSendIsLoggedOnceAndNeverThrows() {
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            SdNotify notify =
                    new SdNotify(Optional.of(dir.resolve("nobody-listens").toString()), System::nanoTime);
            assertFalse(notify.send("READY=1"));
            notify.status("x");
            notify.stopping();
        } finally {
            System.setErr(saved);
        }
        List<String> lines = err.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).contains("cannot notify systemd (READY=1)"), lines.get(0));
    }

    @Test
    void addressesThatAreNotUnixSocketsAreRefused() {
        for (String bad : new String[] {"", "relative/path", "@" + "x".repeat(120)}) {
            assertTrue(
                    org.junit.jupiter.api.Assertions.assertThrows(
                                    IOException.class, () -> UnixDatagram.checkAddress(bad))
                            .getMessage()
                            .contains("'"),
                    bad);
        }
    }
}
