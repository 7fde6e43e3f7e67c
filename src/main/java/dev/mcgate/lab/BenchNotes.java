package dev.mcgate.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The notes under the bench's table: why a forwarder has no figure for a metric, and how a figure was taken where
 * forwarders are measured differently (the kernel has no process of its own; the tunnel is two gateways).
 */
final class BenchNotes {

    private BenchNotes() {}

    /**
     * Adds to each metric's note what applies to the kernel and to the tunnel, from the figures each has: a forwarder
     * without samples gets the reason, one with samples how they were taken where that differs from plain mcgate.
     */
    static void explainGaps(
            BenchReport report, KernelReferences kernel, String tunnel, List<BenchPlan.Point> tunnelPoints) {
        for (BenchMetric m : report.metrics()) {
            List<String> parts = new ArrayList<>();
            if (!m.note().isEmpty()) {
                parts.add(m.note());
            }
            String kernelNote = kernelNote(m.key(), kernel);
            if (!kernelNote.isEmpty()) {
                parts.add(kernelNote);
            }
            String ceilingNote =
                    ceilingNote(m.key(), !m.samples(SenderCeiling.NAME).isEmpty());
            if (!ceilingNote.isEmpty()) {
                parts.add(ceilingNote);
            }
            String tunnelNote = tunnelNote(m.key(), tunnel, !m.samples(tunnel).isEmpty(), tunnelPoints);
            if (!tunnelNote.isEmpty()) {
                parts.add(tunnelNote);
            }
            m.note(String.join("; ", parts));
        }
    }

    static String kernelNote(String key, KernelReferences kernel) {
        List<String> parts = new ArrayList<>();
        if (key.startsWith("capacity_pps")) {
            // IPv6 rows give the IPv6 reason, which holds whether or not smcroute runs for IPv4.
            (isIpv6(key) ? Optional.of(kernel.smcroute6Absent()) : kernel.smcrouteAbsent())
                    .ifPresent(reason -> parts.add(SmcrouteUnderTest.NAME + " n/a: " + reason));
        }
        if (key.startsWith("join") || key.contains("leave")) {
            parts.add("kernel n/a: measured for mcgate only (the bridge's snooping follows joins, but the probe drives "
                    + "mcgate's own configuration; smcroute's static routes do not follow them at all)");
        } else if (key.startsWith("rss") || key.startsWith("reports") || key.startsWith("groups")) {
            parts.add("kernel n/a: no process of its own");
        } else if (key.startsWith("cpu_ns")) {
            parts.add("all: CPU 1 busy time (user, system, irq, softirq), where the router's work runs");
        } else if (key.startsWith("softirq")) {
            parts.add("all: CPU 1 irq+softirq time (the router's ingress; for the kernel also the forwarding)");
        }
        return String.join("; ", parts);
    }

    /** Whether a metric key is one of an IPv6 capacity point ({@link BenchPlan.Point#key()}). */
    static boolean isIpv6(String key) {
        return key.contains(".ipv6.");
    }

    /** How the sender's ceiling was taken, on the rates it has; why it has no figure elsewhere is plain. */
    static String ceilingNote(String key, boolean measured) {
        if (measured && key.startsWith("capacity_pps")) {
            return SenderCeiling.NAME + ": the sender over one link, no router (per payload size, 1 group), the "
                    + "highest rate it delivers; a rate marked * is within 5 % of it";
        }
        return "";
    }

    /**
     * @param measured whether the tunnel has samples for this metric
     * @param points the capacity points the tunnel is measured at
     */
    static String tunnelNote(String key, String tunnel, boolean measured, List<BenchPlan.Point> points) {
        boolean capacity = key.startsWith("capacity_pps") || key.startsWith("cpu_ns") || key.startsWith("softirq");
        if (!measured) {
            return capacity
                    ? tunnel + " n/a: measured at "
                            + String.join(
                                    " and ",
                                    points.stream().map(BenchPlan.Point::label).toList()) + " only"
                    : tunnel + " n/a: measured for plain forwarding only";
        }
        if (key.startsWith("capacity_pps")) {
            return tunnel + ": gateways A and B and both their ingress softirqs share CPU 1, so this is what the pair "
                    + "forwards on one core";
        }
        if (key.startsWith("cpu_ns")) {
            return tunnel + ": both gateways, their encryption and decryption and both ingress softirqs";
        }
        if (key.startsWith("softirq")) {
            return tunnel + ": includes gateway B's ingress";
        }
        if (key.startsWith("latency_path") || key.startsWith("latency_added")) {
            return tunnel + ": two user-space hops (gateway A, gateway B) and the link between them";
        }
        return "";
    }
}
