package dev.mcgate.daemon;

import dev.mcgate.config.InterfaceConfig;
import dev.mcgate.config.Role;
import dev.mcgate.igmp.QuerierListener;
import dev.mcgate.igmp.QueryOutput;
import dev.mcgate.igmp.RouterInterface;
import dev.mcgate.igmp.RouterSnapshot;
import dev.mcgate.io.InterfacePort;
import dev.mcgate.io.NetInterface;
import dev.mcgate.io.linux.MulticastFilter;
import dev.mcgate.net.Ip4;
import dev.mcgate.net.Ip6;
import dev.mcgate.net.MacAddress;
import dev.mcgate.packet.IgmpMessage;
import dev.mcgate.packet.LinkType;
import dev.mcgate.packet.MembershipQuery;
import dev.mcgate.proxy.ProxyCore;
import dev.mcgate.time.Loop;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The IGMP side of an interface: a {@link RouterInterface} on a downstream, the proxy's host side on an upstream
 * (RFC 4605). It keeps no interfaces of its own: {@link InterfaceRegistry} decides when a side starts and stops and
 * keeps it in the interface's {@link ManagedInterface}. Loop thread only, except {@link #openFilter}.
 */
public final class IgmpRouting {

    private static final Logger LOG = LoggerFactory.getLogger(IgmpRouting.class);
    /**
     * Hosts send IGMPv3 reports to 224.0.0.22 and v2 leaves to 224.0.0.2 (RFC 3376 §4.2.14, RFC 2236 §3), MLDv2
     * reports to ff02::16 and Dones to ff02::2 (RFC 9777 §5.2.14, RFC 2710 §5).
     */
    private static final List<MacAddress> ROUTER_MACS = List.of(
            MulticastFilter.ALL_IGMPV3_ROUTERS,
            MulticastFilter.ALL_ROUTERS,
            MulticastFilter.ALL_MLDV2_ROUTERS,
            MulticastFilter.ALL_ROUTERS_6);

    /** What works on an open interface's IPv4 side. */
    sealed interface Side permits Downstream, Upstream {
        PortIgmpSender sender();
    }

    /** A downstream at work: its IGMP router and the sender of its queries. */
    record Downstream(RouterInterface router, PortIgmpSender sender) implements Side {}

    /** An upstream at work: the sender of the proxy's reports there. */
    record Upstream(PortIgmpSender sender) implements Side {}

    private final Loop loop;
    private final ProxyCore proxy;
    private final MembershipLog log;
    private final MldRouting mld;

    /**
     * @param proxy          merges the downstream memberships and reports them upstream
     * @param querierChanges told of each querier election result (the forwarding plane)
     */
    public IgmpRouting(Loop loop, ProxyCore proxy, QuerierListener querierChanges) {
        this.loop = loop;
        this.proxy = proxy;
        this.log = new MembershipLog(proxy, querierChanges, loop);
        this.mld = new MldRouting(loop, proxy, log);
    }

    /** The interfaces' MLD sides, which share this side's membership log and proxy. */
    MldRouting mld() {
        return mld;
    }

    /** Loop thread: the proxy starts (its timers run on the loop). */
    void start() {
        proxy.start();
    }

    /**
     * I/O executor: the interface's multicast filter. A downstream must hear 224.0.0.22 and 224.0.0.2, and every
     * group its own sources send to (ALLMULTI, as the kernel sets on its multicast routing interfaces); an upstream
     * the groups it joins (added as it joins them). Raw-IP links have none.
     */
    static Optional<MulticastFilter> openFilter(InterfaceConfig ic, InterfacePort port) {
        if (port.linkType() != LinkType.ETHERNET || ic.role() != Role.UPSTREAM && ic.role() != Role.DOWNSTREAM) {
            return Optional.empty();
        }
        boolean downstream = ic.role() == Role.DOWNSTREAM;
        NetInterface nif = port.netInterface();
        MulticastFilter filter = null;
        try {
            filter = MulticastFilter.open(nif.name(), nif.index());
            for (MacAddress mac : downstream ? ROUTER_MACS : List.<MacAddress>of()) {
                filter.add(mac);
            }
            if (downstream) {
                filter.allMulti(true);
            }
            return Optional.of(filter);
        } catch (IOException | RuntimeException | LinkageError e) {
            LOG.warn("{}: {}; multicast may not get through a NIC's multicast filter", nif.name(), e.getMessage());
            if (filter != null) {
                filter.close();
            }
            return Optional.empty();
        }
    }

    /**
     * Loop thread: the interface just opened; its sides start (none for roles that speak no IGMP): an upstream's host
     * sides of both families, a downstream's IGMP router (its MLD router is {@link MldRouting}'s).
     */
    void attach(ManagedInterface mi) {
        InterfaceConfig ic = mi.config;
        InterfacePort port = mi.opened.port();
        Ip4 address = port.netInterface().primaryAddress().orElse(Ip4.ANY);
        if (ic.role() == Role.UPSTREAM) {
            addUpstream(mi, address, port.netInterface().linkLocal());
        } else if (ic.role() == Role.DOWNSTREAM && ic.runsIpv4()) {
            if (address.equals(Ip4.ANY)) {
                LOG.warn(
                        "{}: no IPv4 address; queries go out from 0.0.0.0 and any other router will be querier",
                        ic.name());
            }
            PortIgmpSender sender = new PortIgmpSender(port, address);
            RouterInterface router = newRouter(ic, address, sender);
            mi.ipv4 = new Downstream(router, sender);
            LOG.info(
                    "{}: IGMPv{} router on {}{}{}",
                    ic.name(),
                    ic.igmp().version(),
                    address,
                    ic.fastLeave() ? ", fast leave" : "",
                    mi.opened
                            .filter()
                            .map(f -> ", multicast filter " + f.addresses())
                            .orElse(""));
            router.start();
        }
    }

    /**
     * Loop thread: (re)starts the host sides of an upstream: IGMP reporting from {@code address} (RFC 9776 §4.2.13
     * allows 0.0.0.0 from an interface without an address yet) where it runs IPv4, MLD from its link-local address
     * where it runs IPv6 and has one; every group each serves is reported at once.
     */
    private void addUpstream(ManagedInterface mi, Ip4 address, Optional<Ip6> linkLocal) {
        Optional<PortIgmpSender> igmpSender =
                mi.config.runsIpv4() ? Optional.of(new PortIgmpSender(mi.opened.port(), address)) : Optional.empty();
        Optional<PortMldSender> mldSender = mld.upstreamSender(mi, linkLocal);
        mi.ipv4 = igmpSender.map(Upstream::new).orElse(null);
        mi.ipv6 = mldSender.map(MldRouting.Upstream::new).orElse(null);
        if (igmpSender.isEmpty() && mldSender.isEmpty()) {
            proxy.removeUpstream(mi.name);
            return;
        }
        NetInterface nif = mi.opened.port().netInterface();
        proxy.addUpstream(
                mi.name,
                igmpSender.map(s -> s),
                mldSender.map(s -> s),
                Math.max(ProxyCore.MIN_IPV6_MTU, nif.mtu()),
                mi.opened
                        .filter()
                        .<dev.mcgate.host.LinkFilter>map(UpstreamLinkFilter::new)
                        .orElse(dev.mcgate.host.LinkFilter.NONE));
        LOG.info(
                "upstream {}: host side{}{}{}",
                mi.name,
                igmpSender.map(s -> ", IGMP from " + address).orElse(""),
                mldSender.map(s -> ", MLD from " + s.source()).orElse(""),
                mi.opened.filter().isPresent() ? "; joined groups go into its multicast filter" : "");
    }

    /**
     * Loop thread: the open interface's link-local address changed. An upstream's host sides are restarted so that MLD
     * reports come from the new one; a downstream's MLD router is {@link MldRouting}'s to restart.
     */
    void readdress6(ManagedInterface mi, Optional<Ip6> linkLocal) {
        if (mi.config.role() == Role.DOWNSTREAM) {
            mld.readdress(mi, linkLocal);
        } else if (mi.config.role() == Role.UPSTREAM && mi.config.runsIpv6()) {
            Ip6 had = mi.ipv6 == null ? null : mi.ipv6.sender().source();
            if (!java.util.Objects.equals(had, linkLocal.orElse(null))) {
                LOG.info("upstream {}: link-local address {} -> {}", mi.name, had, linkLocal.orElse(null));
                Ip4 address = mi.ipv4 instanceof Upstream u ? u.sender().source() : Ip4.ANY;
                addUpstream(mi, address, linkLocal);
            }
        }
    }

    /**
     * Loop thread: the interface's port is about to close. A router stops (its groups are withdrawn, so the upstream
     * hears the leaves); an upstream's host side goes (nothing can be sent there any more).
     */
    void detach(ManagedInterface mi) {
        Side side = mi.ipv4;
        mi.ipv4 = null;
        if (side instanceof Downstream d) {
            RouterSnapshot last = d.router().snapshot();
            d.router().stop();
            // Only what happened: the zeros are in 'mcgate counters'.
            StringBuilder noticed = new StringBuilder();
            last.counters().forEach((counter, n) -> {
                if (n > 0) {
                    noticed.append(", ").append(counter.metric()).append(' ').append(n);
                }
            });
            LOG.info(
                    "{}: IGMP router stopped; {} IGMP messages sent, {} send failures{}",
                    mi.name,
                    d.sender().sent(),
                    d.sender().failed(),
                    noticed);
        } else if (side instanceof Upstream u) {
            proxy.removeUpstream(mi.name);
            LOG.info(
                    "upstream {}: IGMP host side stopped; {} IGMP messages sent, {} send failures",
                    mi.name,
                    u.sender().sent(),
                    u.sender().failed());
        }
    }

    /**
     * Loop thread: the open interface's primary address changed. The host side reports from the new one; a router is
     * restarted on it (querier election and the queries' source depend on it), its groups withdrawn and learnt again
     * from the hosts' answers.
     */
    void readdress(ManagedInterface mi, Ip4 now) {
        Side side = mi.ipv4;
        if (side == null || now.equals(side.sender().source())) {
            return;
        }
        if (side instanceof Upstream) {
            LOG.info("upstream {}: address changed to {}; reporting from it", mi.name, now);
            // The link-local address in use stays: a change of it comes through readdress6.
            Optional<Ip6> linkLocal = mi.ipv6 == null
                    ? mi.opened.port().netInterface().linkLocal()
                    : Optional.of(mi.ipv6.sender().source());
            addUpstream(mi, now, linkLocal);
        } else if (side instanceof Downstream d) {
            LOG.info("{}: address changed to {}; restarting its IGMP router", mi.name, now);
            d.router().stop();
            PortIgmpSender sender = new PortIgmpSender(mi.opened.port(), now);
            RouterInterface router = newRouter(mi.config, now, sender);
            mi.ipv4 = new Downstream(router, sender);
            router.start();
        }
    }

    /**
     * Loop thread: a reload changed an open downstream's settings (its role is the same; the registry closes and
     * reopens interfaces whose role changed). Timers and fast leave change in place, each timer taking the new values
     * when it is next armed; a new IGMP version needs a new router, which withdraws the groups and learns them again
     * from the hosts' answers to its startup queries. Upstream settings are the proxy's
     * ({@link ProxyCore#reconfigure}).
     *
     * @return what was done, for the reload's outcome, if anything
     */
    Optional<String> reconfigure(ManagedInterface mi, InterfaceConfig now) {
        if (!(mi.ipv4 instanceof Downstream d) || now.role() != Role.DOWNSTREAM) {
            return Optional.empty();
        }
        InterfaceConfig then = mi.config;
        if (now.igmp().version() != then.igmp().version()) {
            d.router().stop();
            RouterInterface router = newRouter(now, (Ip4) d.router().address(), d.sender());
            mi.ipv4 = new Downstream(router, d.sender());
            router.start();
            return Optional.of(
                    mi.name + ": IGMPv" + now.igmp().version() + " router restarted; groups are learnt again");
        }
        if (!now.limits().equals(then.limits())) {
            // The limits apply to the next record; what is held already stays (ConfigDiff names the change).
            d.router().reconfigure(then.igmp(), then.fastLeave(), now.limits());
        }
        if (!now.igmp().equals(then.igmp()) || now.fastLeave() != then.fastLeave()) {
            d.router().reconfigure(now.igmp(), now.fastLeave(), now.limits());
            return Optional.of(
                    mi.name + ": IGMP timers and fast leave take their new values at each timer's next " + "start");
        }
        return Optional.empty();
    }

    /** Loop thread: a message heard on the open interface. */
    void receive(ManagedInterface mi, Ip4 source, IgmpMessage message) {
        if (mi.ipv4 instanceof Downstream d) {
            d.router().receive(source, message);
        } else if (mi.ipv4 instanceof Upstream && message instanceof MembershipQuery query) {
            // On an upstream only the querier's queries matter: a proxy does no report suppression (RFC 4605 §4.1).
            proxy.onUpstreamQuery(mi.name, source, query);
        }
    }

    /** Loop thread: the router's state, if the interface is an open downstream. */
    static Optional<RouterSnapshot> snapshot(ManagedInterface mi) {
        return mi.ipv4 instanceof Downstream d ? Optional.of(d.router().snapshot()) : Optional.empty();
    }

    /**
     * Loop thread: every upstream group is left (RFC 4605: the upstream must hear we are gone) while the ports are
     * still open; the routers' withdrawals that follow reach a stopped proxy and send nothing more.
     */
    void stopProxy() {
        proxy.stop();
    }

    private RouterInterface newRouter(InterfaceConfig ic, Ip4 address, PortIgmpSender sender) {
        return new RouterInterface(
                ic.name(), address, ic.igmp(), ic.fastLeave(), ic.limits(), loop, QueryOutput.igmp(sender), log, log);
    }
}
