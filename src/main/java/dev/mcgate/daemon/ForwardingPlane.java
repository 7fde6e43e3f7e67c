package dev.mcgate.daemon;

import dev.mcgate.config.InterfaceConfig;
import dev.mcgate.config.McgateConfig;
import dev.mcgate.forward.Forwarder;
import dev.mcgate.forward.ForwardingTable;
import dev.mcgate.forward.ForwardingTableBuilder;
import dev.mcgate.forward.InterfaceSpec;
import dev.mcgate.forward.OffloadPlan;
import dev.mcgate.igmp.QuerierListener;
import dev.mcgate.io.InterfacePort;
import dev.mcgate.io.NetInterface;
import dev.mcgate.io.nft.CaptureExclusion;
import dev.mcgate.io.nft.NftAvailability;
import dev.mcgate.net.IpAddress;
import dev.mcgate.net.IpFamily;
import dev.mcgate.proxy.MembershipSnapshot;
import dev.mcgate.time.Loop;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the {@link Forwarder} fed: attaches every open port to it and, on the loop, rebuilds and publishes the
 * forwarding table whenever what it is made of changes (the proxy's membership snapshot, a querier election, a port
 * that opens or closes, an interface's addresses or MTU).
 *
 * <p>Threads: everything here runs on the loop (ports are attached and detached in the loop task that decides it,
 * the nft engine's transactions post back to it); the forwarder reads the published table on the capture threads
 * without a lock.
 */
public final class ForwardingPlane implements QuerierListener {

    private static final Logger LOG = LoggerFactory.getLogger(ForwardingPlane.class);

    /** An open port and its configuration. */
    private record OpenPort(InterfacePort port, InterfaceConfig config) {}

    private final Loop loop;
    private final Forwarder forwarder;
    // Loop thread only:
    private final Map<String, OpenPort> ports = new LinkedHashMap<>();
    /** Per interface, the families whose querier election another router won there. */
    private final Map<String, Set<IpFamily>> notQuerier = new HashMap<>();
    /** The interfaces as last read: subnets (RPF), MTU and MAC change under an open port (DHCP, ip link set mtu). */
    private final Map<String, NetInterface> latest = new HashMap<>();

    private McgateConfig config;
    private MembershipSnapshot memberships = MembershipSnapshot.EMPTY;
    private long generation;
    /** The nft engine, or null: user-space forwarding only. */
    private KernelFastPath kernel;
    /** The last table built, before the kernel's share was taken out of it. */
    private ForwardingTable built = ForwardingTable.EMPTY;
    /** Per arrival port, what its capture leaves out now (the kernel's steady routes there). */
    private final Map<String, Optional<String>> leftOut = new HashMap<>();
    /** Per group, why the kernel does not forward it (said once per change). */
    private Map<IpAddress, String> userSpaceReasons = Map.of();
    /** How many groups newly left in user space one table change names in the log, each on a line of its own. */
    static final int USER_SPACE_LINES_PER_CHANGE = 5;

    public ForwardingPlane(McgateConfig config, Loop loop, Forwarder forwarder) {
        this.config = config;
        this.loop = loop;
        this.forwarder = forwarder;
    }

    public Forwarder forwarder() {
        return forwarder;
    }

    /**
     * Before the first port opens: the kernel forwards every route it can, and after each of its transactions the
     * table is published again so the forwarder leaves exactly the kernel's flows alone.
     */
    public void offloadTo(KernelFastPath fastPath) {
        kernel = fastPath;
        fastPath.afterTransaction(() -> loop.post("nft:republish", this::republish));
    }

    /** Loop thread: the kernel committed or gave up; the forwarder's share follows. */
    private void republish() {
        if (kernel != null) {
            forwarder.publish(built.withOffload(kernel.cover()));
            fitCaptures();
        }
    }

    /**
     * Loop thread: each arrival's capture leaves out the kernel's routes there once the kernel carries exactly the
     * plan wanted, and takes everything in again while a change is under way (the forwarder's cover then decides).
     */
    private void fitCaptures() {
        Optional<OffloadPlan> steady = kernel.steadyPlan();
        for (OpenPort p : ports.values()) {
            String name = p.config().name();
            Optional<String> now = steady.flatMap(plan -> CaptureExclusion.of(plan, name));
            if (!now.equals(leftOut.getOrDefault(name, Optional.empty()))
                    && p.port().leaveOutOfCapture(now)) {
                leftOut.put(name, now);
            }
        }
    }

    /** Why the kernel cannot forward to or from an interface, or empty if it can. */
    private Optional<String> kernelRefusal(String name) {
        OpenPort p = ports.get(name);
        if (p == null) {
            return Optional.of("not open");
        }
        return NftAvailability.interfaceRefusal(
                latest.getOrDefault(name, p.port().netInterface()), p.port().linkType());
    }

    /** Loop thread (the registry and the tunnels attach ports in the loop task that decides it). */
    public void portOpened(InterfaceConfig ic, InterfacePort port) {
        forwarder.attach(port);
        ports.put(ic.name(), new OpenPort(port, ic));
        rebuild();
    }

    /** Loop thread: every interface as now read (subnets, MTU and MAC change under an open port). */
    public void interfacesSeen(Collection<NetInterface> present) {
        Map<String, NetInterface> now = new HashMap<>();
        present.forEach(nif -> now.put(nif.name(), nif));
        if (!now.equals(latest)) {
            latest.clear();
            latest.putAll(now);
            rebuild();
        }
    }

    /** Loop thread: the port is about to close; it leaves the table, then the forwarder lets go of it. */
    public void portClosing(InterfaceConfig ic, InterfacePort port) {
        OpenPort p = ports.get(ic.name());
        if (p != null && p.port() == port) {
            ports.remove(ic.name());
            notQuerier.remove(ic.name());
            leftOut.remove(ic.name());
            rebuild();
        }
        forwarder.detach(port);
    }

    /**
     * Loop thread: a reload. The ports of interfaces that are no longer wanted, or whose role changed, leave the
     * table now (their ports close after this); the others take their new configuration. One table is built and
     * published for all of it, so the flows that did not change never miss a packet.
     *
     * @param wanted the interfaces to work on under the new configuration, by name
     */
    public void reconfigure(McgateConfig newConfig, Map<String, InterfaceConfig> wanted) {
        config = newConfig;
        for (String name : java.util.List.copyOf(ports.keySet())) {
            OpenPort p = ports.get(name);
            InterfaceConfig now = wanted.get(name);
            if (now == null || now.role() != p.config().role()) {
                ports.remove(name);
                notQuerier.remove(name);
            } else {
                ports.put(name, new OpenPort(p.port(), now));
            }
        }
        rebuild();
    }

    /** Loop thread: the proxy published what each downstream wants. */
    public void onMemberships(MembershipSnapshot snapshot) {
        memberships = snapshot;
        rebuild();
    }

    /** Loop thread: one forwarder per LAN (RFC 4605 §4.2): a downstream where another router is querier gets none. */
    @Override
    public void querierChanged(String interfaceName, IpAddress querierAddress, boolean thisRouter) {
        Set<IpFamily> lost = notQuerier.computeIfAbsent(interfaceName, n -> EnumSet.noneOf(IpFamily.class));
        if (thisRouter) {
            lost.remove(querierAddress.family());
        } else {
            lost.add(querierAddress.family());
        }
        rebuild();
    }

    private void rebuild() {
        ForwardingTableBuilder builder = ForwardingTableBuilder.forConfig(config);
        for (OpenPort p : ports.values()) {
            // Until an election says otherwise a router starts as querier (RFC 3376 §6.6).
            NetInterface nif = latest.getOrDefault(p.config().name(), p.port().netInterface());
            Set<IpFamily> lost = notQuerier.getOrDefault(p.config().name(), Set.of());
            builder.add(InterfaceSpec.of(nif, p.config())
                    .withQuerier(IpFamily.IPV4, !lost.contains(IpFamily.IPV4))
                    .withQuerier(IpFamily.IPV6, !lost.contains(IpFamily.IPV6))
                    .withRepairUdpChecksum(p.config().repairUdpChecksum())
                    .withCarriesLocalSources(p.port().carriesLocalSources()));
        }
        memberships.downstreams().forEach((name, groups) -> {
            if (ports.containsKey(name)) {
                builder.membership(name, groups);
            }
        });
        ForwardingTable table = builder.generation(++generation).build();
        built = table;
        if (kernel != null) {
            OffloadPlan plan = table.offloadPlan(this::kernelRefusal);
            tellUserSpaceReasons(plan.notOffloaded());
            table = table.withOffload(kernel.desire(plan));
            fitCaptures();
        }
        forwarder.publish(table);
    }

    /**
     * One line per group whose reason to stay in user space is new, for the first few of a table change, then one line
     * with how many more: the operator chose the nft engine and should hear why, but 10 000 groups joined at once must
     * not make 10 000 lines (seen in the bench's membership load).
     */
    private void tellUserSpaceReasons(Map<IpAddress, String> now) {
        int told = 0;
        int untold = 0;
        for (Map.Entry<IpAddress, String> e : now.entrySet()) {
            if (e.getValue().equals(userSpaceReasons.get(e.getKey()))) {
                continue;
            }
            if (told < USER_SPACE_LINES_PER_CHANGE) {
                LOG.info("packet-io nft: {} is forwarded in user space: {}", e.getKey(), e.getValue());
                told++;
            } else {
                untold++;
            }
        }
        if (untold > 0) {
            LOG.info("packet-io nft: {} more groups are forwarded in user space ('mcgate routes' shows each)", untold);
        }
        userSpaceReasons = Map.copyOf(now);
    }
}
