package dev.mcgate.daemon;

import dev.mcgate.config.IgmpSettings;
import dev.mcgate.config.InterfaceConfig;
import dev.mcgate.config.Role;
import dev.mcgate.igmp.QueryOutput;
import dev.mcgate.igmp.RouterInterface;
import dev.mcgate.igmp.RouterSnapshot;
import dev.mcgate.net.Ip6;
import dev.mcgate.packet.MldMessage;
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
    sealed interface Side permits Downstream {
        PortMldSender sender();
    }

    /** A downstream at work: its MLD router and the sender of its queries. */
    record Downstream(RouterInterface router, PortMldSender sender) implements Side {}

    private final Loop loop;
    private final MembershipLog log;

    MldRouting(Loop loop, MembershipLog log) {
        this.loop = loop;
        this.log = log;
    }

    /** Loop thread: the interface just opened; a downstream that runs IPv6 and has a link-local address starts MLD. */
    void attach(ManagedInterface mi) {
        InterfaceConfig ic = mi.config;
        if (ic.role() != Role.DOWNSTREAM || !runsIpv6(ic)) {
            return;
        }
        Optional<Ip6> linkLocal = mi.opened.port().netInterface().linkLocal();
        if (linkLocal.isEmpty()) {
            LOG.info("{}: no IPv6 link-local address (yet); MLD starts when it has one", ic.name());
            return;
        }
        start(mi, linkLocal.get());
    }

    private void start(ManagedInterface mi, Ip6 linkLocal) {
        InterfaceConfig ic = mi.config;
        PortMldSender sender = new PortMldSender(mi.opened.port(), linkLocal);
        IgmpSettings settings = settings(ic);
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
        }
    }

    /**
     * Loop thread: the open interface's addresses changed. A router whose link-local address went or changed is
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
            attach(mi);
        }
    }

    /**
     * Loop thread: a reload changed an open interface's settings. IPv6 turned on or off starts or stops the router; a
     * new MLD version needs a new router; timers, fast leave and limits change in place.
     */
    Optional<String> reconfigure(ManagedInterface mi, InterfaceConfig now) {
        InterfaceConfig then = mi.config;
        Side side = mi.ipv6;
        boolean wanted = now.role() == Role.DOWNSTREAM && runsIpv6(now);
        if (side == null) {
            if (!wanted || mi.opened == null) {
                return Optional.empty();
            }
            mi.config = now;
            attach(mi);
            return mi.ipv6 == null ? Optional.empty() : Optional.of(mi.name + ": MLD router started");
        }
        Downstream d = (Downstream) side;
        if (!wanted || settings(now).version() != settings(then).version()) {
            detach(mi);
            mi.config = now;
            if (wanted) {
                attach(mi);
            }
            return Optional.of(mi.name + ": MLD router " + (wanted ? "restarted for the new version" : "stopped"));
        }
        if (!settings(now).equals(settings(then))
                || now.fastLeave() != then.fastLeave()
                || !now.limits().equals(then.limits())) {
            d.router().reconfigure(settings(now), now.fastLeave(), now.limits());
            return Optional.of(mi.name + ": MLD timers, fast leave and limits take their new values");
        }
        return Optional.empty();
    }

    /** Loop thread: an MLD message heard on the open interface. */
    void receive(ManagedInterface mi, Ip6 source, MldMessage message) {
        if (mi.ipv6 instanceof Downstream d) {
            d.router().receive(source, message);
        }
    }

    /** Loop thread: the MLD router's state, if the interface runs one. */
    static Optional<RouterSnapshot> snapshot(ManagedInterface mi) {
        return mi.ipv6 instanceof Downstream d ? Optional.of(d.router().snapshot()) : Optional.empty();
    }

    /** Whether the interface runs IPv6 (the configuration's say; every interface does unless told otherwise). */
    static boolean runsIpv6(InterfaceConfig ic) {
        return false;
    }

    /** The MLD parameters: IGMP's timers, as generation 3 (MLDv2). */
    static IgmpSettings settings(InterfaceConfig ic) {
        IgmpSettings s = ic.igmp();
        return new IgmpSettings(
                3,
                s.robustness(),
                s.queryInterval(),
                s.queryResponseInterval(),
                s.lastMemberQueryInterval(),
                s.lastMemberQueryCount(),
                s.startupQueryInterval(),
                s.startupQueryCount(),
                s.adoption());
    }
}
