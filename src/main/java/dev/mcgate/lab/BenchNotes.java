package dev.mcgate.lab;

import java.util.ArrayList;
import java.util.List;

/**
 * The notes under the bench's table: why a forwarder has no figure for a metric, and how a figure was taken where
 * forwarders are measured differently (the kernel has no process of its own; the tunnel is two gateways).
 */
final class BenchNotes {

    private BenchNotes() {
    }

    /**
     * Adds to each metric's note what applies to the kernel and to the tunnel, from the figures each has: a forwarder
     * without samples gets the reason, one with samples how they were taken where that differs from plain mcgate.
     */
    static void explainGaps(BenchReport report, boolean kernelAvailable, String tunnel,
                            List<BenchPlan.Point> tunnelPoints) {
        for (BenchMetric m : report.metrics()) {
            List<String> parts = new ArrayList<>();
            if (!m.note().isEmpty()) {
                parts.add(m.note());
            }
            String kernel = kernelNote(m.key(), kernelAvailable);
            if (!kernel.isEmpty()) {
                parts.add(kernel);
            }
            String tunnelNote = tunnelNote(m.key(), tunnel, !m.samples(tunnel).isEmpty(), tunnelPoints);
            if (!tunnelNote.isEmpty()) {
                parts.add(tunnelNote);
            }
            m.note(String.join("; ", parts));
        }
    }

    static String kernelNote(String key, boolean kernelAvailable) {
        if (!kernelAvailable) {
            return "kernel n/a: smcroute is not installed";
        }
        if (key.startsWith("join") || key.contains("leave")) {
            return "kernel n/a: smcroute's static routes do not follow joins and leaves";
        }
        if (key.startsWith("rss") || key.startsWith("reports") || key.startsWith("groups")) {
            return "kernel n/a: no process of its own; static routes hold no membership";
        }
        if (key.startsWith("cpu_ns")) {
            return "mcgate: its process's utime+stime; kernel: CPU 1 busy time incl. softirq";
        }
        if (key.startsWith("softirq")) {
            return "both: CPU 1 irq+softirq time (the router's ingress; for the kernel also the forwarding)";
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
            return capacity ? tunnel + " n/a: measured at " + String.join(" and ",
                    points.stream().map(BenchPlan.Point::label).toList()) + " only"
                    : tunnel + " n/a: measured for plain forwarding only";
        }
        if (key.startsWith("capacity_pps")) {
            return tunnel + ": gateways A and B and both their ingress softirqs share CPU 1, so this is what the pair "
                    + "forwards on one core";
        }
        if (key.startsWith("cpu_ns")) {
            return tunnel + ": both gateways' utime+stime (encryption and decryption)";
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
