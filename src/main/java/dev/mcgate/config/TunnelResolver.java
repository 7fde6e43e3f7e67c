package dev.mcgate.config;

import dev.mcgate.net.IpAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Turns the tunnel blocks of a draft into {@link TunnelConfig}s: required settings, defaults, rules between them. */
final class TunnelResolver {

    private final Problems problems;
    private final InterfaceDefaults defaults;

    TunnelResolver(Problems problems, InterfaceDefaults defaults) {
        this.problems = problems;
        this.defaults = defaults;
    }

    List<TunnelConfig> resolve(List<ConfigDraft.Tunnel> drafts, Map<String, ConfigDraft.Interface> interfaces) {
        List<TunnelConfig> out = new ArrayList<>();
        Map<String, Integer> names = new HashMap<>();
        Map<Integer, Integer> ports = new HashMap<>();
        for (ConfigDraft.Tunnel t : drafts) {
            ConfigDraft.Interface clash = interfaces.get(t.name);
            Integer again = names.putIfAbsent(t.name, t.line);
            if (clash != null) {
                problems.error(
                        t.line,
                        "tunnel " + t.name + ": the name is already used by the interface at line " + clash.line);
                continue;
            }
            if (again != null) {
                problems.error(t.line, "tunnel " + t.name + " is already defined at line " + again);
                continue;
            }
            TunnelConfig c = resolve(t);
            if (c != null) {
                Integer other = ports.putIfAbsent(c.localPort(), t.line);
                if (other != null) {
                    problems.error(
                            t.line,
                            "tunnel " + t.name + ": local port " + c.localPort()
                                    + " is already used by the tunnel at line " + other);
                }
                out.add(c);
            }
        }
        return out;
    }

    private TunnelConfig resolve(ConfigDraft.Tunnel t) {
        boolean complete = true;
        for (Object[] required : new Object[][] {
            {t.role, "role upstream|downstream"},
            {t.localAddress, "local ADDRESS:PORT"},
            {t.peerAddress, "peer ADDRESS:PORT"},
            {t.keyFile, "key-file PATH"}
        }) {
            if (required[0] == null) {
                problems.error(t.line, "tunnel " + t.name + " needs '" + required[1] + "'");
                complete = false;
            }
        }
        Duration keepalive = t.keepalive != null ? t.keepalive.value() : TunnelConfig.DEFAULT_KEEPALIVE;
        Duration dead = t.deadInterval != null ? t.deadInterval.value() : TunnelConfig.DEFAULT_DEAD_INTERVAL;
        if (dead.compareTo(keepalive.multipliedBy(2)) < 0) {
            int line = Math.max(
                    t.keepalive != null ? t.keepalive.line() : 0, t.deadInterval != null ? t.deadInterval.line() : 0);
            problems.error(
                    line,
                    "tunnel " + t.name + ": dead-interval " + ValueReader.format(dead)
                            + " must be at least twice keepalive " + ValueReader.format(keepalive)
                            + " (one lost keepalive must not take the peer down)");
        }
        Map<IpAddress, IpAddress> remap = new TreeMap<>();
        Map<IpAddress, IpAddress> locals = new HashMap<>();
        for (Sourced<IpAddress[]> r : t.remaps) {
            IpAddress remote = r.value()[0];
            IpAddress local = r.value()[1];
            if (remap.containsKey(remote)) {
                problems.error(r.line(), "remap: " + remote + " is already remapped to " + remap.get(remote));
            } else if (locals.containsKey(local)) {
                problems.error(r.line(), "remap: " + local + " already receives " + locals.get(local));
            } else {
                remap.put(remote, local);
                locals.put(local, remote);
            }
        }
        Role role = t.role == null ? null : t.role.value();
        if (role == Role.DOWNSTREAM) {
            // The receiving side decides how a stream leaves it; the sending side has nothing to say about it.
            if (!t.remaps.isEmpty()) {
                problems.error(
                        t.remaps.get(0).line(),
                        "remap belongs on the receiving side (role upstream) of " + "tunnel " + t.name);
            }
            if (t.ttl != null) {
                problems.error(t.ttl.line(), "ttl belongs on the receiving side (role upstream) of tunnel " + t.name);
            }
        }
        if (!complete) {
            return null;
        }
        return new TunnelConfig(
                t.name,
                role,
                t.localAddress.value(),
                t.localPort,
                t.peerAddress.value(),
                t.peerPort,
                t.keyFile.value(),
                keepalive,
                dead,
                t.mtu != null ? t.mtu.value() : TunnelConfig.DEFAULT_MTU,
                t.ttl != null ? t.ttl.value() : 0,
                new TreeMap<>(remap),
                // The tunnel carries both families: its interface runs those the defaults give every interface.
                defaults.forInterface(t.name, role));
    }
}
