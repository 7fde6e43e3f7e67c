package dev.mcgate.net;

import java.util.Objects;

/**
 * What is wanted of one group on one interface: INCLUDE(sources) or EXCLUDE(sources), the "subscription" of RFC 4605
 * §4.1. INCLUDE{} means nothing is wanted.
 *
 * <p>On a router interface in EXCLUDE(X, Y) state (RFC 3376 §6.2.1) the subscription is EXCLUDE(Y): sources in X are
 * forwarded as every other source is (RFC 3376 §6.3), only those in Y are not.
 */
public record Subscription(FilterMode mode, SourceSet sources) {

    /** Nothing wanted: INCLUDE{}. */
    public static final Subscription NONE = new Subscription(FilterMode.INCLUDE, SourceSet.EMPTY);
    /** Every source wanted: EXCLUDE{}, an any-source join. */
    public static final Subscription ANY_SOURCE = new Subscription(FilterMode.EXCLUDE, SourceSet.EMPTY);

    public Subscription {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(sources, "sources");
    }

    public static Subscription include(SourceSet sources) {
        return new Subscription(FilterMode.INCLUDE, sources);
    }

    public static Subscription exclude(SourceSet sources) {
        return new Subscription(FilterMode.EXCLUDE, sources);
    }

    /** RFC 3376 §6.3: INCLUDE forwards the listed sources, EXCLUDE every source but the listed ones. */
    public boolean wants(IpAddress source) {
        return mode == FilterMode.INCLUDE ? sources.contains(source) : !sources.contains(source);
    }

    /** True for INCLUDE{}: no traffic of the group is wanted. */
    public boolean isNone() {
        return mode == FilterMode.INCLUDE && sources.isEmpty();
    }

    @Override
    public String toString() {
        return (mode == FilterMode.INCLUDE ? "IN" : "EX") + sources;
    }
}
