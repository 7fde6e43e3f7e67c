package dev.mcgate.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mcgate.control.Reloading;
import dev.mcgate.io.linux.SdNotify;
import dev.mcgate.io.linux.UnixDatagram;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** systemd hears RELOADING=1 before a reload and READY=1 after it, whatever the outcome; and the one-line status. */
class NotifyingReloadingTest {

    @TempDir
    Path dir;

    private static List<String> drain(UnixDatagram socket) throws IOException {
        List<String> got = new ArrayList<>();
        for (Optional<byte[]> d = socket.receive(200); d.isPresent(); d = socket.receive(50)) {
            String s = new String(d.get(), StandardCharsets.UTF_8);
            got.add(s.startsWith("RELOADING=1\n") ? "RELOADING=1" : s);
        }
        return got;
    }

    @Test
    void aRefusedFileStillEndsWithReady() throws IOException {
        try (UnixDatagram manager = UnixDatagram.bind(dir.resolve("n").toString())) {
            SdNotify notify = new SdNotify(Optional.of(manager.address()), System::nanoTime);
            Reloading refused = () -> new Reloading.Outcome(false, "m.conf:3: unknown keyword 'x'", List.of());
            Reloading.Outcome outcome = new NotifyingReloading(refused, notify).reload();
            assertEquals(false, outcome.applied());
            assertEquals(
                    List.of("RELOADING=1", "STATUS=reload refused: m.conf:3: unknown keyword 'x'", "READY=1"),
                    drain(manager));
        }
    }

    @Test
    void aReloadThatThrowsStillEndsWithReady() throws IOException {
        try (UnixDatagram manager = UnixDatagram.bind(dir.resolve("n").toString())) {
            SdNotify notify = new SdNotify(Optional.of(manager.address()), System::nanoTime);
            Reloading broken = () -> {
                throw new IllegalStateException("bug");
            };
            assertThrows(IllegalStateException.class, () -> new NotifyingReloading(broken, notify).reload());
            assertEquals(List.of("RELOADING=1", "READY=1"), drain(manager));
        }
    }

    @Test
    void theStatusLineCountsInTheSingularAndPlural() {
        assertEquals("3 of 3 interfaces open, 4 groups, 2 flows", new StatusSummary(3, 3, 4, 2).text());
        assertEquals("0 of 2 interfaces open, 1 group, 1 flow", new StatusSummary(0, 2, 1, 1).text());
    }
}
