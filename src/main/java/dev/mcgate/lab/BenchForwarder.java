package dev.mcgate.lab;

import dev.mcgate.net.Ip4;
import dev.mcgate.net.IpAddress;
import java.util.List;
import java.util.OptionalLong;

/**
 * One multicast forwarder the benchmark measures in the router namespace: mcgate with one of its data-plane engines,
 * the kernel's bridge, or the kernel's multicast routing driven by a static-route daemon. Only one runs at a time: they
 * all take the router's interfaces (a capture, bridge ports, the namespace's mroute socket).
 */
interface BenchForwarder {

    /** The column name in the table and the key in the JSON, e.g. {@code mcgate[pcap]}, {@code kernel[smcroute]}. */
    String name();

    /**
     * The namespaces of its receivers 1 and 2, in order: the lab's rx1 and rx2 behind the router, or the one receiver
     * behind the far gateway of a tunnel. The capacity and latency probes count and listen there.
     */
    List<String> receivers();

    /** The interface in each of {@link #receivers()} whose received packets count as forwarded. */
    default String countedInterface() {
        return LabTopology.HOST_IF;
    }

    /** The capacity points it is measured at: those of the plan its receivers can serve. */
    default List<BenchPlan.Point> points(BenchPlan plan) {
        return plan.points().stream()
                .filter(p -> p.receivers() <= receivers().size())
                .toList();
    }

    /** Whether it is measured in this round (1-based) of the plan: every forwarder is, in every round, by default. */
    default boolean measuredIn(int round, BenchPlan plan) {
        return true;
    }

    /** How long the warm-up stream runs before anything is measured: JIT, first-packet paths, routes. */
    default double warmUpSeconds() {
        return 1.0;
    }

    /** True if it forwards what receivers join (IGMP); false for static routes, where join/leave latency is n/a. */
    boolean followsJoins();

    /** Starts it in the router namespace and returns when it forwards. */
    void start() throws LabException;

    /**
     * Tells it which receivers (1, 2) should get which groups. mcgate learns that from the receivers' IGMP and ignores
     * this; a static-route forwarder installs exactly these routes.
     */
    void routeTo(List<Integer> receivers, List<Ip4> groups) throws LabException;

    /**
     * Returns once the receivers' joins of {@code groups} have reached it, where it keeps a state to look at (the
     * bridge's mdb); a forwarder with none returns at once (mcgate: the warm-up stream that precedes every measurement
     * covers its reports).
     */
    default void awaitMembers(List<Integer> receivers, List<? extends IpAddress> groups) throws LabException {}

    /** Router CPU time spent so far, in ns, by this forwarder's own measure (see the README). */
    long cpuNanos() throws LabException;

    /**
     * The resident memory of its process in KiB, empty when it has no single process of its own (the kernel; the
     * tunnel's two gateways).
     */
    OptionalLong residentKib() throws LabException;

    /** Stops it and waits until the router's interfaces are free again. Idempotent. */
    void stop() throws LabException;
}
