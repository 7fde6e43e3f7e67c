package dev.mcgate.e2e;

import dev.mcgate.control.ControlClient;
import dev.mcgate.control.ControlRequest;
import dev.mcgate.control.ControlResponse;
import dev.mcgate.control.MiniJson;
import dev.mcgate.lab.ControlSocketProbe;
import dev.mcgate.lab.LabException;
import dev.mcgate.net.Ip6;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Asks a running mcgate about its MLD side through the control socket: the {@code mld_querier} of {@code status
 * --json} and the IPv6 groups of the {@code mld} router in {@code groups --json} (the lab's {@link ControlSocketProbe}
 * answers for IGMP only).
 */
final class MldControlProbe {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private MldControlProbe() {}

    /** The MLD querier on an interface as mcgate sees it, if it runs MLD there and knows one. */
    static Optional<ControlSocketProbe.Querier> querier(Path socket, String interfaceName) throws LabException {
        for (Object i : MiniJson.array(MiniJson.at(ask(socket, "status"), "interfaces"))) {
            Map<String, Object> entry = MiniJson.object(i);
            if (interfaceName.equals(entry.get("name")) && entry.get("mld_querier") != null) {
                Map<String, Object> q = MiniJson.object(entry.get("mld_querier"));
                return q.get("address") == null
                        ? Optional.empty()
                        : Optional.of(new ControlSocketProbe.Querier(
                                (Boolean) q.get("this_router"), (String) q.get("address")));
            }
        }
        return Optional.empty();
    }

    /** The IPv6 groups mcgate's MLD router holds on a downstream, but INCLUDE {} (no interest). */
    static Set<Ip6> groups(Path socket, String downstream) throws LabException {
        Set<Ip6> joined = new HashSet<>();
        for (Object i : MiniJson.array(MiniJson.at(ask(socket, "groups"), "downstreams"))) {
            Map<String, Object> entry = MiniJson.object(i);
            if (!downstream.equals(entry.get("interface")) || !"mld".equals(entry.get("protocol"))) {
                continue;
            }
            for (Object g : MiniJson.array(entry.get("groups"))) {
                Map<String, Object> group = MiniJson.object(g);
                boolean emptyInclude = "include".equals(group.get("filter_mode"))
                        && MiniJson.array(group.get("sources")).isEmpty();
                if (!emptyInclude) {
                    joined.add(Ip6.parse((String) group.get("group")));
                }
            }
        }
        return joined;
    }

    /** Waits until mcgate's MLD router holds {@code group} on {@code downstream}: it forwards it there. */
    static void awaitGroup(Path socket, String downstream, Ip6 group, long timeoutMs) throws InterruptedException {
        TestLab.awaitAnswer(
                socket,
                "holding " + group + " on " + downstream,
                timeoutMs,
                p -> groups(p.socket(), downstream),
                joined -> joined.contains(group));
    }

    /** Waits until mcgate sees {@code querier} as the MLD querier on {@code interfaceName}. */
    static void awaitQuerier(Path socket, String interfaceName, ControlSocketProbe.Querier querier, long timeoutMs)
            throws InterruptedException {
        TestLab.awaitAnswer(
                socket,
                "seeing " + querier + " as MLD querier on " + interfaceName,
                timeoutMs,
                p -> querier(p.socket(), interfaceName),
                q -> q.equals(Optional.of(querier)));
    }

    private static Object ask(Path socket, String command) throws LabException {
        ControlResponse response;
        try {
            response = ControlClient.exchange(socket, new ControlRequest(true, command, Optional.empty()), TIMEOUT);
        } catch (ControlClient.UnavailableException e) {
            throw new LabException(e.getMessage());
        }
        if (response.exitCode() != ControlResponse.OK) {
            throw new LabException("mcgate on " + socket + ": " + command + ": " + response.body());
        }
        return MiniJson.parse(response.body());
    }
}
