package dev.mcgate.host;

import dev.mcgate.net.Ip4;
import dev.mcgate.net.SourceSet;
import dev.mcgate.net.Subscription;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Random subscriptions over a small source universe, so that generated sets overlap often. Seeded. */
public final class SubscriptionGenerator {

    /** The sources generated subscriptions draw from: 10.0.0.1 .. 10.0.0.8. */
    public static final List<Ip4> UNIVERSE = List.of(
            Ip4.parse("10.0.0.1"),
            Ip4.parse("10.0.0.2"),
            Ip4.parse("10.0.0.3"),
            Ip4.parse("10.0.0.4"),
            Ip4.parse("10.0.0.5"),
            Ip4.parse("10.0.0.6"),
            Ip4.parse("10.0.0.7"),
            Ip4.parse("10.0.0.8"));

    private final SplittableRandom random;

    public SubscriptionGenerator(long seed) {
        this.random = new SplittableRandom(seed);
    }

    public Subscription next() {
        List<Ip4> sources = new ArrayList<>();
        for (Ip4 s : UNIVERSE) {
            if (random.nextInt(3) == 0) {
                sources.add(s);
            }
        }
        SourceSet set = SourceSet.of(sources);
        return random.nextBoolean() ? Subscription.include(set) : Subscription.exclude(set);
    }
}
