package dev.mcgate.host;

import dev.mcgate.net.IpFamily;

/**
 * The Host Compatibility Mode of an upstream interface (RFC 3376 §7.2.1, RFC 9777 §8.2): which version the host
 * speaks there, following the oldest querier heard recently. The constants are generations numbered as IGMP's (see
 * {@code igmp.Query}): for MLD, IGMPV2 is MLDv1 and IGMPV3 is MLDv2; MLD has no IGMPV1.
 */
public enum CompatibilityMode {
    IGMPV1(1),
    IGMPV2(2),
    IGMPV3(3);

    private final int version;

    CompatibilityMode(int version) {
        this.version = version;
    }

    public int version() {
        return version;
    }

    /**
     * RFC 3376 §7.2.1 table.
     * <pre>
     * Host Compatibility Mode   Timer State
     * IGMPv3 (default)          IGMPv2 Querier Present not running and IGMPv1 Querier Present not running
     * IGMPv2                    IGMPv2 Querier Present running and IGMPv1 Querier Present not running
     * IGMPv1                    IGMPv1 Querier Present running
     * </pre>
     */
    public static CompatibilityMode of(boolean v1QuerierPresent, boolean v2QuerierPresent) {
        if (v1QuerierPresent) {
            return IGMPV1;
        }
        return v2QuerierPresent ? IGMPV2 : IGMPV3;
    }

    /** The mode for a version number 1..3 (a configured highest version). */
    public static CompatibilityMode ofVersion(int version) {
        return version <= 1 ? IGMPV1 : version == 2 ? IGMPV2 : IGMPV3;
    }

    /** The protocol and version this mode is in a family: IGMPv2, MLDv1, ... */
    public String versionName(IpFamily family) {
        return family.versionName(version);
    }

    /** The older of the two. */
    public CompatibilityMode atMost(CompatibilityMode limit) {
        return version <= limit.version ? this : limit;
    }
}
