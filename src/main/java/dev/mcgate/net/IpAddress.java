package dev.mcgate.net;

/**
 * An address of either family, for the code that works the same on both: the membership state machines, the merged
 * membership and the forwarding table. Addresses of one family order by value; IPv4 orders before IPv6.
 */
public sealed interface IpAddress extends Comparable<IpAddress> permits Ip4, Ip6 {

    IpFamily family();

    boolean isMulticast();

    /** 0.0.0.0 or ::, the source of a snooping switch's query or of a report sent before an address is configured. */
    boolean isUnspecified();

    /**
     * A group that is never forwarded nor joined upstream: 224.0.0.0/24 (RFC 5771), and IPv6 groups of interface-local
     * or link-local scope, ff01::/16 and ff02::/16 (RFC 4291 §2.7).
     */
    boolean isLinkLocalMulticast();

    /** A source-specific group (RFC 4607): 232.0.0.0/8 or ff3x::/32, where no EXCLUDE-mode join is allowed. */
    boolean isSourceSpecific();

    /** The address in network byte order (4 or 16 octets). */
    byte[] toBytes();

    /** Parses either family's text form: a colon means IPv6 (RFC 4291 §2.2), else a dotted quad. */
    static IpAddress parse(String text) {
        return text.indexOf(':') >= 0 ? Ip6.parse(text) : Ip4.parse(text);
    }

    /** Orders by family first, so that a sorted mixed collection lists IPv4 before IPv6. */
    static int compareFamilies(IpAddress a, IpAddress b) {
        return a.family().compareTo(b.family());
    }
}
