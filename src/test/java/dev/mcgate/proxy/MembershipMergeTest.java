package dev.mcgate.proxy;

import static dev.mcgate.host.TestValues.ex;
import static dev.mcgate.host.TestValues.in;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mcgate.host.SubscriptionGenerator;
import dev.mcgate.net.Ip4;
import dev.mcgate.net.Subscription;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** RFC 4605 §4.1 merging rules and the laws that make the merge order-free. */
class MembershipMergeTest {

    private static final int CASES = 3000;

    static Stream<Arguments> rows() {
        return Stream.of(
                // IN (A) + IN (B) = IN (A+B)
                Arguments.of(in("10.0.0.1"), in("10.0.0.2"), in("10.0.0.1", "10.0.0.2")),
                // IN (A) + EX (B) = EX (B-A)
                Arguments.of(in("10.0.0.1"), ex("10.0.0.1", "10.0.0.2"), ex("10.0.0.2")),
                Arguments.of(ex("10.0.0.1", "10.0.0.2"), in("10.0.0.2"), ex("10.0.0.1")),
                // EX (A) + EX (B) = EX (A*B)
                Arguments.of(ex("10.0.0.1", "10.0.0.2"), ex("10.0.0.2", "10.0.0.3"), ex("10.0.0.2")),
                Arguments.of(ex("10.0.0.1"), ex("10.0.0.2"), ex()),
                Arguments.of(Subscription.NONE, ex("10.0.0.2"), ex("10.0.0.2")));
    }

    @ParameterizedTest(name = "{0} + {1} = {2}")
    @MethodSource("rows")
    void table(Subscription a, Subscription b, Subscription expected) {
        assertEquals(expected, MembershipMerge.merge(a, b));
    }

    @Test
    void commutative() {
        SubscriptionGenerator gen = new SubscriptionGenerator(1);
        for (int i = 0; i < CASES; i++) {
            Subscription a = gen.next();
            Subscription b = gen.next();
            assertEquals(MembershipMerge.merge(a, b), MembershipMerge.merge(b, a), a + " + " + b);
        }
    }

    @Test
    void associative() {
        SubscriptionGenerator gen = new SubscriptionGenerator(2);
        for (int i = 0; i < CASES; i++) {
            Subscription a = gen.next();
            Subscription b = gen.next();
            Subscription c = gen.next();
            assertEquals(
                    MembershipMerge.merge(MembershipMerge.merge(a, b), c),
                    MembershipMerge.merge(a, MembershipMerge.merge(b, c)),
                    a + " + " + b + " + " + c);
        }
    }

    @Test
    void noneIsTheIdentity() {
        SubscriptionGenerator gen = new SubscriptionGenerator(3);
        for (int i = 0; i < CASES; i++) {
            Subscription a = gen.next();
            assertEquals(a, MembershipMerge.merge(a, Subscription.NONE));
            assertEquals(a, MembershipMerge.merge(Subscription.NONE, a));
        }
    }

    @Test
    void theMergeWantsExactlyTheSourcesSomeInputWants() {
        // The meaning behind the table: a source is wanted by the merge iff some interface wants it. The universe
        // plus one address outside it stands for "every other source".
        List<Ip4> probes = new ArrayList<>(SubscriptionGenerator.UNIVERSE);
        probes.add(Ip4.parse("192.0.2.1"));
        SubscriptionGenerator gen = new SubscriptionGenerator(4);
        for (int i = 0; i < CASES; i++) {
            Subscription a = gen.next();
            Subscription b = gen.next();
            Subscription m = MembershipMerge.merge(a, b);
            for (Ip4 s : probes) {
                assertEquals(a.wants(s) || b.wants(s), m.wants(s), a + " + " + b + " at " + s);
            }
        }
    }

    @Test
    void mergeAllIgnoresOrder() {
        SubscriptionGenerator gen = new SubscriptionGenerator(5);
        SplittableRandom shuffle = new SplittableRandom(6);
        for (int i = 0; i < 500; i++) {
            List<Subscription> subs = new ArrayList<>();
            int n = shuffle.nextInt(6);
            for (int k = 0; k < n; k++) {
                subs.add(gen.next());
            }
            Subscription expected = MembershipMerge.mergeAll(subs);
            Collections.shuffle(subs, new java.util.Random(shuffle.nextLong()));
            assertEquals(expected, MembershipMerge.mergeAll(subs));
        }
        assertEquals(Subscription.NONE, MembershipMerge.mergeAll(List.of()));
    }
}
