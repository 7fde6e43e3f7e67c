package dev.mcgate.lab;

import dev.mcgate.net.Ip4;
import dev.mcgate.net.Ip4Prefix;
import dev.mcgate.net.Ip6;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The lab's fixed shape: which namespaces exist, how they are wired, and their addresses. Pure data, no side effects.
 *
 * <pre>
 *   [PREFIX-src] eth0 ---- up0 [PREFIX-rtr] down1 ---- eth0 [PREFIX-rx1]
 *    192.0.2.10     192.0.2.1          198.51.100.1 ---- 198.51.100.10
 *    fd00:0:2::10   fd00:0:2::1        fd00:0:100::1 --- fd00:0:100::10
 *                                      down2 ---- eth0 [PREFIX-rx2]
 *                                      203.0.113.1 ---- 203.0.113.10
 *                                      fd00:0:113::1 --- fd00:0:113::10
 * </pre>
 *
 * <p>The IPv4 subnets are the RFC 5737 documentation ranges: they exist only inside the lab's namespaces and can
 * never be mistaken for (or leak to) a real network. Each link also has an IPv6 /64 from the unique local range
 * (fd00::/8, RFC 4193), numbered after its IPv4 subnet, with the same host numbers (::1 the router, ::10 the host),
 * and the link-local addresses the kernel gives every interface (MLD speaks only from those, RFC 9777 §5). Interface
 * names inside the namespaces are fixed, so several labs with different prefixes coexist without clashing.
 */
public record LabTopology(String prefix) {

    private static final Pattern PREFIX = Pattern.compile("[a-z][a-z0-9]{0,9}");

    public static final String DEFAULT_PREFIX = "mcg";
    public static final String HOST_IF = "eth0";
    public static final String UPSTREAM_IF = "up0";
    public static final Ip4 GROUP = Ip4.of(239, 1, 1, 1);

    public LabTopology {
        if (!PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException(
                    "lab prefix '" + prefix + "' must be 1-10 lower-case letters and digits, starting with a letter");
        }
    }

    /** The length of every link's IPv6 prefix: a /64, as SLAAC and RFC 4291 §2.5.1 interface identifiers assume. */
    public static final int IPV6_PREFIX_LENGTH = 64;

    /**
     * One point-to-point LAN of the lab: a router interface and a host namespace on one IPv4 /24 and one IPv6 /64.
     *
     * @param subnet6 the IPv6 /64 (its first address; the low 64 bits are zero)
     */
    public record Link(String hostRole, String routerIf, Ip4Prefix subnet, Ip6 subnet6) {
        public Link {
            if (subnet6.low() != 0) {
                throw new IllegalArgumentException(subnet6 + " is not the start of a /" + IPV6_PREFIX_LENGTH);
            }
        }

        public Ip4 routerAddress() {
            return new Ip4(subnet.address().bits() + 1);
        }

        public Ip4 hostAddress() {
            return new Ip4(subnet.address().bits() + 10);
        }

        /** The router's global (unique local) IPv6 address on this link: ::1 of the /64. */
        public Ip6 routerAddress6() {
            return new Ip6(subnet6.high(), 1);
        }

        /** The host's global (unique local) IPv6 address on this link: ::10 of the /64. */
        public Ip6 hostAddress6() {
            return new Ip6(subnet6.high(), 0x10);
        }
    }

    public static final Link SOURCE_LINK =
            new Link("src", UPSTREAM_IF, Ip4Prefix.parse("192.0.2.0/24"), Ip6.parse("fd00:0:2::"));
    public static final Link RX1_LINK =
            new Link("rx1", "down1", Ip4Prefix.parse("198.51.100.0/24"), Ip6.parse("fd00:0:100::"));
    public static final Link RX2_LINK =
            new Link("rx2", "down2", Ip4Prefix.parse("203.0.113.0/24"), Ip6.parse("fd00:0:113::"));
    public static final List<Link> LINKS = List.of(SOURCE_LINK, RX1_LINK, RX2_LINK);

    public String namespace(String role) {
        return prefix + "-" + role;
    }

    public String router() {
        return namespace("rtr");
    }

    public String source() {
        return namespace(SOURCE_LINK.hostRole());
    }

    public String receiver(int n) {
        return namespace(receiverLink(n).hostRole());
    }

    /** The namespaces of receivers 1 and 2, in order. */
    public List<String> receivers() {
        return List.of(receiver(1), receiver(2));
    }

    public static Link receiverLink(int n) {
        return switch (n) {
            case 1 -> RX1_LINK;
            case 2 -> RX2_LINK;
            default -> throw new IllegalArgumentException("the lab has receivers 1 and 2, not " + n);
        };
    }

    /** Every namespace of the lab, router first. */
    public List<String> namespaces() {
        return List.of(router(), source(), receiver(1), receiver(2));
    }

    /** The bench's tunnel path beside the lab: gateway B, and the receiver behind it. */
    public static final String GATEWAY_B_ROLE = "gwb";

    public static final String TUNNEL_RECEIVER_ROLE = "rxt";

    /**
     * {@link #namespaces()} and those of the bench's tunnel path: what {@code lab down} removes, so that a bench that
     * was killed leaves nothing behind either.
     */
    public List<String> allNamespaces() {
        return List.of(
                router(),
                source(),
                receiver(1),
                receiver(2),
                namespace(GATEWAY_B_ROLE),
                namespace(TUNNEL_RECEIVER_ROLE));
    }

    /** Where 'mcgate lab up' writes {@link #routerConfig()}. */
    public Path routerConfigFile() {
        return Path.of("/run/mcgate-lab", prefix + ".conf");
    }

    /** The control socket {@link #routerConfig()} names: where the lab asks mcgate what it holds. */
    public Path routerControlSocket() {
        return Path.of("/run/mcgate-lab", prefix + ".sock");
    }

    /** A configuration for mcgate in the router namespace: up0 upstream, down1 and down2 downstream. */
    public String routerConfig() {
        return """
                # mcgate configuration for the namespace lab '%s' (written by 'mcgate lab up')
                control-socket %s
                interface %s {
                    role upstream
                }
                interface %s {
                    role downstream
                }
                interface %s {
                    role downstream
                }
                """.formatted(prefix, routerControlSocket(), UPSTREAM_IF, RX1_LINK.routerIf(), RX2_LINK.routerIf());
    }
}
