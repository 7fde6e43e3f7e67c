package dev.mcgate.lab;

import dev.mcgate.io.linux.MrouteCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which of the kernel's own forwarders this machine can run as the bench's reference: the bridge always (layer 2,
 * driven by IGMP snooping), smcroute's static routes through the kernel's multicast routing (MFC) only where the kernel
 * has multicast routing and smcrouted is installed.
 *
 * <p>The IPv6 rows have the bridge only: smcroute's IPv6 routes need the kernel's IPv6 multicast routing
 * ({@code CONFIG_IPV6_MROUTE}), which the test machines' kernel lacks, so the bench gives smcroute IPv4 routes only.
 *
 * @param smcrouteAbsent why kernel[smcroute] cannot run here; empty when it runs
 * @param smcroute6Absent why kernel[smcroute] has no IPv6 rows
 */
record KernelReferences(Optional<String> smcrouteAbsent, String smcroute6Absent) {

    static KernelReferences probe() {
        return decide(
                MrouteCheck.kernelHasMulticastRouting(),
                Files.exists(Path.of("/proc/net/ip6_mr_vif")),
                SmcrouteUnderTest.available());
    }

    /**
     * @param multicastRouting6 whether the kernel has IPv6 multicast routing: {@code /proc/net/ip6_mr_vif} exists
     *                          exactly when it was built with {@code CONFIG_IPV6_MROUTE}
     */
    static KernelReferences decide(boolean multicastRouting, boolean multicastRouting6, boolean smcrouted) {
        String absent6 = multicastRouting6
                ? "the bench gives " + SmcrouteUnderTest.NAME + " IPv4 routes only"
                : "this kernel has no IPv6 multicast routing (CONFIG_IPV6_MROUTE), so " + SmcrouteUnderTest.NAME
                        + " cannot forward IPv6";
        if (!multicastRouting) {
            return new KernelReferences(
                    Optional.of("this kernel has no multicast routing (CONFIG_IP_MROUTE), so " + SmcrouteUnderTest.NAME
                            + " cannot run"),
                    absent6);
        }
        if (!smcrouted) {
            return new KernelReferences(
                    Optional.of(
                            "smcrouted is not installed (apt-get install smcroute for " + SmcrouteUnderTest.NAME + ")"),
                    absent6);
        }
        return new KernelReferences(Optional.empty(), absent6);
    }

    /** Whether kernel[smcroute] runs too. */
    boolean smcroute() {
        return smcrouteAbsent.isEmpty();
    }

    /** One line for the operator: which references run, and why one is missing. */
    String why() {
        return smcrouteAbsent
                .map(reason -> "kernel reference: " + BridgeUnderTest.NAME + " only; " + reason)
                .orElse("kernel references: " + BridgeUnderTest.NAME + " and " + SmcrouteUnderTest.NAME);
    }

    /** The reference columns, the bridge first. */
    List<String> names() {
        List<String> names = new ArrayList<>(List.of(BridgeUnderTest.NAME));
        if (smcroute()) {
            names.add(SmcrouteUnderTest.NAME);
        }
        return names;
    }

    /** For the report's machine section: "bridge" or "bridge, smcroute". */
    String describe() {
        return smcroute() ? "bridge, smcroute" : "bridge";
    }
}
