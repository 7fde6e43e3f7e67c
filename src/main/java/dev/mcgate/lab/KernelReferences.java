package dev.mcgate.lab;

import dev.mcgate.io.linux.MrouteCheck;
import java.util.ArrayList;
import java.util.List;

/**
 * Which of the kernel's own forwarders this machine can run as the bench's reference: the bridge always (layer 2,
 * driven by IGMP snooping), smcroute's static routes through the kernel's multicast routing (MFC) only where the kernel
 * has multicast routing and smcrouted is installed.
 *
 * @param smcroute whether kernel[smcroute] runs too
 * @param why one line for the operator: which references run, and why one is missing
 */
record KernelReferences(boolean smcroute, String why) {

    static KernelReferences probe() {
        return decide(MrouteCheck.kernelHasMulticastRouting(), SmcrouteUnderTest.available());
    }

    static KernelReferences decide(boolean multicastRouting, boolean smcrouted) {
        if (!multicastRouting) {
            return new KernelReferences(false, "kernel reference: " + BridgeUnderTest.NAME + " only; this kernel has "
                    + "no multicast routing (CONFIG_IP_MROUTE), so " + SmcrouteUnderTest.NAME + " cannot run");
        }
        if (!smcrouted) {
            return new KernelReferences(false, "kernel reference: " + BridgeUnderTest.NAME + " only; smcrouted is not "
                    + "installed (apt-get install smcroute for " + SmcrouteUnderTest.NAME + ")");
        }
        return new KernelReferences(true, "kernel references: " + BridgeUnderTest.NAME + " and "
                + SmcrouteUnderTest.NAME);
    }

    /** The reference columns, the bridge first. */
    List<String> names() {
        List<String> names = new ArrayList<>(List.of(BridgeUnderTest.NAME));
        if (smcroute) {
            names.add(SmcrouteUnderTest.NAME);
        }
        return names;
    }

    /** For the report's machine section: "bridge" or "bridge, smcroute". */
    String describe() {
        return smcroute ? "bridge, smcroute" : "bridge";
    }
}
