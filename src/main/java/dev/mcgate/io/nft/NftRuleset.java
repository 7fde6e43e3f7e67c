package dev.mcgate.io.nft;

import dev.mcgate.forward.KernelRoute;
import dev.mcgate.forward.OffloadPlan;
import dev.mcgate.net.Ip4Prefix;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Writes the nft transaction that makes the kernel's rules match an {@link OffloadPlan}: a pure function of the plan
 * and of what the previous transaction installed, so the same inputs always give the same text.
 *
 * <p>Everything lives in {@code table netdev mcgate}. One base chain per arrival interface at its ingress hook hands
 * IGMP, 224.0.0.0/24, the sources whose RPF only user space can decide and the exception sources back to the stack
 * (and so to the capture, which saw them first), then jumps by (G,S) or G to one chain per route. A route chain drops
 * TTL 0 and 1, rewrites TTL to TTL - 1 through the {@code ttl_dec} verdict map (nft 1.0.6 has no TTL arithmetic; the
 * payload write fixes the IPv4 header checksum), then sets the source MAC of each egress before {@code dup to} it and
 * ends with {@code fwd to} the last one, so that the frame never climbs the router's own IP stack.
 *
 * <p>The whole text is one {@code nft -f} run, one kernel transaction: every packet meets either the old rules or the
 * new ones. Chains are flushed and refilled; named counters are added (an existing one keeps its count) and deleted
 * with their route.
 */
public final class NftRuleset {

    /** What a transaction left installed, which the next one flushes, keeps or deletes. */
    public record Installed(Set<String> chains, Set<String> counters, boolean ttlChains) {

        public static final Installed NOTHING = new Installed(Set.of(), Set.of(), false);

        public Installed {
            chains = Set.copyOf(chains);
            counters = Set.copyOf(counters);
        }
    }

    /** A transaction's text and what it leaves installed. */
    public record Script(String text, Installed installed) {}

    private static final String T = NftNames.FAMILY_TABLE;
    private static final int IGMP = 2;

    private NftRuleset() {}

    /** The transaction from {@code previous} to {@code plan}. */
    public static Script script(OffloadPlan plan, Installed previous) {
        StringBuilder out = new StringBuilder();
        out.append("# mcgate: ").append(plan.forwardingRoutes().size()).append(" kernel routes\n");
        boolean fresh = !previous.ttlChains();
        if (fresh) {
            // Whatever a crashed run left behind goes in the same transaction ("add" first: delete needs a table).
            out.append("add table ").append(T).append('\n');
            out.append("delete table ").append(T).append('\n');
        }
        out.append("add table ").append(T).append('\n');
        if (fresh) {
            ttlChains(out);
        }
        // Flush first: a chain is deleted below only once no rule jumps to it any more.
        for (String chain : sorted(previous.chains())) {
            out.append("flush chain ").append(T).append(' ').append(chain).append('\n');
        }
        Set<String> chains = new LinkedHashSet<>();
        Set<String> counters = new LinkedHashSet<>();
        for (KernelRoute route : plan.forwardingRoutes()) {
            routeChain(out, route, chains, counters);
        }
        for (String arrival : plan.arrivals()) {
            ingressChain(out, arrival, plan, chains);
        }
        for (String chain : sorted(previous.chains())) {
            if (!chains.contains(chain)) {
                out.append("delete chain ").append(T).append(' ').append(chain).append('\n');
            }
        }
        for (String counter : sorted(previous.counters())) {
            if (!counters.contains(counter)) {
                out.append("delete counter ")
                        .append(T)
                        .append(' ')
                        .append(counter)
                        .append('\n');
            }
        }
        return new Script(out.toString(), new Installed(chains, counters, true));
    }

    /** The name of the counter of the packets a route forwarded. */
    public static String forwardedCounter(KernelRoute route) {
        return NftNames.forwardedCounter(route);
    }

    /** The name of the counter of the packets a route dropped for TTL 0 or 1. */
    public static String expiredCounter(KernelRoute route) {
        return NftNames.expiredCounter(route);
    }

    /** The transaction that removes everything of mcgate's, whether or not it is there. */
    public static String removal() {
        return "add table " + T + "\ndelete table " + T + "\n";
    }

    /** ttl_N writes N - 1; the map sends a packet with TTL N there and comes back (jump). */
    private static void ttlChains(StringBuilder out) {
        StringJoiner elements = new StringJoiner(", ", "{ ", " }");
        for (int ttl = 2; ttl <= 255; ttl++) {
            String chain = NftNames.ttlChain(ttl);
            out.append("add chain ").append(T).append(' ').append(chain).append('\n');
            out.append("add rule ")
                    .append(T)
                    .append(' ')
                    .append(chain)
                    .append(" ip ttl set ")
                    .append(ttl - 1)
                    .append('\n');
            elements.add(ttl + " : jump " + chain);
        }
        out.append("add map ")
                .append(T)
                .append(' ')
                .append(NftNames.TTL_MAP)
                .append(" { typeof ip ttl : verdict ; }\n");
        out.append("add element ")
                .append(T)
                .append(' ')
                .append(NftNames.TTL_MAP)
                .append(' ')
                .append(elements)
                .append('\n');
    }

    private static void routeChain(StringBuilder out, KernelRoute route, Set<String> chains, Set<String> counters) {
        String chain = NftNames.routeChain(route);
        String forwarded = NftNames.forwardedCounter(route);
        String expired = NftNames.expiredCounter(route);
        String rule = "add rule " + T + ' ' + chain + ' ';
        out.append("add counter ").append(T).append(' ').append(forwarded).append('\n');
        out.append("add counter ").append(T).append(' ').append(expired).append('\n');
        out.append("add chain ").append(T).append(' ').append(chain).append('\n');
        // RFC 1812 §5.3.1: a packet that arrives with TTL 0 or 1 is not forwarded.
        out.append(rule).append("ip ttl < 2 counter name \"").append(expired).append("\" drop\n");
        out.append(rule).append("ip ttl vmap @").append(NftNames.TTL_MAP).append('\n');
        out.append(rule).append("counter name \"").append(forwarded).append("\"\n");
        List<KernelRoute.Egress> always = new ArrayList<>();
        for (KernelRoute.Egress e : route.egress()) {
            if (e.ttlThreshold() <= 1) {
                always.add(e);
            } else {
                // Linux ipmr's rule: a copy leaves only if the arrival TTL is above the threshold, that is if the
                // TTL already written (arrival - 1) is at least the threshold.
                out.append(rule)
                        .append("ip ttl >= ")
                        .append(Math.min(e.ttlThreshold(), 255))
                        .append(' ')
                        .append(rewrite(e))
                        .append(" dup to \"")
                        .append(e.name())
                        .append("\"\n");
            }
        }
        if (always.isEmpty()) {
            out.append(rule).append("drop\n");
        } else {
            StringJoiner copies = new StringJoiner(" ");
            for (int i = 0; i < always.size(); i++) {
                KernelRoute.Egress e = always.get(i);
                copies.add(rewrite(e) + (i == always.size() - 1 ? " fwd to \"" : " dup to \"") + e.name() + "\"");
            }
            out.append(rule).append(copies).append('\n');
        }
        chains.add(chain);
        counters.add(forwarded);
        counters.add(expired);
    }

    private static String rewrite(KernelRoute.Egress e) {
        return "ether saddr set " + e.mac();
    }

    private static void ingressChain(StringBuilder out, String arrival, OffloadPlan plan, Set<String> chains) {
        String chain = NftNames.ingressChain(arrival);
        String rule = "add rule " + T + ' ' + chain + ' ';
        out.append("add chain ")
                .append(T)
                .append(' ')
                .append(chain)
                .append(" { type filter hook ingress device \"")
                .append(arrival)
                .append("\" priority 0 ; policy accept ; }\n");
        out.append(rule).append("meta protocol != ip return\n");
        // Control traffic and link-local groups always go to the stack and to mcgate's capture.
        out.append(rule).append("ip protocol ").append(IGMP).append(" return\n");
        out.append(rule).append("ip daddr 224.0.0.0/24 return\n");
        List<Ip4Prefix> handedBack = plan.userSpaceSources().getOrDefault(arrival, List.of());
        if (!handedBack.isEmpty()) {
            // Sources on another interface's network: RPF by the longest match, which user space decides.
            StringJoiner prefixes = new StringJoiner(", ", "{ ", " }");
            handedBack.forEach(p -> prefixes.add(p.toString()));
            out.append(rule).append("ip saddr ").append(prefixes).append(" return\n");
        }
        // Exceptions first, then (S,G) before (*,G): the most specific decision wins, as in ForwardingTable.route.
        List<String> exceptions = new ArrayList<>();
        List<String> specific = new ArrayList<>();
        List<String> any = new ArrayList<>();
        for (KernelRoute route : plan.routesOf(arrival)) {
            if (route.source().isPresent() && route.egress().isEmpty()) {
                exceptions.add(route.group() + " . " + route.source().get());
            } else if (route.source().isPresent()) {
                specific.add(route.group() + " . " + route.source().get() + " : goto " + NftNames.routeChain(route));
            } else {
                any.add(route.group() + " : goto " + NftNames.routeChain(route));
            }
        }
        if (!exceptions.isEmpty()) {
            out.append(rule)
                    .append("ip daddr . ip saddr ")
                    .append(set(exceptions))
                    .append(" return\n");
        }
        if (!specific.isEmpty()) {
            out.append(rule)
                    .append("ip daddr . ip saddr vmap ")
                    .append(set(specific))
                    .append('\n');
        }
        if (!any.isEmpty()) {
            out.append(rule).append("ip daddr vmap ").append(set(any)).append('\n');
        }
        chains.add(chain);
    }

    private static String set(List<String> elements) {
        return "{ " + String.join(", ", elements) + " }";
    }

    private static List<String> sorted(Set<String> names) {
        return names.stream().sorted().toList();
    }
}
