package dev.mcgate.host;

import dev.mcgate.net.Ip4;
import dev.mcgate.net.SourceSet;
import dev.mcgate.net.Subscription;
import dev.mcgate.packet.GroupRecord;
import dev.mcgate.packet.RecordType;
import dev.mcgate.packet.V3MembershipReport;
import java.util.Arrays;
import java.util.List;

/** Short spellings of addresses, subscriptions and records for tests. */
public final class TestValues {

    private TestValues() {}

    public static Ip4 ip(String text) {
        return Ip4.parse(text);
    }

    public static SourceSet set(String... sources) {
        return SourceSet.of(Arrays.stream(sources).map(Ip4::parse).toList());
    }

    public static Subscription in(String... sources) {
        return Subscription.include(set(sources));
    }

    public static Subscription ex(String... sources) {
        return Subscription.exclude(set(sources));
    }

    public static GroupRecord rec(RecordType type, String group, String... sources) {
        return new GroupRecord(type, ip(group), set(sources));
    }

    public static V3MembershipReport report(GroupRecord... records) {
        return new V3MembershipReport(List.of(records));
    }

    /** Answers the given values in turn, then the last one for ever (values are taken modulo the bound). */
    public static dev.mcgate.time.RandomSource sequence(long... values) {
        int[] next = {0};
        return bound -> {
            long v = values[Math.min(next[0], values.length - 1)];
            next[0]++;
            return Math.floorMod(v, bound);
        };
    }

    /** Always the largest value below the bound: delays come out as their maximum. */
    public static final dev.mcgate.time.RandomSource MAX = bound -> bound - 1;

    /** A random source that answers values a test queues, and the largest value below the bound when none is queued. */
    public static final class ScriptedRandom implements dev.mcgate.time.RandomSource {
        private final java.util.ArrayDeque<Long> queued = new java.util.ArrayDeque<>();

        public ScriptedRandom then(long... values) {
            for (long v : values) {
                queued.add(v);
            }
            return this;
        }

        @Override
        public long nextLong(long bound) {
            Long v = queued.poll();
            return v == null ? bound - 1 : Math.floorMod(v, bound);
        }
    }
}
