package dev.mcgate.proxy;

import dev.mcgate.config.InterfaceConfig;
import dev.mcgate.config.PrefixFilter;
import dev.mcgate.net.FilterMode;
import dev.mcgate.net.Ip4;
import dev.mcgate.net.Ip4Prefix;
import dev.mcgate.net.Ip6;
import dev.mcgate.net.Ip6Prefix;
import dev.mcgate.net.IpAddress;
import dev.mcgate.net.IpFamily;
import dev.mcgate.net.IpPrefix;
import dev.mcgate.net.SourceSet;
import dev.mcgate.net.Subscription;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What one interface's configuration lets through of a subscription: the group filter, scope boundaries, source filter,
 * and the two address rules no configuration can lift (link-local groups are never joined; no EXCLUDE mode in SSM
 * ranges). Both families: IPv4 groups with IPv4 sources, IPv6 groups with IPv6 sources.
 *
 * <p>Rules, in order; the first that drops a group makes it count as {@link Subscription#NONE} from this interface:
 * <ol>
 *   <li>224.0.0.0/24 and IPv6 scopes 1 and 2 (ff01::/16, ff02::/16; link-local control groups): never joined upstream
 *       nor forwarded.</li>
 *   <li>The group filter denies the group.</li>
 *   <li>A scope boundary of the interface holds the group (nothing of it crosses this interface).</li>
 *   <li>232/8 or ff3x::/32 (SSM) in EXCLUDE mode: RFC 4607 §1 / RFC 4604 §2.2 allow only INCLUDE joins there. The EXCLUDE state of
 *       this one interface is ignored (and counted by the caller), so INCLUDE joins for the same SSM group from other
 *       interfaces still reach upstream.</li>
 * </ol>
 * Then the source filter (a denied source must never be requested for this interface):
 * <ul>
 *   <li>INCLUDE(A) becomes INCLUDE(A minus the denied sources): exact.</li>
 *   <li>EXCLUDE(B) becomes EXCLUDE(B + D), D being the group's family's denied sources. D is a finite list only when
 *       the allow list holds that family's whole range (0.0.0.0/0, ::/0) and its deny prefixes together hold at most
 *       {@link #MAX_ENUMERATED_DENIED} IPv4 addresses (one IGMPv3 record carries ~360) or
 *       {@link #MAX_ENUMERATED_DENIED_IPV6} IPv6 ones (one MLDv2 record in a 1500-byte packet carries ~89, so an
 *       IPv6 deny prefix is enumerated only if it is a /122 or longer). Otherwise IGMP or MLD cannot say "every source but these prefixes": the small deny
 *       prefixes are still added, the rest is over-requested ({@link #isExact} is false), and the forwarding plane,
 *       which applies the source filter to every packet, drops what arrives. Over-asking wastes upstream bandwidth;
 *       the alternative, asking for nothing, would break any-source receivers.</li>
 * </ul>
 */
public final class InterfaceFilter {

    /** At most this many denied addresses are listed in EXCLUDE sets. */
    public static final int MAX_ENUMERATED_DENIED = 256;
    /** At most this many denied IPv6 addresses are listed in EXCLUDE sets (a /122). */
    public static final int MAX_ENUMERATED_DENIED_IPV6 = 64;

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
    private final List<IpPrefix> scopeBoundaries;
    private final PrefixFilter sourceFilter;
    private final Map<IpFamily, SourceSet> deniedSources = new EnumMap<>(IpFamily.class);
    private final Map<IpFamily, Boolean> exactForExclude = new EnumMap<>(IpFamily.class);

    public InterfaceFilter(
            PrefixFilter groupFilter, List<? extends IpPrefix> scopeBoundaries, PrefixFilter sourceFilter) {
        this.groupFilter = groupFilter;
        this.scopeBoundaries = List.copyOf(scopeBoundaries);
        this.sourceFilter = sourceFilter;
        for (IpFamily family : IpFamily.values()) {
            enumerateDenied(family, family == IpFamily.IPV4 ? MAX_ENUMERATED_DENIED : MAX_ENUMERATED_DENIED_IPV6);
        }
    }

    /** Lists one family's denied sources while they fit {@code budget} addresses; notes whether all of them did. */
    private void enumerateDenied(IpFamily family, int budget) {
        boolean enumerable = sourceFilter.allow().stream().anyMatch(p -> p.family() == family && p.length() == 0);
        List<IpAddress> denied = new ArrayList<>();
        for (IpPrefix p : sourceFilter.deny()) {
            if (p.family() != family) {
                continue;
            }
            int hostBits = family.bits() - p.length();
            if (hostBits >= 31 || denied.size() + (1L << hostBits) > budget) {
                enumerable = false;
                continue;
            }
            for (int i = 0; i < 1 << hostBits; i++) {
                denied.add(nth(p, i));
            }
        }
        deniedSources.put(family, SourceSet.of(denied));
        exactForExclude.put(family, enumerable);
    }

    /** The i-th address of a prefix small enough to enumerate (i fits in its host bits). */
    private static IpAddress nth(IpPrefix p, int i) {
        if (p instanceof Ip4Prefix p4) {
            return new Ip4(p4.address().bits() + i);
        }
        Ip6 base = ((Ip6Prefix) p).address();
        return new Ip6(base.high(), base.low() + i);
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
        // Each family's denied sources extend only the EXCLUDE lists of that family's groups.
        return Subscription.exclude(wanted.sources().union(deniedSources.get(group.family())));
    }

    /**
     * False when {@code wanted} is EXCLUDE mode and the source filter cannot be written as a finite EXCLUDE list, so
     * that upstream is asked for more sources than this interface may receive (see the class comment).
     */
    public boolean isExact(IpAddress group, Subscription wanted) {
        return wanted.mode() == FilterMode.INCLUDE || exactForExclude.get(group.family());
    }

    /** The denied sources of a family that are added to the EXCLUDE sets of its groups. */
    public SourceSet deniedSources(IpFamily family) {
        return deniedSources.get(family);
    }
}
