package dev.mcgate.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The wait before a failed capture's interface opens again doubles from 1 s to 60 s, and starts over after 60 s up. */
class ReopenBackoffTest {

    @Test
    void doublesWhileTheCaptureDiesAtOnceUpToAMinute() {
        ReopenBackoff b = new ReopenBackoff();
        List<Long> waits = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            waits.add(b.next(Duration.ofMillis(10)).toSeconds());
        }
        assertEquals(List.of(1L, 2L, 4L, 8L, 16L, 32L, 60L, 60L, 60L), waits);
        assertEquals(Duration.ofSeconds(60), b.again());
        assertEquals(Duration.ofSeconds(1), b.next(Duration.ofSeconds(60)), "after a minute of capture");
        assertEquals(Duration.ofSeconds(2), b.next(Duration.ofSeconds(59)));
    }
}
