package dev.mcgate.lab;

import dev.mcgate.net.Ip4;
import dev.mcgate.net.IpAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The kernel's own multicast forwarding at layer 2, as the benchmark's reference on every kernel: a Linux bridge in the
 * router namespace with up0, down1 and down2 as its ports, IGMP snooping on, the bridge as querier, and ports that get
 * only what its multicast database (mdb) lists, so the receivers' joins drive it as they drive mcgate. It does less per
 * packet than a router (no TTL or MAC rewrite, no RPF), so it is the stricter reference. Its CPU cost is the busy time
 * of the router CPU, softirq included.
 *
 * <p>The ports keep their addresses and routes while enslaved, and get them back in use when the bridge is deleted.
 */
final class BridgeUnderTest implements BenchForwarder {

    static final String NAME = "kernel[bridge]";
    static final String BRIDGE_IF = "mcgbr0";
    /** The bridge querier's query response interval, in centiseconds (iproute2's unit): 1 s. */
    static final int QUERY_RESPONSE_CENTISECONDS = 100;
    /** How long after start the bridge forwards by its mdb: one query response interval and a margin. */
    private static final long FORWARDS_AFTER_MILLIS = QUERY_RESPONSE_CENTISECONDS * 10L + 300;
    /**
     * The bridge's own IPv6 link-local address, the source of its MLD queries (RFC 9777 §5.1.14). Without a usable one
     * the kernel's bridge sends no MLD query, counts no MLD querier, and then ignores its IPv6 mdb.
     */
    static final String LINK_LOCAL = "fe80::b1";
    /** How long the receivers' joins may take to show up in the mdb: a lost first report is repeated after 1 s. */
    private static final long MEMBERS_TIMEOUT_MILLIS = 5_000;

    private final LabTopology topology;
    private boolean up;

    BridgeUnderTest(LabTopology topology) {
        this.topology = topology;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> receivers() {
        return topology.receivers();
    }

    @Override
    public boolean followsJoins() {
        return true;
    }

    /** The iproute2 commands that build the bridge, in order; each is run with {@code ip -n ROUTER_NS}. */
    static List<List<String>> setUpCommands() {
        List<List<String>> c = new ArrayList<>();
        // The querier speaks IGMPv3 (and MLDv2): a v2 query would push the receivers' kernels into IGMPv2 mode for
        // minutes, and the forwarders measured after the bridge would see v2 reports (the bench lab forces IGMPv3 on
        // the receivers as well).
        // Until one query response interval has passed since its querier was switched on, the bridge does not trust
        // its mdb and floods instead, which with flooding off sends to no port (seen here: ~10 s with the default).
        // So the interval is 1 s, and set before the querier: the kernel arms that delay when the querier goes on.
        c.add(List.of(
                "link",
                "add",
                BRIDGE_IF,
                "type",
                "bridge",
                "mcast_snooping",
                "1",
                "mcast_query_response_interval",
                Integer.toString(QUERY_RESPONSE_CENTISECONDS),
                "mcast_igmp_version",
                "3",
                "mcast_mld_version",
                "2"));
        c.add(List.of("link", "set", BRIDGE_IF, "type", "bridge", "mcast_querier", "1"));
        for (String port : ports()) {
            c.add(List.of("link", "set", port, "master", BRIDGE_IF));
        }
        // Before the bridge goes up, and without duplicate address detection: the kernel's own link-local address
        // would stay tentative for a second, too late for the querier's first MLD query, and the next comes only after
        // the startup query interval (31 s).
        c.add(List.of("-6", "addr", "add", LINK_LOCAL + "/64", "dev", BRIDGE_IF, "nodad"));
        c.add(List.of("link", "set", BRIDGE_IF, "up"));
        return c;
    }

    /** up0 first: the bridge ports, in the lab's order. */
    static List<String> ports() {
        List<String> ports = new ArrayList<>();
        LabTopology.LINKS.forEach(l -> ports.add(l.routerIf()));
        return ports;
    }

    @Override
    public void start() throws LabException {
        up = true;
        for (List<String> command : setUpCommands()) {
            List<String> full = new ArrayList<>(List.of("ip", "-n", topology.router()));
            full.addAll(command);
            Shell.run(full.toArray(String[]::new));
        }
        // Unregistered multicast is flooded by default; with flooding off, a port gets a group only once a receiver
        // behind it has joined (an mdb entry), as a router's downstream would.
        for (String port : ports()) {
            Shell.run(
                    "ip",
                    "netns",
                    "exec",
                    topology.router(),
                    "bridge",
                    "link",
                    "set",
                    "dev",
                    port,
                    "mcast_flood",
                    "off");
        }
        CapacityProbe.sleep(FORWARDS_AFTER_MILLIS);
    }

    /** The receivers' joins drive the bridge's mdb; static routes are not needed. */
    @Override
    public void routeTo(List<Integer> receivers, List<Ip4> groups) {}

    /**
     * Waits until {@code bridge mdb show} lists every group on every receiver's port: a measurement before that would
     * find a bridge that forwards nothing (flooding is off).
     */
    @Override
    public void awaitMembers(List<Integer> receivers, List<? extends IpAddress> groups) throws LabException {
        Set<String> wanted = new HashSet<>();
        for (int rx : receivers) {
            groups.forEach(g -> wanted.add(mdbEntry(LabTopology.receiverLink(rx).routerIf(), g)));
        }
        long deadline = System.nanoTime() + MEMBERS_TIMEOUT_MILLIS * 1_000_000;
        String mdb;
        do {
            mdb = Shell.run("ip", "netns", "exec", topology.router(), "bridge", "mdb", "show");
            if (mdbEntries(mdb).containsAll(wanted)) {
                return;
            }
            CapacityProbe.sleep(50);
        } while (System.nanoTime() < deadline);
        Set<String> missing = new HashSet<>(wanted);
        missing.removeAll(mdbEntries(mdb));
        throw new LabException(NAME + ": after " + MEMBERS_TIMEOUT_MILLIS + " ms its mdb still lacks " + missing
                + "; it lists: " + mdb.strip());
    }

    /**
     * The port and group of each line of {@code bridge mdb show}, e.g. {@code dev mcgbr0 port down1 grp ff1e::ef07:0
     * temp}, as {@link #mdbEntry}: the group parsed, so that either family's text form compares by value.
     */
    static Set<String> mdbEntries(String mdbShow) {
        Set<String> entries = new HashSet<>();
        for (String line : mdbShow.split("\n")) {
            List<String> words = List.of(line.strip().split("\\s+"));
            int port = words.indexOf("port");
            int grp = words.indexOf("grp");
            if (port >= 0 && grp >= 0 && port + 1 < words.size() && grp + 1 < words.size()) {
                try {
                    entries.add(mdbEntry(words.get(port + 1), IpAddress.parse(words.get(grp + 1))));
                } catch (IllegalArgumentException notAnAddress) {
                    // a layer-2 entry (a MAC address) or a format this parser does not know: not a receiver's join
                }
            }
        }
        return entries;
    }

    static String mdbEntry(String port, IpAddress group) {
        return port + " " + group;
    }

    @Override
    public long cpuNanos() throws LabException {
        return BenchProcesses.routerCpuBusyNanos();
    }

    @Override
    public OptionalLong residentKib() {
        return OptionalLong.empty();
    }

    @Override
    public void stop() throws LabException {
        if (!up) {
            return;
        }
        up = false;
        // Deleting the bridge releases its ports, with their addresses and routes, for the next forwarder; a bridge
        // left behind would forward beside it.
        Shell.run("ip", "-n", topology.router(), "link", "del", BRIDGE_IF);
    }
}
