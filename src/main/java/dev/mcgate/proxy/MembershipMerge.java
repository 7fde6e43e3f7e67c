package dev.mcgate.proxy;

import dev.mcgate.net.FilterMode;
import dev.mcgate.net.SourceSet;
import dev.mcgate.net.Subscription;

/**
 * Merges the subscriptions of several interfaces into the one the proxy asks for upstream (RFC 4605 §4.1, the
 * merging rules of RFC 3376 §3.2). A pure function: commutative, associative, with {@link Subscription#NONE} as
 * identity, so the order in which interfaces are merged does not matter.
 */
public final class MembershipMerge {

    private MembershipMerge() {}

    /** The union of what {@code a} and {@code b} want. */
    public static Subscription merge(Subscription a, Subscription b) {
        SourceSet x = a.sources();
        SourceSet y = b.sources();
        if (a.mode() == FilterMode.INCLUDE && b.mode() == FilterMode.INCLUDE) {
            // IN (A) + IN (B) = IN (A+B)
            return Subscription.include(x.union(y));
        }
        if (a.mode() == FilterMode.INCLUDE) {
            // IN (A) + EX (B) = EX (B-A)
            return Subscription.exclude(y.difference(x));
        }
        if (b.mode() == FilterMode.INCLUDE) {
            // EX (A) + IN (B) = EX (A-B)
            return Subscription.exclude(x.difference(y));
        }
        // EX (A) + EX (B) = EX (A*B)
        return Subscription.exclude(x.intersection(y));
    }

    /** The merge of every subscription given; {@link Subscription#NONE} for none. */
    public static Subscription mergeAll(Iterable<Subscription> subscriptions) {
        Subscription merged = Subscription.NONE;
        for (Subscription s : subscriptions) {
            merged = merge(merged, s);
        }
        return merged;
    }
}
