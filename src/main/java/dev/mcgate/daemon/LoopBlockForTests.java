package dev.mcgate.daemon;

import dev.mcgate.time.Loop;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Test only: {@code -Dmcgate.test.blockLoopWhenFileExists=PATH} blocks the event loop for good once PATH exists
 * (looked for every 100 ms, on the loop), so that an end-to-end test can show that the watchdog pings stop with it.
 * Nothing sets it outside the tests.
 */
final class LoopBlockForTests {

    static final String PROPERTY = "mcgate.test.blockLoopWhenFileExists";
    private static final Duration LOOK_EVERY = Duration.ofMillis(100);

    private final Loop loop;
    private final Path trigger;

    private LoopBlockForTests(Loop loop, Path trigger) {
        this.loop = loop;
        this.trigger = trigger;
    }

    /** Arms the block if the property is set; from the thread that starts the daemon. */
    static void armIfAsked(Loop loop) {
        String path = System.getProperty(PROPERTY);
        if (path != null) {
            LoopBlockForTests block = new LoopBlockForTests(loop, Path.of(path));
            loop.post("test:arm-block", block::look);
        }
    }

    private void look() {
        if (!Files.exists(trigger)) {
            loop.schedule("test:block-loop", LOOK_EVERY, this::look);
            return;
        }
        while (true) {
            LockSupport.park();
        }
    }
}
