package dev.mcgate.proxy;

import dev.mcgate.config.InterfaceConfig;
import dev.mcgate.config.PrefixFilter;
import dev.mcgate.net.FilterMode;
import dev.mcgate.net.Ip4;
import dev.mcgate.net.Ip4Prefix;
import dev.mcgate.net.IpAddress;
import dev.mcgate.net.SourceSet;
import dev.mcgate.net.Subscription;
import java.util.ArrayList;
import java.util.List;

/**
 * What one interface's configuration lets through of a subscription: the group filter, scope boundaries, source filter,
 * and the two address rules no configuration can lift (224.0.0.0/24 is never joined; no EXCLUDE mode in 232/8).
 *
 * <p>Rules, in order; the first that drops a group makes it count as {@link Subscription#NONE} from this interface:
 * <ol>
 *   <li>224.0.0.0/24 (link-local control groups): never joined upstream nor forwarded.</li>
 *   <li>The group filter denies the group.</li>
 *   <li>A scope boundary of the interface holds the group (nothing of it crosses this interface).</li>
 *   <li>232/8 (SSM) in EXCLUDE mode: RFC 4607 §1 / RFC 4604 §2.2 allow only INCLUDE joins there. The EXCLUDE state of
 *       this one interface is ignored (and counted by the caller), so INCLUDE joins for the same SSM group from other
 *       interfaces still reach upstream.</li>
 * </ol>
 * Then the source filter (a denied source must never be requested for this interface):
 * <ul>
 *   <li>INCLUDE(A) becomes INCLUDE(A minus the denied sources): exact.</li>
 *   <li>EXCLUDE(B) becomes EXCLUDE(B + D), D being the denied sources. D is a finite list only when the allow list
 *       holds 0.0.0.0/0 and the deny prefixes together hold at most {@link #MAX_ENUMERATED_DENIED} addresses (one
 *       IGMPv3 record carries ~360). Otherwise IGMP cannot say "every source but these prefixes": the small deny
 *       prefixes are still added, the rest is over-requested ({@link #isExact} is false), and the forwarding plane,
 *       which applies the source filter to every packet, drops what arrives. Over-asking wastes upstream bandwidth;
 *       the alternative, asking for nothing, would break any-source receivers.</li>
 * </ul>
 */
public final class InterfaceFilter {

    /** At most this many denied addresses are listed in EXCLUDE sets. */
    public static final int MAX_ENUMERATED_DENIED = 256;

    /** Why a group counts as nothing from an interface, or PASSED. */
    public enum Verdict {
        PASSED,
        LINK_LOCAL,
        GROUP_DENIED,
        SCOPE_BOUNDARY,
        SSM_EXCLUDE
    }

    /** Lets everything through except what the address rules forbid. */
    public static final InterfaceFilter PERMIT_ALL =
            new InterfaceFilter(PrefixFilter.ALL_GROUPS, List.of(), PrefixFilter.ALL_SOURCES);

    private final PrefixFilter groupFilter;
    private final List<Ip4Prefix> scopeBoundaries;
    private final PrefixFilter sourceFilter;
    private final SourceSet deniedSources;
    private final boolean exactForExclude;

    public InterfaceFilter(PrefixFilter groupFilter, List<Ip4Prefix> scopeBoundaries, PrefixFilter sourceFilter) {
        this.groupFilter = groupFilter;
        this.scopeBoundaries = List.copyOf(scopeBoundaries);
        this.sourceFilter = sourceFilter;
        boolean allowsAll = sourceFilter.allow().stream().anyMatch(p -> p.length() == 0);
        List<Ip4> denied = new ArrayList<>();
        boolean enumerable = allowsAll;
        for (Ip4Prefix p : sourceFilter.deny()) {
            long size = 1L << (32 - p.length());
            if (denied.size() + size > MAX_ENUMERATED_DENIED) {
                enumerable = false;
                continue;
            }
            for (long i = 0; i < size; i++) {
                denied.add(new Ip4(p.address().bits() + (int) i));
            }
        }
        this.deniedSources = SourceSet.of(denied);
        this.exactForExclude = enumerable;
    }

    public static InterfaceFilter of(InterfaceConfig config) {
        return new InterfaceFilter(config.groupFilter(), config.scopeBoundaries(), config.sourceFilter());
    }

    /** The first rule that drops the group, or PASSED. */
    public Verdict verdict(IpAddress group, Subscription wanted) {
        if (group.isLinkLocalMulticast()) {
            return Verdict.LINK_LOCAL;
        }
        if (!groupFilter.permits(group)) {
            return Verdict.GROUP_DENIED;
        }
        if (scopeBoundaries.stream().anyMatch(p -> p.contains(group))) {
            return Verdict.SCOPE_BOUNDARY;
        }
        if (group.isSourceSpecific() && wanted.mode() == FilterMode.EXCLUDE) {
            return Verdict.SSM_EXCLUDE;
        }
        return Verdict.PASSED;
    }

    /** The subscription after this interface's rules and filters (see the class comment). */
    public Subscription apply(IpAddress group, Subscription wanted) {
        if (wanted.isNone() || verdict(group, wanted) != Verdict.PASSED) {
            return Subscription.NONE;
        }
        if (wanted.mode() == FilterMode.INCLUDE) {
            List<IpAddress> kept = new ArrayList<>(wanted.sources().size());
            for (IpAddress s : wanted.sources()) {
                if (sourceFilter.permits(s)) {
                    kept.add(s);
                }
            }
            return kept.size() == wanted.sources().size() ? wanted : Subscription.include(SourceSet.of(kept));
        }
        // The denied sources are of one family: they extend only the EXCLUDE lists of that family's groups.
        SourceSet denied = deniedSources.family() == group.family() ? deniedSources : SourceSet.EMPTY;
        return Subscription.exclude(wanted.sources().union(denied));
    }

    /**
     * False when {@code wanted} is EXCLUDE mode and the source filter cannot be written as a finite EXCLUDE list, so
     * that upstream is asked for more sources than this interface may receive (see the class comment).
     */
    public boolean isExact(Subscription wanted) {
        return wanted.mode() == FilterMode.INCLUDE || exactForExclude;
    }

    /** The denied sources that are added to EXCLUDE sets. */
    public SourceSet deniedSources() {
        return deniedSources;
    }
}
