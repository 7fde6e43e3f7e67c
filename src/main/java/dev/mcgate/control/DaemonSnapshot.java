package dev.mcgate.control;

import dev.mcgate.counters.CounterReadings;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Everything the control commands and the metrics endpoint show, taken at one moment: an immutable value made of
 * plain strings and numbers, so that rendering needs no protocol type and can run on any thread.
 *
 * <p>Times left on timers are in seconds, measured on the daemon's loop clock when the snapshot was taken.
 *
 * @param version            mcgate's version
 * @param uptimeSeconds      since the daemon started
 * @param interfaces         every wanted interface, in configuration order
 * @param routers            the IGMP and MLD routers of every open downstream
 * @param upstreams          the proxy's host side on every open upstream
 * @param flows              every flow the forwarder tracks
 * @param rateWindowSeconds  the interval the flows' rates were measured over (0: no rate yet)
 * @param loop               the event loop's own counters, as status shows them
 * @param tunnels            every configured mcgate tunnel, in configuration order
 * @param engine             the packet I/O engine and, for nft, what the kernel forwards
 * @param counters           every counter the daemon keeps, from its
 *                           {@link dev.mcgate.counters.CounterRegistry}: what {@code counters} and the metrics show
 * @param relays             the HTTP and Kafka relays, where configured
 */
public record DaemonSnapshot(
        String version,
        double uptimeSeconds,
        List<Interface> interfaces,
        List<Router> routers,
        List<Upstream> upstreams,
        List<Flow> flows,
        double rateWindowSeconds,
        Loop loop,
        List<Tunnel> tunnels,
        Engine engine,
        CounterReadings counters,
        Relays relays) {

    /** A snapshot of a daemon that forwards in user space only, with no counter registry. */
    public DaemonSnapshot(
            String version,
            double uptimeSeconds,
            List<Interface> interfaces,
            List<Router> routers,
            List<Upstream> upstreams,
            List<Flow> flows,
            double rateWindowSeconds,
            Loop loop,
            List<Tunnel> tunnels) {
        this(
                version,
                uptimeSeconds,
                interfaces,
                routers,
                upstreams,
                flows,
                rateWindowSeconds,
                loop,
                tunnels,
                Engine.USER_SPACE,
                CounterReadings.EMPTY,
                Relays.NONE);
    }

    /** This snapshot with other counters. */
    public DaemonSnapshot withCounters(CounterReadings readings) {
        return new DaemonSnapshot(
                version,
                uptimeSeconds,
                interfaces,
                routers,
                upstreams,
                flows,
                rateWindowSeconds,
                loop,
                tunnels,
                engine,
                readings,
                relays);
    }

    /** This snapshot with the relays' views. */
    public DaemonSnapshot withRelays(Relays now) {
        return new DaemonSnapshot(
                version,
                uptimeSeconds,
                interfaces,
                routers,
                upstreams,
                flows,
                rateWindowSeconds,
                loop,
                tunnels,
                engine,
                counters,
                now);
    }

    /** The application relays: each present only where the configuration has it. */
    public record Relays(Optional<HttpRelay> http, Optional<KafkaRelay> kafka) {
        public static final Relays NONE = new Relays(Optional.empty(), Optional.empty());
    }

    /**
     * The HTTP relay ({@code http-listen}) while it runs.
     *
     * @param listen       the address it listens on
     * @param clientsNow   clients streaming now
     * @param queuedBytes  payload bytes queued to all clients together (bounded by the relay's budget)
     * @param groups       each streamed group as its URLs name it ({@code [SOURCE@]GROUP:PORT}), with its clients
     */
    public record HttpRelay(String listen, int clientsNow, long queuedBytes, List<HttpGroup> groups) {
        public HttpRelay {
            groups = List.copyOf(groups);
        }
    }

    /** One group the HTTP relay streams: its clients and their summed rate (bytes written over each one's life). */
    public record HttpGroup(String group, int clients, double bitsPerSecond) {}

    /**
     * The Kafka relay (the {@code kafka} block).
     *
     * @param running          whether its clients run (false: they could not start; the log says why)
     * @param bootstrapServers the cluster it was configured with
     * @param publishingGroups joins the publisher holds now (groups, or groups and sources)
     * @param publish          the publisher's figures; empty without {@code kafka-publish} lines or while not running
     * @param subscribers      one per running {@code kafka-subscribe} line
     */
    public record KafkaRelay(
            boolean running,
            String bootstrapServers,
            long publishingGroups,
            Optional<KafkaPublish> publish,
            List<KafkaSubscribe> subscribers) {
        public KafkaRelay {
            subscribers = List.copyOf(subscribers);
        }
    }

    /**
     * The Kafka publisher's figures since it started.
     *
     * @param offered      datagrams a publish line selected
     * @param published    records the broker acknowledged
     * @param drops        datagrams not published, by reason (every reason, zeros included)
     * @param queued       records in the hand-off to the producer now
     * @param latency      datagram arrival at the relay to broker acknowledgement, over every record since the start
     * @param recent       the same over the last complete window of {@code recentSeconds}
     * @param recentSeconds the window's length
     */
    public record KafkaPublish(
            long offered,
            long published,
            Map<String, Long> drops,
            int queued,
            PublishLatency latency,
            PublishLatency recent,
            double recentSeconds) {
        public KafkaPublish {
            drops = java.util.Collections.unmodifiableMap(new TreeMap<>(drops));
        }
    }

    /** Records acknowledged and their latency percentiles, in microseconds (meaningless while acknowledged is 0). */
    public record PublishLatency(long acknowledged, long p50Micros, long p99Micros, long maxMicros) {}

    /**
     * One {@code kafka-subscribe} line's figures since it started.
     *
     * @param sent         records sent as multicast (once, whatever the number of interfaces)
     * @param malformed    records whose key is not mcgate's flow encoding
     * @param sendFailed   sends a socket refused (once per interface)
     * @param commitFailed offset commits that failed (their records may come again)
     */
    public record KafkaSubscribe(
            String topic,
            String groupId,
            List<String> interfaces,
            long sent,
            long malformed,
            long sendFailed,
            long commitFailed) {
        public KafkaSubscribe {
            interfaces = List.copyOf(interfaces);
        }
    }

    /**
     * The packet I/O engine.
     *
     * @param packetIo     the configured engine's keyword: pcap, af-packet, af-xdp, nft
     * @param fallback     with nft: why the kernel forwards nothing (no nft, a refusal), empty while it does
     * @param kernelRoutes routes the kernel forwards now
     * @param transactions nft transactions committed
     * @param refusals     nft transactions refused
     */
    public record Engine(
            String packetIo, Optional<String> fallback, int kernelRoutes, long transactions, long refusals) {
        public static final Engine USER_SPACE = new Engine("pcap", Optional.empty(), 0, 0, 0);

        /** Whether the kernel forwards some routes. */
        public boolean kernelForwards() {
            return packetIo.equals("nft") && fallback.isEmpty();
        }
    }

    public DaemonSnapshot {
        relays = java.util.Objects.requireNonNull(relays, "relays");
        interfaces = List.copyOf(interfaces);
        routers = List.copyOf(routers);
        upstreams = List.copyOf(upstreams);
        flows = List.copyOf(flows);
        tunnels = List.copyOf(tunnels);
    }

    /**
     * One wanted interface.
     *
     * @param state       {@code open}, {@code opening} (its port is being opened), {@code pending} (not present),
     *                    {@code down}, {@code no-address} (it lost the one it had) or {@code failed} (present but
     *                    its open failed: see the log; tried again at its next change)
     * @param address     the primary IPv4 address, if the interface is present and has one
     * @param linkType    {@code ethernet} or {@code raw-ip}, when open
     * @param kernelDrops frames the capture ring overflowed on; -1 when unknown or not open
     * @param captureBufferBytes the capture buffer the open port has (what its ring or socket may hold while mcgate
     *                    is not reading); -1 when not open
     */
    public record Interface(
            String name,
            String role,
            String state,
            Optional<String> address,
            Optional<String> linkType,
            long received,
            long sent,
            long sendErrors,
            long kernelDrops,
            long captureBufferBytes) {}

    /**
     * The IGMP or MLD router of one downstream (a dual-stack downstream has one of each).
     *
     * @param protocol                  {@code igmp} or {@code mld}
     * @param version                   the configured version in the protocol's own numbering (IGMPv3: 3, MLDv2: 2)
     * @param querierAddress            the querier's address (this router's own when it is the querier)
     * @param otherQuerierPresentSeconds left on the Other Querier Present timer (0 when this router is querier)
     * @param counters                  what the router ignored or noticed, by counter name (every
     *                                  {@code router_*} counter, zeros included)
     */
    public record Router(
            String name,
            String protocol,
            String address,
            int version,
            boolean querier,
            String querierAddress,
            double otherQuerierPresentSeconds,
            int robustness,
            double queryIntervalSeconds,
            List<Group> groups,
            Map<String, Long> counters) {
        public static final String IGMP = "igmp";
        public static final String MLD = "mld";

        public Router {
            groups = List.copyOf(groups);
            counters = java.util.Collections.unmodifiableMap(new TreeMap<>(counters));
        }
    }

    /**
     * One group record of a downstream (RFC 3376 §6.2.1).
     *
     * @param filterMode          {@code include} or {@code exclude}
     * @param groupTimerSeconds   left on the group timer (0 in INCLUDE mode)
     * @param compatibilityVersion the Group Compatibility Mode in the protocol's numbering (IGMP 1-3, MLD 1-2)
     */
    public record Group(
            String group, String filterMode, double groupTimerSeconds, int compatibilityVersion, List<Source> sources) {
        public Group {
            sources = List.copyOf(sources);
        }
    }

    /** A source record and its timer (0: in the exclude list of an EXCLUDE-mode group). */
    public record Source(String address, double timerSeconds) {}

    /**
     * The proxy's host side on one upstream (RFC 4605 §4.1).
     *
     * @param compatibilityVersion the IGMP version reported in, after any older querier heard (RFC 3376 §7.2.1)
     * @param lastQuerier          the source of the last query heard, if any
     * @param reportsSent          reports sent (IGMPv3 and older)
     */
    public record Upstream(
            String name,
            String protocol,
            int compatibilityVersion,
            Optional<String> lastQuerier,
            long reportsSent,
            long leavesSent,
            long queriesHeard,
            List<UpstreamGroup> groups) {
        public Upstream {
            groups = List.copyOf(groups);
        }
    }

    /** A group as reported upstream: the merged state of the downstreams after the filters. */
    public record UpstreamGroup(String group, String filterMode, List<String> sources) {
        public UpstreamGroup {
            sources = List.copyOf(sources);
        }
    }

    /**
     * One (source, group) arriving on one interface.
     *
     * @param egress          the interfaces a packet of the flow goes out of, by the table in use now
     * @param packetsPerSecond over {@link DaemonSnapshot#rateWindowSeconds()}
     * @param idleSeconds     since its last packet
     * @param via             {@code user} (the user-space forwarder) or {@code kernel} (an nft route: source
     *                        {@code *} for (*,G), packets and bytes from its rule counter, no rate or idle time)
     * @param ttlExpired      kernel routes: packets that arrived with TTL 0 or 1 and were dropped
     */
    public record Flow(
            String source,
            String group,
            String ingress,
            List<String> egress,
            long packets,
            long bytes,
            double packetsPerSecond,
            double bitsPerSecond,
            double idleSeconds,
            String via,
            long ttlExpired) {
        public Flow {
            egress = List.copyOf(egress);
        }

        /** A flow the user-space forwarder tracks. */
        public Flow(
                String source,
                String group,
                String ingress,
                List<String> egress,
                long packets,
                long bytes,
                double packetsPerSecond,
                double bitsPerSecond,
                double idleSeconds) {
            this(
                    source,
                    group,
                    ingress,
                    egress,
                    packets,
                    bytes,
                    packetsPerSecond,
                    bitsPerSecond,
                    idleSeconds,
                    "user",
                    0);
        }
    }

    /**
     * Internal counters: loop events dropped on a full inbox, loop tasks that threw, flows evicted from a full flow
     * table.
     */
    public record Loop(long inboxDrops, long failedTasks, long flowsEvicted) {}

    /**
     * One end of an mcgate-to-mcgate tunnel, as the peer is seen from here.
     *
     * @param peer             the peer as ADDR:PORT
     * @param role             {@code downstream} (this end sends data) or {@code upstream} (it sends membership)
     * @param state            {@code connecting} (no session yet), {@code up}, {@code down}, or {@code not-open} (its
     *                         socket cannot be bound or its key read yet: retried)
     * @param stateSeconds     how long the peer has been in that state
     * @param lastHeardSeconds since the last authentic message from the peer; empty if never heard
     * @param sessionAgeSeconds age of the current session; empty if there is none
     * @param handshakes       sessions established
     * @param groups           groups in the tunnel's membership
     * @param controlSent      handshake, keepalive and membership messages sent
     * @param sendErrors       messages the socket refused
     * @param innerMtu         the largest inner datagram the tunnel carries
     * @param reason           why it is not open ({@code not-open} only)
     */
    public record Tunnel(
            String name,
            String peer,
            String role,
            String state,
            double stateSeconds,
            Optional<Double> lastHeardSeconds,
            Optional<Double> sessionAgeSeconds,
            long handshakes,
            int groups,
            long dataSent,
            long dataReceived,
            long controlSent,
            long controlReceived,
            long sendErrors,
            int innerMtu,
            Optional<String> reason) {

        /** An open tunnel. */
        public Tunnel(
                String name,
                String peer,
                String role,
                String state,
                double stateSeconds,
                Optional<Double> lastHeardSeconds,
                Optional<Double> sessionAgeSeconds,
                long handshakes,
                int groups,
                long dataSent,
                long dataReceived,
                long controlSent,
                long controlReceived,
                long sendErrors,
                int innerMtu) {
            this(
                    name,
                    peer,
                    role,
                    state,
                    stateSeconds,
                    lastHeardSeconds,
                    sessionAgeSeconds,
                    handshakes,
                    groups,
                    dataSent,
                    dataReceived,
                    controlSent,
                    controlReceived,
                    sendErrors,
                    innerMtu,
                    Optional.empty());
        }
    }

    /** The router of a downstream, if it is open. */
    public Optional<Router> router(String name) {
        return router(name, Router.IGMP);
    }

    /** The router of one protocol ({@link Router#IGMP} or {@link Router#MLD}) on a downstream, if it runs. */
    public Optional<Router> router(String name, String protocol) {
        return routers.stream()
                .filter(r -> r.name().equals(name) && r.protocol().equals(protocol))
                .findFirst();
    }

    /** The host side of an upstream, if it is open. */
    public Optional<Upstream> upstream(String name) {
        return upstream(name, Router.IGMP);
    }

    /** The host side of one protocol ({@link Router#IGMP} or {@link Router#MLD}) on an upstream, if it is open. */
    public Optional<Upstream> upstream(String name, String protocol) {
        return upstreams.stream()
                .filter(u -> u.name().equals(name) && u.protocol().equals(protocol))
                .findFirst();
    }

    /** Whether the interface is an open downstream or upstream with a router or host side of either protocol. */
    public boolean hasMembershipSide(String name) {
        return routers.stream().anyMatch(r -> r.name().equals(name))
                || upstreams.stream().anyMatch(u -> u.name().equals(name));
    }

    /** Distinct groups with a record on some downstream. */
    public long groupCount() {
        return routers.stream()
                .flatMap(r -> r.groups().stream())
                .map(Group::group)
                .distinct()
                .count();
    }
}
