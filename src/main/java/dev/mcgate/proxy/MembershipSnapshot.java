package dev.mcgate.proxy;

import dev.mcgate.net.IpAddress;
import dev.mcgate.net.Subscription;
import java.util.Collections;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An immutable picture of the proxy's memberships, handed to the forwarding plane (which builds its table from it) and
 * to status commands; replaced as a whole on every change.
 *
 * @param version     counts snapshots from 0 (the empty one at start), so a reader can tell a new one from the old
 * @param downstreams per downstream interface, per group: what the interface is given, after its filters (non-NONE)
 * @param groups      per group some downstream wants: the merged subscription and where it is asked for
 */
public record MembershipSnapshot(
        long version,
        SortedMap<String, SortedMap<IpAddress, Subscription>> downstreams,
        SortedMap<IpAddress, GroupEntry> groups) {

    /**
     * One group's merged state.
     *
     * @param merged    the merge over the downstream interfaces (after their filters)
     * @param upstream  the upstream interface configured for the group ({@code McgateConfig.upstreamFor}); empty when
     *                  the configuration has no upstream. It is the RPF interface for sources beyond the proxy.
     * @param requested what is asked for upstream: {@code merged} after the upstream's own filters; NONE when nothing
     *                  may be asked (for example a group the upstream's group filter denies)
     */
    public record GroupEntry(Subscription merged, Optional<String> upstream, Subscription requested) {
        public GroupEntry {
            Objects.requireNonNull(merged, "merged");
            Objects.requireNonNull(upstream, "upstream");
            Objects.requireNonNull(requested, "requested");
        }
    }

    public static final MembershipSnapshot EMPTY = new MembershipSnapshot(0, new TreeMap<>(), new TreeMap<>());

    public MembershipSnapshot {
        TreeMap<String, SortedMap<IpAddress, Subscription>> copy = new TreeMap<>();
        downstreams.forEach((name, row) -> copy.put(name, Collections.unmodifiableSortedMap(new TreeMap<>(row))));
        downstreams = Collections.unmodifiableSortedMap(copy);
        groups = Collections.unmodifiableSortedMap(new TreeMap<>(groups));
    }

    /** What a downstream interface is given of a group; NONE if nothing. */
    public Subscription downstream(String interfaceName, IpAddress group) {
        SortedMap<IpAddress, Subscription> row = downstreams.get(interfaceName);
        Subscription s = row == null ? null : row.get(group);
        return s == null ? Subscription.NONE : s;
    }

    /** The merged state of a group, if some downstream wants it. */
    public Optional<GroupEntry> group(IpAddress group) {
        return Optional.ofNullable(groups.get(group));
    }
}
