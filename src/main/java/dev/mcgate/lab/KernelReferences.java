package dev.mcgate.lab;

import dev.mcgate.io.linux.MrouteCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which of the kernel's own forwarders this machine can run as the bench's reference: the bridge always (layer 2,
 * driven by IGMP snooping), smcroute's static routes through the kernel's multicast routing (MFC) only where the kernel
 * has multicast routing and smcrouted is installed.
 *
 * @param smcrouteAbsent why kernel[smcroute] cannot run here; empty when it runs
 */
record KernelReferences(Optional<String> smcrouteAbsent) {

    static KernelReferences probe() {
        return decide(MrouteCheck.kernelHasMulticastRouting(), SmcrouteUnderTest.available());
    }

    static KernelReferences decide(boolean multicastRouting, boolean smcrouted) {
        if (!multicastRouting) {
            return new KernelReferences(Optional.of("this kernel has no multicast routing (CONFIG_IP_MROUTE), so "
                    + SmcrouteUnderTest.NAME + " cannot run"));
        }
        if (!smcrouted) {
            return new KernelReferences(Optional.of(
                    "smcrouted is not installed (apt-get install smcroute for " + SmcrouteUnderTest.NAME + ")"));
        }
        return new KernelReferences(Optional.empty());
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
