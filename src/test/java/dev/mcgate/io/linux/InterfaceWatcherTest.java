package dev.mcgate.io.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.io.InterfaceChange;
import dev.mcgate.io.NetInterface;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The watcher reads at once when asked (what a netlink announcement does), not only at its poll interval. */
class InterfaceWatcherTest {

    private static NetInterface nif(String name, int index) {
        return new NetInterface(
                name, index, Optional.empty(), List.of(), 1500, new NetInterface.Flags(true, true, true, false, false));
    }

    @Test
    void aReadingAskedForIsDoneAtOnceAndReportsTheChange() throws Exception {
        AtomicReference<List<NetInterface>> system = new AtomicReference<>(List.of(nif("lo", 1)));
        List<List<InterfaceChange>> heard = new CopyOnWriteArrayList<>();
        CountDownLatch changed = new CountDownLatch(1);
        // A poll interval of an hour: only readSoon() can make the change visible within the test.
        try (InterfaceWatcher watcher =
                new InterfaceWatcher(system::get, system.get(), Duration.ofHours(1), changes -> {
                    heard.add(changes);
                    changed.countDown();
                })) {
            assertFalse(watcher.netlinkActive(), "no netlink asked for");
            system.set(List.of(nif("lo", 1), nif("veth9", 9)));
            watcher.readSoon();
            assertTrue(changed.await(30, TimeUnit.SECONDS), "the reading was not done");
            assertEquals(1, heard.size());
            assertEquals(InterfaceChange.Kind.APPEARED, heard.get(0).get(0).kind());
            assertEquals("veth9", heard.get(0).get(0).name());
            assertEquals(2, watcher.current().size());
        }
    }
}
