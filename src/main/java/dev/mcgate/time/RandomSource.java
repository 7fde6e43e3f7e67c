package dev.mcgate.time;

import java.time.Duration;
import java.util.SplittableRandom;

/**
 * Randomness as a service, so tests can make the random delays of RFC 3376 §5.2 (report responses) predictable.
 */
@FunctionalInterface
public interface RandomSource {

    /** A uniformly distributed value in [0, bound). */
    long nextLong(long bound);

    /** A random delay in [0, max), at millisecond resolution (what IGMP timers need). */
    default Duration delayBelow(Duration max) {
        long ms = max.toMillis();
        return ms <= 0 ? Duration.ZERO : Duration.ofMillis(nextLong(ms));
    }

    /** A seeded source: deterministic for tests, or seeded from the OS for the daemon. */
    static RandomSource seeded(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        return bound -> random.nextLong(bound);
    }
}
