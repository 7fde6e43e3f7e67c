package dev.mcgate.lab;

import dev.mcgate.net.Ip4;
import java.util.List;
import java.util.OptionalLong;

/**
 * The sender's ceiling: what trafgen delivers over one link with no router, the source's eth0 to the router
 * namespace's up0 (whose IP input drops the datagrams), with no forwarder running. A forwarder's rate within 5 % of it
 * is the sender's limit, not the forwarder's. Measured like a forwarder so the figures compare step for step.
 */
final class SenderCeiling implements BenchForwarder {

    static final String NAME = "ceiling[trafgen]";

    private final LabTopology topology;

    SenderCeiling(LabTopology topology) {
        this.topology = topology;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Counted in the router namespace, on up0: the far end of the source's link. */
    @Override
    public List<String> receivers() {
        return List.of(topology.router());
    }

    @Override
    public String countedInterface() {
        return LabTopology.UPSTREAM_IF;
    }

    @Override
    public boolean followsJoins() {
        return false;
    }

    @Override
    public void start() {}

    @Override
    public void routeTo(List<Integer> receivers, List<Ip4> groups) {}

    /** No forwarder, no cost of one. */
    @Override
    public long cpuNanos() {
        return 0;
    }

    @Override
    public OptionalLong residentKib() {
        return OptionalLong.empty();
    }

    @Override
    public void stop() {}
}
