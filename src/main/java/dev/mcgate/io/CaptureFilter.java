package dev.mcgate.io;

/**
 * What an interface needs to capture, kept narrow so the kernel drops everything else before it reaches user space.
 *
 * <p>Expressed as intent rather than a BPF string so that {@link SimulatedLan} can apply the same filter in memory;
 * the pcap adapter compiles {@link #toBpf()}.
 */
public enum CaptureFilter {
    /** IGMP only (IP protocol 2): a downstream interface with no local sources needs nothing else. */
    IGMP,
    /** IGMP and multicast data: an interface multicast flows arrive on. */
    IGMP_AND_MULTICAST,
    /**
     * IGMP and IPv4 multicast, and every IPv6 packet to a multicast address (MLD goes to ff02::1, ff02::16 or its
     * group, so this holds MLD too): a dual-stack interface.
     */
    BOTH_FAMILIES,
    /** Nothing: a send-only handle still gets a receive ring, which this keeps empty. */
    NOTHING;

    /** The libpcap filter expression; the same text works for Ethernet and raw-IP link types. */
    public String toBpf() {
        return switch (this) {
            case IGMP -> "ip proto 2";
            case IGMP_AND_MULTICAST -> "ip proto 2 or ip multicast";
            case BOTH_FAMILIES -> "ip proto 2 or ip multicast or ip6 multicast";
            // "less 1" matches only frames shorter than one byte: none.
            case NOTHING -> "less 1";
        };
    }

    /**
     * Applies the filter to an IPv4 packet's protocol and destination, as the kernel's BPF program would (IPv6 packets
     * are not simulated).
     *
     * @param protocol the IPv4 protocol field
     * @param destination the IPv4 destination address bits
     */
    public boolean matches(int protocol, int destination) {
        return switch (this) {
            case IGMP -> protocol == 2;
            case IGMP_AND_MULTICAST, BOTH_FAMILIES -> protocol == 2 || (destination >>> 28) == 0xE;
            case NOTHING -> false;
        };
    }
}
