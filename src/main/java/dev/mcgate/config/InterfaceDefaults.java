package dev.mcgate.config;

import dev.mcgate.net.Ip4Prefix;
import java.util.List;
import java.util.Objects;

/**
 * The resolved {@code defaults} block: what every interface inherits, and what an interface that is not named in the
 * file (see {@link GlobalConfig#unlistedRole()}) gets.
 */
public record InterfaceDefaults(
        IgmpSettings igmp,
        int ttlThreshold,
        boolean fastLeave,
        PrefixFilter groupFilter,
        PrefixFilter sourceFilter,
        List<Ip4Prefix> scopeBoundaries,
        boolean repairUdpChecksum,
        CaptureBuffer captureBuffer,
        MembershipLimits limits) {

    /**
     * RFC 3376 timers, TTL threshold 1 (forward anything that may leave the box), no fast leave, no filters, no UDP
     * checksum repair, capture buffers sized by role, the default limits.
     */
    public static final InterfaceDefaults BUILT_IN = new InterfaceDefaults(
            IgmpSettings.RFC_DEFAULTS,
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
