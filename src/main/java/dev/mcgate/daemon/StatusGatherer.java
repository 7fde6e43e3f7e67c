package dev.mcgate.daemon;

import dev.mcgate.control.DaemonSnapshot;
import dev.mcgate.counters.CounterReadings;
import dev.mcgate.counters.CounterRegistry;
import dev.mcgate.forward.DropReason;
import dev.mcgate.forward.FlowCounters;
import dev.mcgate.forward.Forwarder;
import dev.mcgate.forward.ForwardingCounters;
import dev.mcgate.forward.ForwardingTable;
import dev.mcgate.host.HostStatus;
import dev.mcgate.igmp.RouterSnapshot;
import dev.mcgate.io.NetInterface;
import dev.mcgate.net.Ip4;
import dev.mcgate.net.IpAddress;
import dev.mcgate.net.IpFamily;
import dev.mcgate.packet.LinkType;
import dev.mcgate.proxy.ProxyCore;
import dev.mcgate.time.EventLoop;
import dev.mcgate.time.Loop;
import dev.mcgate.time.LoopCounts;
import dev.mcgate.time.Timer;
import dev.mcgate.tunnel.TunnelStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Takes {@link DaemonSnapshot}s of the running daemon: the protocol state on the loop (one {@link EventLoop#call}
 * with a timeout), the interface list off it, and, from the first request on, samples the flow counters every second
 * on the loop for the rates.
 *
 * <p>The tunnels' statuses are read on the calling thread too: {@code Tunnels.statuses()} is safe from any thread.
 *
 * <p>The interface list is read on the calling thread, not on the loop, because the daemon holds its own lock while it
 * waits for the loop (a port opening); asking for that lock from the loop could stall both for the call timeout.
 */
public final class StatusGatherer implements AutoCloseable {

    /** How long a request may wait for the loop before it is answered "not responding". */
    public static final Duration LOOP_TIMEOUT = Duration.ofSeconds(3);
    /** How often the flow counters are sampled for rates. */
    static final Duration SAMPLE_INTERVAL = Duration.ofSeconds(1);

    private final Loop loop;
    /** The event loop's own counts: events dropped on a full inbox, tasks that threw. */
    private final Supplier<LoopCounts> loopCounts;

    private final InterfaceRegistry interfaces;
    private final ProxyCore proxy;
    private final Forwarder forwarder;
    private final String version;
    private final LongSupplier nanoClock;
    private final Supplier<List<TunnelStatus>> tunnels;
    private final long startedAt;
    private volatile EngineStatus engine = EngineStatus.userSpace("pcap");
    private volatile Supplier<DaemonSnapshot.Relays> relays = () -> DaemonSnapshot.Relays.NONE;
    private final CounterRegistry counters = CounterCatalog.newRegistry();
    // Loop thread only:
    private final FlowRates rates = new FlowRates();
    private Timer sampler;
    private boolean closed;

    /** What is read on the loop, in one go. */
    private record LoopPart(
            List<RouterSnapshot> routers,
            List<HostStatus> upstreams,
            ForwardingCounters counters,
            ForwardingTable table,
            Map<FlowRates.Key, FlowRates.Rate> rates,
            double window,
            CounterReadings loopCounters) {}

    public StatusGatherer(
            EventLoop loop,
            InterfaceRegistry interfaces,
            ProxyCore proxy,
            Forwarder forwarder,
            String version,
            LongSupplier nanoClock,
            Supplier<List<TunnelStatus>> tunnels) {
        this(loop, loop::counts, interfaces, proxy, forwarder, version, nanoClock, tunnels);
    }

    /** On any loop (tests drive a manual one), with the loop's own counts apart. */
    StatusGatherer(
            Loop loop,
            Supplier<LoopCounts> loopCounts,
            InterfaceRegistry interfaces,
            ProxyCore proxy,
            Forwarder forwarder,
            String version,
            LongSupplier nanoClock,
            Supplier<List<TunnelStatus>> tunnels) {
        this.loop = loop;
        this.loopCounts = loopCounts;
        this.interfaces = interfaces;
        this.proxy = proxy;
        this.forwarder = forwarder;
        this.version = version;
        this.nanoClock = nanoClock;
        this.tunnels = tunnels;
        this.startedAt = nanoClock.getAsLong();
        // What the snapshot does not take anyway: the proxy's and the IGMP senders' counters belong to the loop, the
        // event loop's and the nft engine's may be read from any thread.
        counters.addLoopOwned(proxy::recordInto);
        counters.addLoopOwned(interfaces::recordSenderCounters);
        counters.addLoopOwned(interfaces::recordCaptureCounters);
        counters.add(interfaces.admission()::recordInto);
        counters.add(out -> {
            LoopCounts c = loopCounts.get();
            out.record(LoopCounter.INBOX_DROPS, c.inboxDrops());
            out.record(LoopCounter.FAILED_TASKS, c.failed());
            out.record(LoopCounter.REJECTED_TASKS, c.rejected());
            out.record(LoopCounter.TIMED_OUT_CALLS, c.timedOut());
            out.record(LoopCounter.SLOW_TASKS, c.slow());
        });
        counters.add(out -> {
            DaemonSnapshot.Engine e = engine.engine();
            out.record(EngineCounter.NFT_TRANSACTIONS, e.transactions());
            out.record(EngineCounter.NFT_REFUSALS, e.refusals());
        });
    }

    /** The registry every snapshot's counters come from; sources of the daemon's other parts are added to it. */
    public CounterRegistry counters() {
        return counters;
    }

    /** The engine status shows; the user-space pcap engine unless set. */
    void engine(EngineStatus status) {
        engine = status;
    }

    /** Where every snapshot's relay views come from (read off the loop: the relays' views are any thread's). */
    void relays(Supplier<DaemonSnapshot.Relays> source) {
        relays = source;
    }

    private void sample() {
        if (closed) {
            return;
        }
        rates.sample(loop.nanoTime(), forwarder.counters().flows());
        sampler = loop.schedule("control:flow-rates", SAMPLE_INTERVAL, this::sample);
    }

    /** A snapshot now. Any thread but the loop's. */
    public DaemonSnapshot gather() throws Exception {
        List<InterfaceView.InterfaceState> wanted = interfaces.view().interfaces();
        Map<String, InterfaceView.PortStatus> ports = interfaces.view().portStatuses();
        LoopPart part = loop.callFirst(
                "control:snapshot",
                () -> {
                    if (sampler == null) {
                        // Sampling starts with the first request: a daemon nobody asks does no periodic work for it
                        // (and
                        // the first-join test measured a slower cold start with a sampler running from the start).
                        sample();
                    }
                    ForwardingCounters counters = forwarder.counters();
                    Map<FlowRates.Key, FlowRates.Rate> flowRates = new java.util.HashMap<>();
                    for (FlowCounters f : counters.flows()) {
                        FlowRates.Key key = new FlowRates.Key(f.arrival(), f.source(), f.group());
                        flowRates.put(key, rates.rate(key));
                    }
                    return new LoopPart(
                            interfaces.routerSnapshots(),
                            proxy.allUpstreamStatuses(),
                            counters,
                            forwarder.table(),
                            flowRates,
                            rates.windowSeconds(),
                            this.counters.readLoopOwned());
                },
                LOOP_TIMEOUT);

        List<DaemonSnapshot.Interface> interfaces = new ArrayList<>();
        for (InterfaceView.InterfaceState w : wanted) {
            InterfaceView.PortStatus port = ports.get(w.name());
            String state = w.state();
            interfaces.add(new DaemonSnapshot.Interface(
                    w.name(),
                    w.role(),
                    state,
                    w.netInterface().flatMap(NetInterface::primaryAddress).map(Ip4::toString),
                    port == null
                            ? java.util.Optional.empty()
                            : java.util.Optional.of(port.linkType() == LinkType.ETHERNET ? "ethernet" : "raw-ip"),
                    port == null ? 0 : port.counters().received(),
                    port == null ? 0 : port.counters().sent(),
                    port == null ? 0 : port.counters().sendErrors(),
                    port == null ? -1 : port.counters().droppedByKernel(),
                    port == null ? -1 : port.captureBufferBytes()));
        }
        List<DaemonSnapshot.Flow> flows = new ArrayList<>();
        for (FlowCounters f : part.counters().flows()) {
            FlowRates.Rate r = part.rates()
                    .getOrDefault(new FlowRates.Key(f.arrival(), f.source(), f.group()), FlowRates.Rate.ZERO);
            ForwardingTable.Decision decision = part.table().decide(f.arrival(), f.source(), f.group());
            // A flow the kernel forwards: user space only saw its copies; the kernel's row has the counters.
            List<String> egress = decision.drop().equals(java.util.Optional.of(DropReason.OFFLOADED))
                    ? List.of("(kernel)")
                    : decision.egress();
            flows.add(new DaemonSnapshot.Flow(
                    f.source().toString(),
                    f.group().toString(),
                    f.arrival(),
                    egress,
                    f.packets(),
                    f.bytes(),
                    r.packetsPerSecond(),
                    r.bitsPerSecond(),
                    f.idleNanos() / 1e9));
        }
        EngineStatus engineNow = engine;
        flows.addAll(engineNow.kernelFlows());
        List<DaemonSnapshot.Tunnel> tunnelRows = new ArrayList<>();
        List<TunnelStatus> tunnelStatuses = tunnels.get();
        tunnelStatuses.forEach(t -> tunnelRows.add(tunnel(t)));
        // The parts this snapshot took anyway are recorded from what it took, not read a second time.
        CounterReadings taken = counters.read(out -> {
            ports.forEach((name, port) -> port.counters().recordInto(out, name));
            part.counters().recordInto(out);
            this.interfaces.intake().recordInto(out, ports.keySet());
            this.interfaces.mldIntake().recordInto(out, ports.keySet());
            part.routers().forEach(r -> r.recordInto(out));
            part.upstreams().forEach(u -> u.recordInto(out));
            tunnelStatuses.forEach(t -> t.recordInto(out));
        });
        return new DaemonSnapshot(
                version,
                (nanoClock.getAsLong() - startedAt) / 1e9,
                interfaces,
                part.routers().stream().map(StatusGatherer::router).toList(),
                part.upstreams().stream().map(StatusGatherer::upstream).toList(),
                flows,
                part.window(),
                new DaemonSnapshot.Loop(
                        loopCounts.get().inboxDrops(),
                        loopCounts.get().failed(),
                        part.counters().flowsEvicted()),
                tunnelRows,
                engineNow.engine(),
                taken.with(part.loopCounters()).with(counters.readOthers()),
                relays.get());
    }

    static DaemonSnapshot.Tunnel tunnel(TunnelStatus t) {
        return new DaemonSnapshot.Tunnel(
                t.name(),
                t.peer(),
                t.role(),
                t.state().name().toLowerCase(Locale.ROOT).replace('_', '-'),
                seconds(t.stateFor()),
                t.lastHeard().map(StatusGatherer::seconds),
                t.sessionAge().map(StatusGatherer::seconds),
                t.handshakes(),
                t.groups(),
                t.dataSent(),
                t.dataReceived(),
                t.controlSent(),
                t.controlReceived(),
                t.sendErrors(),
                t.innerMtu(),
                t.notOpenReason());
    }

    static DaemonSnapshot.Router router(RouterSnapshot r) {
        IpFamily family = r.address().family();
        List<DaemonSnapshot.Group> groups = new ArrayList<>();
        for (RouterSnapshot.Group g : r.groups()) {
            List<DaemonSnapshot.Source> sources = new ArrayList<>();
            g.sources()
                    .forEach((address, timer) ->
                            sources.add(new DaemonSnapshot.Source(address.toString(), seconds(timer))));
            groups.add(new DaemonSnapshot.Group(
                    g.group().toString(),
                    g.filterMode().name().toLowerCase(Locale.ROOT),
                    seconds(g.groupTimer()),
                    family.version(g.compatibilityMode()),
                    sources));
        }
        return new DaemonSnapshot.Router(
                r.interfaceName(),
                family == IpFamily.IPV4 ? DaemonSnapshot.Router.IGMP : DaemonSnapshot.Router.MLD,
                r.address().toString(),
                family.version(r.configuredVersion()),
                r.querier(),
                r.querierAddress().toString(),
                seconds(r.otherQuerierPresent()),
                r.robustness(),
                seconds(r.queryInterval()),
                groups,
                routerCounters(r));
    }

    /** A router's counters by their names, as {@code groups --json} shows them. */
    private static Map<String, Long> routerCounters(RouterSnapshot r) {
        Map<String, Long> out = new TreeMap<>();
        r.recordInto((counter, value, labels) -> out.put(counter.metric(), value));
        return out;
    }

    static DaemonSnapshot.Upstream upstream(HostStatus h) {
        List<DaemonSnapshot.UpstreamGroup> groups = new ArrayList<>();
        new TreeMap<>(h.groups()).forEach((group, s) -> {
            if (!s.isNone()) {
                groups.add(new DaemonSnapshot.UpstreamGroup(
                        group.toString(),
                        s.mode().name().toLowerCase(Locale.ROOT),
                        s.sources().asList().stream().map(IpAddress::toString).toList()));
            }
        });
        return new DaemonSnapshot.Upstream(
                h.name(),
                h.family() == IpFamily.IPV4 ? DaemonSnapshot.Router.IGMP : DaemonSnapshot.Router.MLD,
                h.family().version(h.mode().version()),
                h.lastQuerier().map(IpAddress::toString),
                h.stateChangeReports() + h.olderReports(),
                h.leaves(),
                h.queries(),
                groups);
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

    /** Stops sampling. */
    @Override
    public void close() {
        try {
            loop.call(
                    "control:stop-sampling",
                    () -> {
                        closed = true;
                        if (sampler != null) {
                            sampler.cancel();
                        }
                        return null;
                    },
                    LOOP_TIMEOUT);
        } catch (Exception e) {
            // The loop is stopping or stuck; the sampler stops with it.
        }
    }
}
