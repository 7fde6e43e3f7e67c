package dev.mcgate.daemon;

import dev.mcgate.time.Loop;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/**
 * Test only: {@code -Dmcgate.test.blockLoopAfterMs=N} blocks the event loop for good N ms after start, so that an
 * end-to-end test can show that the watchdog pings stop with it. Nothing sets it outside the tests.
 */
final class LoopBlockForTests {

    static final String PROPERTY = "mcgate.test.blockLoopAfterMs";

    private LoopBlockForTests() {}

    /** Arms the block if the property is set; from the thread that starts the daemon. */
    static void armIfAsked(Loop loop) {
        Optional.ofNullable(System.getProperty(PROPERTY))
                .map(Long::parseLong)
                .ifPresent(ms -> loop.post(
                        "test:arm-block",
                        () -> loop.schedule(
                                "test:block-loop", Duration.ofMillis(ms), LoopBlockForTests::blockForever)));
    }

    private static void blockForever() {
        while (true) {
            LockSupport.park();
        }
    }
}
