package dev.mcgate.config;

/**
 * How much IGMP state and traffic one interface may cost, so that hosts nobody vets cannot exhaust the daemon's heap
 * or its loop (compare Linux's {@code igmp_max_memberships} / {@code igmp_max_msf} and FRR's {@code max-groups} /
 * {@code max-sources}).
 *
 * @param maxGroups      groups with state on a downstream; a record for one more is dropped
 * @param maxSources     sources in one group's state; a record that would add more is dropped
 * @param maxHosts       hosts tracked per group for fast leave; a further host is not tracked, and the group then
 *                       waits for last-member queries instead of leaving fast
 * @param igmpRate       IGMP messages per second taken from the interface (a burst of one second's worth); more are
 *                       dropped on the capture thread, before they reach the event loop
 */
public record MembershipLimits(int maxGroups, int maxSources, int maxHosts, int igmpRate) {

    /**
     * Sized for the unit's 128 MB heap: a group with its full source and host tables costs about 20 KB, so one
     * interface at every limit holds about 20 MB; a LAN of set-top boxes stays far below each limit.
     */
    public static final MembershipLimits DEFAULTS = new MembershipLimits(1024, 64, 64, 1000);

    public static final int MAX_GROUPS = 1_000_000;
    public static final int MAX_SOURCES = 65_536;
    public static final int MAX_HOSTS = 65_536;
    public static final int MAX_IGMP_RATE = 1_000_000;

    public MembershipLimits {
        if (maxGroups < 1 || maxSources < 1 || maxHosts < 1 || igmpRate < 1) {
            throw new IllegalArgumentException("limits must be positive: " + maxGroups + " groups, " + maxSources
                    + " sources, " + maxHosts + " hosts, " + igmpRate + " IGMP messages/s");
        }
    }
}
