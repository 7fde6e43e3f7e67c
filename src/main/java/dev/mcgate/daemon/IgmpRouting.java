package dev.mcgate.daemon;

import dev.mcgate.config.InterfaceConfig;
import dev.mcgate.config.Role;
import dev.mcgate.igmp.QuerierListener;
import dev.mcgate.igmp.RouterInterface;
import dev.mcgate.igmp.RouterSnapshot;
import dev.mcgate.io.FrameHandler;
import dev.mcgate.io.InterfacePort;
import dev.mcgate.io.NetInterface;
import dev.mcgate.io.linux.MulticastFilter;
import dev.mcgate.net.Ip4;
import dev.mcgate.packet.IgmpMessage;
import dev.mcgate.packet.MembershipQuery;
import dev.mcgate.proxy.ProxyCore;
import dev.mcgate.packet.LinkType;
import dev.mcgate.time.Loop;
import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The IGMP side of the daemon: one {@link RouterInterface} per open downstream port, and the proxy's host side on
 * each open upstream port (RFC 4605), all owned by the event loop.
 *
 * <p>Threads: capture threads decode in {@link #frameHandler()} and post each message to the loop; the thread that
 * opens or closes a port (main, or the interface watcher) calls {@link #portOpened} / {@link #portClosing}, which
 * set up the interface's multicast filter there and create or stop its router on the loop, waiting for it. Every
 * router's state is touched on the loop only.
 */
public final class IgmpRouting implements Daemon.PortListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IgmpRouting.class);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);
    /** Hosts send v3 reports to 224.0.0.22 and v2 leaves to 224.0.0.2 (RFC 3376 §4.2.14, RFC 2236 §3). */
    private static final List<dev.mcgate.net.MacAddress> ROUTER_MACS = List.of(MulticastFilter.ALL_IGMPV3_ROUTERS,
            MulticastFilter.ALL_ROUTERS);

    /** A downstream interface at work: its port, router, sender and filter. Loop thread only. */
    private record Downstream(InterfacePort port, RouterInterface router, PortIgmpSender sender,
            Optional<MulticastFilter> filter, InterfaceConfig config) {
    }

    /** An upstream interface at work: its port, sender and filter. Loop thread only. */
    private record Upstream(InterfacePort port, PortIgmpSender sender, Optional<MulticastFilter> filter) {
    }

    private final Loop loop;
    private final ProxyCore proxy;
    private final MembershipLog log;
    private final LocalAddresses localAddresses = new LocalAddresses();
    private final IgmpIntake intake;
    private final Map<String, Downstream> downstreams = new LinkedHashMap<>();
    private final Map<String, Upstream> upstreams = new LinkedHashMap<>();
    private volatile boolean closed;

    /**
     * @param proxy merges the downstream memberships and reports them upstream; started here, on the loop
     * @param querierChanges told of each querier election result (the forwarding plane)
     * @param dataPlane where captured frames that are not IGMP go (the forwarder)
     */
    public IgmpRouting(Loop loop, ProxyCore proxy, QuerierListener querierChanges, FrameHandler dataPlane) {
        this.loop = loop;
        this.proxy = proxy;
        this.log = new MembershipLog(proxy, querierChanges, loop);
        this.intake = new IgmpIntake(localAddresses::contains, this::heard, dataPlane);
        onLoop(() -> {
            proxy.start();
            return null;
        }, "proxy");
    }

    /** What the ports hand their captured frames to. */
    public FrameHandler frameHandler() {
        return intake;
    }

    public IgmpIntake intake() {
        return intake;
    }

    /** The IGMP senders' counters of every open interface. Loop thread. */
    public void recordSenderCounters(dev.mcgate.counters.CounterRecorder out) {
        downstreams.values().forEach(d -> d.sender().recordInto(out));
        upstreams.values().forEach(u -> u.sender().recordInto(out));
    }

    @Override
    public void interfacesSeen(Collection<NetInterface> present) {
        localAddresses.update(present);
        Map<String, Ip4> primary = new LinkedHashMap<>();
        present.forEach(nif -> primary.put(nif.name(), nif.primaryAddress().orElse(Ip4.ANY)));
        onLoop(() -> {
            readdress(primary);
            return null;
        }, "interfaces");
    }

    /**
     * Loop thread: a downstream whose primary address changed gets a new router on the new address (querier election
     * and the queries' source depend on it); its groups are withdrawn and learnt again from the hosts' answers.
     */
    private void readdress(Map<String, Ip4> primary) {
        for (Map.Entry<String, Upstream> e : List.copyOf(upstreams.entrySet())) {
            Upstream u = e.getValue();
            Ip4 now = primary.get(e.getKey());
            if (now != null && !now.equals(u.sender().source())) {
                LOG.info("upstream {}: address changed to {}; reporting from it", e.getKey(), now);
                addUpstream(e.getKey(), u.port(), now, u.filter());
            }
        }
        for (Map.Entry<String, Downstream> e : List.copyOf(downstreams.entrySet())) {
            Downstream d = e.getValue();
            Ip4 now = primary.get(e.getKey());
            if (now != null && !now.equals(d.router().address())) {
                LOG.info("{}: address changed to {}; restarting its IGMP router", e.getKey(), now);
                d.router().stop();
                PortIgmpSender sender = new PortIgmpSender(d.port(), now);
                RouterInterface router = newRouter(d.config(), now, sender);
                downstreams.put(e.getKey(), new Downstream(d.port(), router, sender, d.filter(), d.config()));
                router.start();
            }
        }
    }

    /**
     * Loop thread: a reload changed the configuration of some downstreams (their role is unchanged; the ports of the
     * others are closed and reopened by the daemon). Timers and fast leave change in place, each timer taking the new
     * values when it is next armed; a new IGMP version needs a new router, which withdraws the groups and learns
     * them again from the hosts' answers to its startup queries. Upstream settings are the proxy's
     * ({@link ProxyCore#reconfigure}).
     *
     * @return one line per router changed, for the reload's outcome
     */
    public List<String> reconfigure(Map<String, InterfaceConfig> wanted) {
        List<String> done = new java.util.ArrayList<>();
        for (Map.Entry<String, Downstream> e : List.copyOf(downstreams.entrySet())) {
            Downstream d = e.getValue();
            InterfaceConfig now = wanted.get(e.getKey());
            if (now == null || now.role() != Role.DOWNSTREAM || now.equals(d.config())) {
                continue;
            }
            boolean igmpChanged = !now.igmp().equals(d.config().igmp()) || now.fastLeave() != d.config().fastLeave();
            RouterInterface router = d.router();
            if (now.igmp().version() != d.config().igmp().version()) {
                router.stop();
                router = newRouter(now, d.router().address(), d.sender());
                router.start();
                done.add(e.getKey() + ": IGMPv" + now.igmp().version() + " router restarted; groups are learnt again");
            } else if (igmpChanged) {
                router.reconfigure(now.igmp(), now.fastLeave());
                done.add(e.getKey() + ": IGMP timers and fast leave take their new values at each timer's next start");
            }
            downstreams.put(e.getKey(), new Downstream(d.port(), router, d.sender(), d.filter(), now));
        }
        return done;
    }

    @Override
    public void portOpened(InterfaceConfig ic, InterfacePort port) {
        if (closed || ic.role() != Role.UPSTREAM && ic.role() != Role.DOWNSTREAM) {
            return;
        }
        NetInterface nif = port.netInterface();
        // A downstream must hear 224.0.0.22 and 224.0.0.2, and every group its own sources send to (ALLMULTI, as the
        // kernel sets on its multicast routing interfaces); an upstream the groups it joins (added as it joins them).
        boolean downstream = ic.role() == Role.DOWNSTREAM;
        Optional<MulticastFilter> f = port.linkType() == LinkType.ETHERNET
                ? openFilter(nif, downstream ? ROUTER_MACS : List.of(), downstream) : Optional.empty();
        Callable<Boolean> setUp = ic.role() == Role.DOWNSTREAM ? () -> attach(ic, port, f)
                : () -> addUpstream(ic.name(), port, nif.primaryAddress().orElse(Ip4.ANY), f);
        if (onLoop(setUp, ic.name()).isEmpty()) {
            f.ifPresent(MulticastFilter::close);
        }
    }

    @Override
    public void portClosing(InterfaceConfig ic, InterfacePort port) {
        onLoop(() -> ic.role() == Role.UPSTREAM ? removeUpstream(ic.name(), port) : detach(ic.name(), port),
                ic.name()).ifPresent(MulticastFilter::close);
    }

    /**
     * Loop thread: (re)starts the host side of an upstream, reporting from {@code address} (RFC 3376 §4.2.13 allows
     * 0.0.0.0 from an interface without an address yet); every group it serves is reported at once.
     */
    private boolean addUpstream(String name, InterfacePort port, Ip4 address, Optional<MulticastFilter> filter) {
        PortIgmpSender sender = new PortIgmpSender(port, address);
        upstreams.put(name, new Upstream(port, sender, filter));
        proxy.addUpstream(name, sender, filter.<dev.mcgate.host.LinkFilter>map(UpstreamLinkFilter::new)
                .orElse(dev.mcgate.host.LinkFilter.NONE));
        LOG.info("upstream {}: IGMP host side on {}{}", name, address,
                filter.isPresent() ? ", joined groups go into its multicast filter" : "");
        return true;
    }

    /** Loop thread: the upstream's port is closing; its state goes (nothing can be sent); hands back its filter. */
    private MulticastFilter removeUpstream(String name, InterfacePort port) {
        Upstream u = upstreams.get(name);
        if (u == null || u.port() != port) {
            return null;
        }
        upstreams.remove(name);
        proxy.removeUpstream(name);
        LOG.info("upstream {}: IGMP host side stopped; {} IGMP messages sent, {} send failures", name,
                u.sender().sent(), u.sender().failed());
        return u.filter().orElse(null);
    }

    /** A snapshot of every router, for status and tests. */
    public List<RouterSnapshot> snapshots() throws Exception {
        return loop.call(() -> downstreams.values().stream().map(d -> d.router().snapshot()).toList(), CALL_TIMEOUT);
    }

    /**
     * Leaves every upstream group, stops every router (each withdraws its groups), releases the filters and logs what
     * was heard. Call while the ports are still open, so that the leaves go out; idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<MulticastFilter> filters = onLoop(() -> {
            // Leave every upstream group first (RFC 4605: the upstream must hear we are gone), while the ports are
            // still open; the routers' withdrawals that follow reach a stopped proxy and send nothing more.
            proxy.stop();
            List<MulticastFilter> out = new java.util.ArrayList<>();
            for (String name : List.copyOf(upstreams.keySet())) {
                MulticastFilter f = removeUpstream(name, upstreams.get(name).port());
                if (f != null) {
                    out.add(f);
                }
            }
            for (String name : List.copyOf(downstreams.keySet())) {
                MulticastFilter f = detach(name, downstreams.get(name).port());
                if (f != null) {
                    out.add(f);
                }
            }
            return out;
        }, "all interfaces").orElse(List.of());
        filters.forEach(MulticastFilter::close);
        LOG.info("IGMP seen: {}", intake.summary());
    }

    private Optional<MulticastFilter> openFilter(NetInterface nif, List<dev.mcgate.net.MacAddress> macs,
            boolean allMulti) {
        MulticastFilter filter = null;
        try {
            filter = MulticastFilter.open(nif.name(), nif.index());
            for (dev.mcgate.net.MacAddress mac : macs) {
                filter.add(mac);
            }
            if (allMulti) {
                filter.allMulti(true);
            }
            return Optional.of(filter);
        } catch (IOException | RuntimeException | LinkageError e) {
            LOG.warn("{}: {}; multicast may not get through a NIC's multicast filter", nif.name(),
                    e.getMessage());
            if (filter != null) {
                filter.close();
            }
            return Optional.empty();
        }
    }

    /** Loop thread. */
    private boolean attach(InterfaceConfig ic, InterfacePort port, Optional<MulticastFilter> filter) {
        NetInterface nif = port.netInterface();
        Ip4 address = nif.primaryAddress().orElse(Ip4.ANY);
        if (address.equals(Ip4.ANY)) {
            LOG.warn("{}: no IPv4 address; queries go out from 0.0.0.0 and any other router will be querier",
                    ic.name());
        }
        PortIgmpSender sender = new PortIgmpSender(port, address);
        RouterInterface router = newRouter(ic, address, sender);
        Downstream old = downstreams.put(ic.name(), new Downstream(port, router, sender, filter, ic));
        if (old != null) {
            old.router().stop();
            old.filter().ifPresent(MulticastFilter::close);
        }
        LOG.info("{}: IGMPv{} router on {}{}{}", ic.name(), ic.igmp().version(), address,
                ic.fastLeave() ? ", fast leave" : "",
                filter.map(f -> ", multicast filter " + f.addresses()).orElse(""));
        router.start();
        return true;
    }

    private RouterInterface newRouter(InterfaceConfig ic, Ip4 address, PortIgmpSender sender) {
        return new RouterInterface(ic.name(), address, ic.igmp(), ic.fastLeave(), loop, sender, log, log);
    }

    /** Loop thread: stops the router of a port that is closing; hands back its filter to close (or null). */
    private MulticastFilter detach(String name, InterfacePort port) {
        Downstream d = downstreams.get(name);
        if (d == null || d.port() != port) {
            return null;
        }
        downstreams.remove(name);
        RouterSnapshot last = d.router().snapshot();
        d.router().stop();
        LOG.info("{}: IGMP router stopped; {} IGMP messages sent, {} send failures{}", name, d.sender().sent(),
                d.sender().failed(), last.counters().isEmpty() ? "" : ", " + last.counters());
        return d.filter().orElse(null);
    }

    /** Capture thread: hand the message to the loop. */
    private void heard(InterfacePort port, Ip4 source, IgmpMessage message) {
        String name = port.netInterface().name();
        loop.post(() -> {
            Downstream d = downstreams.get(name);
            if (d != null && d.port() == port) {
                d.router().receive(source, message);
                return;
            }
            Upstream u = upstreams.get(name);
            // On an upstream only the querier's queries matter: a proxy does no report suppression (RFC 4605 §4.1).
            if (u != null && u.port() == port && message instanceof MembershipQuery query) {
                proxy.onUpstreamQuery(name, source, query);
            }
        });
    }

    private <T> Optional<T> onLoop(Callable<T> task, String what) {
        try {
            return Optional.ofNullable(loop.call(task, CALL_TIMEOUT));
        } catch (Exception e) {
            LOG.error("{}: IGMP router set-up failed: {}", what, e.toString());
            return Optional.empty();
        }
    }
}
