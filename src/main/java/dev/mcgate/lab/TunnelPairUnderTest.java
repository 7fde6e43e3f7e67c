package dev.mcgate.lab;

import dev.mcgate.net.Ip4;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * mcgate's tunnel as a forwarder under test: gateway A in the router namespace sends the flows gateway B's receiver
 * wants through the encrypted tunnel; gateway B sends them out again as multicast. Both run on the router CPU, so its
 * CPU per packet is the cost of both ends.
 */
final class TunnelPairUnderTest implements BenchForwarder {

    private final String name;
    private final McgateUnderTest gatewayA;
    private final McgateUnderTest gatewayB;
    private final Path gatewayASocket;

    /**
     * @param engine the data-plane engine both gateways use
     * @param javaCommand java and its class path, up to and including the main class
     */
    TunnelPairUnderTest(LabBench.Engine engine, BenchLab lab, List<String> javaCommand) {
        this.name = name(engine);
        LabTopology topology = lab.topology();
        List<String> receivers = List.of(BenchTunnelPath.receiver(topology));
        this.gatewayA = new McgateUnderTest(
                name + " gateway A",
                topology.router(),
                receivers,
                javaCommand,
                engine.runArguments(),
                lab.gatewayAConfig(),
                lab.directory().resolve("gateway-a.log"));
        this.gatewayASocket = BenchTunnelPath.gatewayASocket(lab.directory());
        this.gatewayB = new McgateUnderTest(
                name + " gateway B",
                BenchTunnelPath.gatewayB(topology),
                receivers,
                javaCommand,
                engine.runArguments(),
                lab.gatewayBConfig(),
                lab.directory().resolve("gateway-b.log"));
    }

    /** {@code mcgate[pcap]} tunnels as {@code mcgate-tunnel[pcap]}. */
    static String name(LabBench.Engine engine) {
        return engine.name().replaceFirst("^mcgate", "mcgate-tunnel");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<String> receivers() {
        return gatewayA.receivers();
    }

    @Override
    public List<BenchPlan.Point> points(BenchPlan plan) {
        return plan.tunnelPoints();
    }

    /** Every round, or the last only where the plan says so (--quick). */
    @Override
    public boolean measuredIn(int round, BenchPlan plan) {
        return plan.tunnelEveryRound() || round == plan.rounds();
    }

    /** Two JVMs compile their paths on the one router CPU, and B's first membership must cross the tunnel. */
    @Override
    public double warmUpSeconds() {
        return 2.0;
    }

    @Override
    public boolean followsJoins() {
        return true;
    }

    /**
     * Both JVMs start at once; it forwards once A has B's session (B's membership only crosses after that), which A's
     * control socket tells.
     */
    @Override
    public void start() throws LabException {
        try {
            gatewayB.launch();
            gatewayA.launch();
            gatewayB.awaitLine(McgateUnderTest.READY);
            gatewayA.awaitLine(McgateUnderTest.READY);
            gatewayA.awaitTunnelUp(gatewayASocket, BenchTunnelPath.TUNNEL);
        } catch (LabException e) {
            stop();
            throw e;
        }
    }

    @Override
    public void routeTo(List<Integer> receivers, List<Ip4> groups) {
        // Gateway B learns them from its receiver's IGMP and asks A through the tunnel: nothing to install.
    }

    /** CPU 1's busy time: both gateways and both their ingress softirqs run there. */
    @Override
    public long cpuNanos() throws LabException {
        return BenchProcesses.routerCpuBusyNanos();
    }

    @Override
    public OptionalLong residentKib() {
        return OptionalLong.empty();
    }

    @Override
    public void stop() {
        gatewayA.stop();
        gatewayB.stop();
    }
}
