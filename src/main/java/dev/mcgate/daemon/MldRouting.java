package dev.mcgate.daemon;

import dev.mcgate.config.IgmpSettings;
import dev.mcgate.config.InterfaceConfig;
import dev.mcgate.config.Role;
import dev.mcgate.igmp.QueryOutput;
import dev.mcgate.igmp.RouterInterface;
import dev.mcgate.igmp.RouterSnapshot;
import dev.mcgate.net.Ip6;
import dev.mcgate.packet.MldMessage;
import dev.mcgate.packet.MulticastListenerQuery;
import dev.mcgate.proxy.ProxyCore;
import dev.mcgate.time.Loop;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MLD side of an interface (IPv6): a {@link RouterInterface} driven by MLD on a downstream, beside the IGMP one
 * {@link IgmpRouting} keeps. It needs the interface's link-local address: MLD is sent from it and the querier is
 * elected by it (RFC 9777 §5.1.14, §7.6.2); an interface without one runs no MLD until it has one. Loop thread only.
 */
final class MldRouting {

    private static final Logger LOG = LoggerFactory.getLogger(MldRouting.class);

    /** What works on an open interface's IPv6 side. */
    sealed interface Side permits Downstream, Upstream {
        PortMldSender sender();
    }

    /** A downstream at work: its MLD router and the sender of its queries. */
    record Downstream(RouterInterface router, PortMldSender sender) implements Side {}

    /** An upstream at work: the sender of the proxy's MLD reports there ({@link IgmpRouting} adds the upstream). */
    record Upstream(PortMldSender sender) implements Side {}

    private final Loop loop;
    private final ProxyCore proxy;
    private final MembershipLog log;

    MldRouting(Loop loop, ProxyCore proxy, MembershipLog log) {
        this.loop = loop;
        this.proxy = proxy;
        this.log = log;
    }

    /**
     * Loop thread: the MLD sender of an upstream that runs IPv6 and has a link-local address (the proxy's host side
     * reports from it, RFC 9777 §5.2.13), or empty.
     *
     * @param linkLocal the interface's link-local address as last read (the port's reading dates from its open)
     */
    Optional<PortMldSender> upstreamSender(ManagedInterface mi, Optional<Ip6> linkLocal) {
        if (!mi.config.runsIpv6()) {
            return Optional.empty();
        }
        if (linkLocal.isEmpty()) {
            LOG.info("upstream {}: no IPv6 link-local address (yet); MLD reports start when it has one", mi.name);
        }
        return linkLocal.map(address -> new PortMldSender(mi.opened.port(), address));
    }

    /** Loop thread: the interface just opened; a downstream that runs IPv6 and has a link-local address starts MLD. */
    void attach(ManagedInterface mi) {
        attach(mi, mi.opened.port().netInterface().linkLocal());
    }

    /** As above, with the link-local address as last read (a later reading than the port's own). */
    private void attach(ManagedInterface mi, Optional<Ip6> linkLocal) {
        InterfaceConfig ic = mi.config;
        if (ic.role() != Role.DOWNSTREAM || !ic.runsIpv6()) {
            return;
        }
        if (linkLocal.isEmpty()) {
            LOG.info("{}: no IPv6 link-local address (yet); MLD starts when it has one", ic.name());
            return;
        }
        start(mi, linkLocal.get());
    }

    private void start(ManagedInterface mi, Ip6 linkLocal) {
        InterfaceConfig ic = mi.config;
        PortMldSender sender = new PortMldSender(mi.opened.port(), linkLocal);
        IgmpSettings settings = ic.mld();
        RouterInterface router = new RouterInterface(
                ic.name(), linkLocal, settings, ic.fastLeave(), ic.limits(), loop, QueryOutput.mld(sender), log, log);
        mi.ipv6 = new Downstream(router, sender);
        LOG.info(
                "{}: {} router on {}{}",
                ic.name(),
                linkLocal.family().versionName(settings.version()),
                linkLocal,
                ic.fastLeave() ? ", fast leave" : "");
        router.start();
    }

    /** Loop thread: the port is about to close; the router stops and its groups are withdrawn. */
    void detach(ManagedInterface mi) {
        Side side = mi.ipv6;
        mi.ipv6 = null;
        if (side instanceof Downstream d) {
            d.router().stop();
            LOG.info(
                    "{}: MLD router stopped; {} MLD messages sent, {} send failures",
                    mi.name,
                    d.sender().sent(),
                    d.sender().failed());
        } else if (side instanceof Upstream u) {
            // Both families' host sides go together (an IPv6-only upstream has no IGMP side to take them).
            proxy.removeUpstream(mi.name);
            LOG.info(
                    "upstream {}: MLD host side stopped; {} MLD messages sent, {} send failures",
                    mi.name,
                    u.sender().sent(),
                    u.sender().failed());
        }
    }

    /**
     * Loop thread: the open downstream's link-local address changed. A router whose address went or changed is
     * restarted on the new one (election and the queries' source depend on it); one that had none starts now.
     */
    void readdress(ManagedInterface mi, Optional<Ip6> linkLocal) {
        Side side = mi.ipv6;
        Ip6 had = side == null ? null : side.sender().source();
        Ip6 now = linkLocal.orElse(null);
        if (java.util.Objects.equals(had, now)) {
            return;
        }
        if (side != null) {
            LOG.info("{}: link-local address {} -> {}; restarting its MLD router", mi.name, had, now);
            detach(mi);
        }
        if (now != null) {
            attach(mi, linkLocal);
        }
    }

    /**
     * Loop thread: a reload changed an open downstream's settings (its role and families are the same: the registry
     * reopens an interface whose role or families changed). A new MLD version needs a new router, which learns the
     * groups again from the hosts' answers to its startup queries; timers, fast leave and limits change in place.
     */
    Optional<String> reconfigure(ManagedInterface mi, InterfaceConfig now) {
        if (!(mi.ipv6 instanceof Downstream d)) {
            return Optional.empty();
        }
        InterfaceConfig then = mi.config;
        if (now.mld().version() != then.mld().version()) {
            Ip6 address = d.sender().source();
            detach(mi);
            mi.config = now;
            start(mi, address);
            return Optional.of(mi.name + ": "
                    + address.family().versionName(now.mld().version()) + " router restarted; groups are learnt again");
        }
        if (!now.mld().equals(then.mld())
                || now.fastLeave() != then.fastLeave()
                || !now.limits().equals(then.limits())) {
            d.router().reconfigure(now.mld(), now.fastLeave(), now.limits());
            return Optional.of(mi.name + ": MLD timers, fast leave and limits take their new values at each timer's"
                    + " next start");
        }
        return Optional.empty();
    }

    /** Loop thread: an MLD message heard on the open interface. */
    void receive(ManagedInterface mi, Ip6 source, MldMessage message) {
        if (mi.ipv6 instanceof Downstream d) {
            d.router().receive(source, message);
        } else if (mi.ipv6 instanceof Upstream && message instanceof MulticastListenerQuery query) {
            // On an upstream only the querier's queries matter: a proxy does no report suppression (RFC 4605 §4.1).
            proxy.onUpstreamQuery(mi.name, source, query);
        }
    }

    /** Loop thread: the MLD router's state, if the interface runs one. */
    static Optional<RouterSnapshot> snapshot(ManagedInterface mi) {
        return mi.ipv6 instanceof Downstream d ? Optional.of(d.router().snapshot()) : Optional.empty();
    }
}
