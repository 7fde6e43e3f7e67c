package dev.mcgate.config;

import dev.mcgate.net.IpFamily;
import dev.mcgate.net.IpPrefix;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The resolved {@code defaults} block: what every interface inherits, and what an interface that is not named in the
 * file (see {@link GlobalConfig#unlistedRole()}) gets.
 */
public record InterfaceDefaults(
        IgmpSettings igmp,
        IgmpSettings mld,
        Set<IpFamily> families,
        int ttlThreshold,
        boolean fastLeave,
        PrefixFilter groupFilter,
        PrefixFilter sourceFilter,
        List<IpPrefix> scopeBoundaries,
        boolean repairUdpChecksum,
        CaptureBuffer captureBuffer,
        MembershipLimits limits) {

    /**
     * RFC 3376 timers for IGMPv3 and the same for MLDv2 (RFC 9777 §9 has the same defaults), both families, TTL threshold 1 (forward anything that may leave the box), no fast leave, no filters, no UDP
     * checksum repair, capture buffers sized by role, the default limits.
     */
    public static final InterfaceDefaults BUILT_IN = new InterfaceDefaults(
            IgmpSettings.RFC_DEFAULTS,
            IgmpSettings.MLD_DEFAULTS,
            Set.of(IpFamily.IPV4, IpFamily.IPV6),
            1,
            false,
            PrefixFilter.ALL_GROUPS,
            PrefixFilter.ALL_SOURCES,
            List.of(),
            false,
            CaptureBuffer.AUTO,
            MembershipLimits.DEFAULTS);

    public InterfaceDefaults {
        Objects.requireNonNull(igmp, "igmp");
        Objects.requireNonNull(mld, "mld");
        families = Set.copyOf(families);
        Objects.requireNonNull(captureBuffer, "captureBuffer");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(groupFilter, "groupFilter");
        Objects.requireNonNull(sourceFilter, "sourceFilter");
        scopeBoundaries = List.copyOf(scopeBoundaries);
    }

    /** The configuration of an interface the file does not name, as the daemon discovers it. */
    public InterfaceConfig forInterface(String name, Role role) {
        return new InterfaceConfig(
                name,
                role,
                igmp,
                mld,
                families,
                ttlThreshold,
                fastLeave,
                List.of(),
                groupFilter,
                sourceFilter,
                scopeBoundaries,
                List.of(),
                repairUdpChecksum,
                captureBuffer,
                limits);
    }
}
