package dev.mcgate.daemon;

import dev.mcgate.config.McgateConfig;
import dev.mcgate.config.Role;
import dev.mcgate.config.TunnelConfig;
import dev.mcgate.config.TunnelKeyFile;
import dev.mcgate.igmp.MembershipListener;
import dev.mcgate.net.Ip4;
import dev.mcgate.net.Subscription;
import dev.mcgate.proxy.MembershipSnapshot;
import dev.mcgate.time.EventLoop;
import dev.mcgate.tunnel.TunnelEndpoint;
import dev.mcgate.tunnel.TunnelStatus;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configured mcgate-to-mcgate tunnels, wired into the daemon as interfaces of their role.
 *
 * <p>On the side with the sources (role downstream) a tunnel is a downstream whose membership comes from the peer:
 * what the peer asks for goes to the proxy as a router interface's would ({@link MembershipListener}), so upstream
 * joins and the forwarding table follow; the forwarder sends the wanted flows into the tunnel port. On the side with
 * the receivers (role upstream) a tunnel is an upstream: the proxy's requests for the groups it owns go to the peer
 * instead of IGMP reports ({@link #onMemberships}), and datagrams out of it are forwarded like any arriving on an
 * upstream (RPF: they must arrive there).
 *
 * <p>Threads: {@link #start} and {@link #close} on the main thread; {@link #onMemberships} on the loop; endpoint
 * events arrive on the receive or loop thread and are posted to the loop.
 */
public final class Tunnels implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Tunnels.class);

    private final McgateConfig config;
    private final EventLoop loop;
    private final ForwardingPlane forwarding;
    private final MembershipListener memberships;
    /**
     * Open tunnels in configuration order. Copy-on-write and no lock of this class anywhere: the loop reads it
     * ({@link #onMemberships}) while {@link #start} and {@link #close} wait for the loop.
     */
    private final List<TunnelPort> ports = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Loop thread only: per downstream-role tunnel, what the proxy was last told. */
    private final Map<String, Map<Ip4, Subscription>> told = new HashMap<>();

    /**
     * @param memberships where a downstream-role tunnel's membership goes (the proxy)
     */
    public Tunnels(McgateConfig config, EventLoop loop, ForwardingPlane forwarding, MembershipListener memberships) {
        this.config = config;
        this.loop = loop;
        this.forwarding = forwarding;
        this.memberships = memberships;
    }

    /** Opens every tunnel's socket, attaches its port to the forwarding plane and starts its handshake. */
    public int start() {
        for (TunnelConfig tc : config.tunnels()) {
            try {
                byte[] key = TunnelKeyFile.read(tc.keyFile());
                TunnelPort port = new TunnelPort(tc, key, loop, forwarding.forwarder(), listener(tc));
                try {
                    forwarding.portOpened(tc.asInterface(), port);
                    port.start();
                } catch (Exception | Error e) {
                    // Half-wired is worse than closed.
                    forwarding.portClosing(tc.asInterface(), port);
                    port.close();
                    throw e;
                }
                ports.add(port);
                LOG.info("tunnel {} ({}): {}:{} to peer {}:{}, inner MTU {}", tc.name(), tc.role().keyword(),
                        tc.localAddress(), tc.localPort(), tc.peerAddress(), tc.peerPort(),
                        port.netInterface().mtu());
            } catch (IOException e) {
                LOG.error("tunnel {}: {}", tc.name(), e.getMessage());
            } catch (Exception e) {
                LOG.error("tunnel {}: could not be started: {}", tc.name(), e.toString());
            }
        }
        return ports.size();
    }

    private TunnelEndpoint.Listener listener(TunnelConfig tc) {
        return new TunnelEndpoint.Listener() {
            @Override
            public void peerUp() {
                LOG.info("tunnel {}: peer {}:{} up", tc.name(), tc.peerAddress(), tc.peerPort());
            }

            @Override
            public void peerDown() {
                TunnelPort port = portsByName(tc.name());
                // Called under the endpoint's lock, which status() takes again (it is reentrant).
                LOG.warn("tunnel {}: peer {}:{} down: silent for {}; its membership is withdrawn ({})", tc.name(),
                        tc.peerAddress(), tc.peerPort(), tc.deadInterval(),
                        port == null ? "" : port.status().describe());
            }

            @Override
            public void membershipChanged(Map<Ip4, Subscription> groups) {
                if (tc.role() == Role.DOWNSTREAM) {
                    loop.post(() -> tell(tc.name(), groups));
                }
            }
        };
    }

    /** Loop thread: the peer's full membership, as changes for the proxy. */
    private void tell(String name, Map<Ip4, Subscription> now) {
        Map<Ip4, Subscription> before = told.getOrDefault(name, Map.of());
        for (Map.Entry<Ip4, Subscription> e : before.entrySet()) {
            if (!now.containsKey(e.getKey())) {
                memberships.subscriptionChanged(name, e.getKey(), Subscription.NONE);
            }
        }
        for (Map.Entry<Ip4, Subscription> e : now.entrySet()) {
            if (!e.getValue().equals(before.get(e.getKey()))) {
                memberships.subscriptionChanged(name, e.getKey(), e.getValue());
            }
        }
        told.put(name, Map.copyOf(now));
    }

    /**
     * Loop thread: the proxy published; each upstream-role tunnel sends what is requested of the groups it owns,
     * remapped groups asked for under their far-side name.
     */
    public void onMemberships(MembershipSnapshot snapshot) {
        for (TunnelPort port : portsSnapshot()) {
            TunnelConfig tc = port.config();
            if (tc.role() != Role.UPSTREAM) {
                continue;
            }
            Map<Ip4, Subscription> wanted = new TreeMap<>();
            snapshot.groups().forEach((group, entry) -> {
                if (entry.upstream().filter(tc.name()::equals).isPresent() && !entry.requested().isNone()) {
                    Ip4 remote = tc.remoteGroup(group);
                    if (remote != null) {
                        wanted.put(remote, entry.requested());
                    }
                }
            });
            port.endpoint().setMembership(wanted);
        }
    }

    private TunnelPort portsByName(String name) {
        for (TunnelPort p : ports) {
            if (p.config().name().equals(name)) {
                return p;
            }
        }
        return null;
    }

    private List<TunnelPort> portsSnapshot() {
        return ports;
    }

    /** Every tunnel's status, for {@code mcgate status}. */
    public List<TunnelStatus> statuses() {
        List<TunnelStatus> out = new ArrayList<>();
        portsSnapshot().forEach(p -> out.add(p.status()));
        return out;
    }

    /** Detaches and closes every tunnel; a downstream-role tunnel's membership is withdrawn first. Idempotent. */
    @Override
    public void close() {
        for (TunnelPort port : ports) {
            TunnelConfig tc = port.config();
            if (tc.role() == Role.DOWNSTREAM) {
                try {
                    loop.call(() -> {
                        tell(tc.name(), Map.of());
                        return null;
                    }, java.time.Duration.ofSeconds(5));
                } catch (Exception e) {
                    LOG.debug("tunnel {}: membership not withdrawn on stop: {}", tc.name(), e.toString());
                }
            }
            forwarding.portClosing(tc.asInterface(), port);
            LOG.info("tunnel {}: closed; {}", tc.name(), port.status().describe());
            port.close();
        }
        ports.clear();
    }
}
