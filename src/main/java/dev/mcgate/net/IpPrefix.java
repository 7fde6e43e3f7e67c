package dev.mcgate.net;

/**
 * A prefix of either family (address/length, no host bits set), for the settings that accept both: group and source
 * filters, boundaries, altnet. A prefix never contains an address of the other family.
 */
public sealed interface IpPrefix permits Ip4Prefix, Ip6Prefix {

    IpAddress address();

    int length();

    default IpFamily family() {
        return address().family();
    }

    /** Whether the address is in this prefix (false for an address of the other family). */
    boolean contains(IpAddress address);

    /** Whether every address of {@code other} is in this prefix (false across families). */
    default boolean contains(IpPrefix other) {
        return other.family() == family() && other.length() >= length() && contains(other.address());
    }

    default boolean overlaps(IpPrefix other) {
        return contains(other.address()) || other.contains(address());
    }

    /** "address/length" or a bare address (a host prefix) of either family: a colon means IPv6. */
    static IpPrefix parse(String text) {
        return text.indexOf(':') >= 0 ? Ip6Prefix.parse(text) : Ip4Prefix.parse(text);
    }
}
