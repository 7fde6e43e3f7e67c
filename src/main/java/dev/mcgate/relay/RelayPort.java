package dev.mcgate.relay;

import dev.mcgate.counters.CounterRecorder;
import dev.mcgate.io.InterfacePort;
import dev.mcgate.io.NetInterface;
import dev.mcgate.io.PortCounters;
import dev.mcgate.net.Ip4;
import dev.mcgate.net.IpAddress;
import dev.mcgate.packet.Ipv6DataFrameView;
import dev.mcgate.packet.LinkType;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A relay's virtual interface as the forwarder sees it: a raw-IP port (like an mcgate tunnel's) whose {@link #send} takes
 * each forwarded IPv4 or IPv6 packet, reads its UDP header and hands the payload, copied once, to the consumers that
 * joined its group (and source). Nothing here blocks; what no consumer gets is counted by {@link RelayDrop}.
 *
 * <p>Threads: {@link #send} on any capture thread, reading the consumers {@link #publish}ed last (by the loop) without
 * a lock.
 */
public final class RelayPort implements InterfacePort {

    private static final Logger LOG = LoggerFactory.getLogger(RelayPort.class);
    private static final int PROTOCOL_UDP = 17;
    private static final int UDP_HEADER = 8;

    /** One consumer's join: its group's datagrams from {@code source}, or from every source if null. */
    public record Registration(IpAddress source, DatagramConsumer consumer) {
        boolean wants(IpAddress from) {
            return source == null || source.equals(from);
        }
    }

    private final NetInterface netInterface;
    private final LongSupplier clock;
    private final ThreadLocal<Ipv6DataFrameView> ipv6 = ThreadLocal.withInitial(Ipv6DataFrameView::new);
    /** Per group, an immutable list replaced whole by the loop: a join costs its group's consumers, not every group's. */
    private final Map<IpAddress, List<Registration>> consumers = new ConcurrentHashMap<>();

    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLongArray drops = new AtomicLongArray(RelayDrop.values().length);
    private volatile boolean closed;

    /**
     * @param name  the relay's interface name ({@code relay:http})
     * @param mtu   the largest packet the forwarder may send in (it fragments nothing for a raw-IP port above it)
     * @param clock arrival times ({@code System::nanoTime})
     */
    public RelayPort(String name, int mtu, LongSupplier clock) {
        this.netInterface = new NetInterface(
                name, 0, Optional.empty(), List.of(), mtu, new NetInterface.Flags(true, true, true, false, true));
        this.clock = clock;
    }

    /** Loop thread: the consumers of one group from now on (an immutable list; empty: none). */
    void publish(IpAddress group, List<Registration> now) {
        if (now.isEmpty()) {
            consumers.remove(group);
        } else {
            consumers.put(group, now);
        }
    }

    /** Loop thread: no consumer of any group from now on. */
    void clear() {
        consumers.clear();
    }

    @Override
    public NetInterface netInterface() {
        return netInterface;
    }

    @Override
    public LinkType linkType() {
        return LinkType.RAW_IP;
    }

    /** One forwarded IP packet, either version: its UDP payload to the consumers of its group. Capture thread. */
    @Override
    public boolean send(byte[] frame, int length) {
        if (closed) {
            return false;
        }
        long arrival = clock.getAsLong();
        int n = Math.min(length, frame.length);
        int version = n > 0 ? (frame[0] & 0xf0) >> 4 : 0;
        IpAddress source;
        IpAddress group;
        int udp;
        int end;
        if (version == 4) {
            int ihl = (frame[0] & 0x0f) * 4;
            if (n < 20 || ihl < 20) {
                return drop(RelayDrop.TRUNCATED);
            }
            end = u16(frame, 2);
            if (end < ihl || end > n) {
                return drop(RelayDrop.TRUNCATED);
            }
            // MF set or a fragment offset: part of a datagram, never a whole one.
            if ((u16(frame, 6) & 0x3fff) != 0) {
                return drop(RelayDrop.FRAGMENT);
            }
            if ((frame[9] & 0xff) != PROTOCOL_UDP) {
                return drop(RelayDrop.NOT_UDP);
            }
            source = Ip4.fromBytes(frame, 12);
            group = Ip4.fromBytes(frame, 16);
            udp = ihl;
        } else if (version == 6) {
            Ipv6DataFrameView v = ipv6.get().wrap(frame, n, LinkType.RAW_IP);
            if (!v.isIpv6() || !v.isValid()) {
                return drop(RelayDrop.TRUNCATED);
            }
            int protocol = v.upperLayerProtocol();
            if (protocol == Ipv6DataFrameView.MALFORMED_CHAIN) {
                return drop(RelayDrop.TRUNCATED);
            }
            if (v.isFragment()) {
                return drop(RelayDrop.FRAGMENT);
            }
            if (protocol != PROTOCOL_UDP) {
                return drop(RelayDrop.NOT_UDP);
            }
            source = v.source();
            group = v.destination();
            udp = v.upperLayerOffset();
            end = v.ipOffset() + 40 + v.payloadLength();
        } else {
            return drop(RelayDrop.TRUNCATED);
        }
        if (end - udp < UDP_HEADER) {
            return drop(RelayDrop.TRUNCATED);
        }
        int udpLength = u16(frame, udp + 4);
        if (udpLength < UDP_HEADER || udp + udpLength > end) {
            return drop(RelayDrop.TRUNCATED);
        }
        List<Registration> all = consumers.get(group);
        if (all == null) {
            return noConsumer();
        }
        RelayDatagram datagram = null;
        for (Registration r : all) {
            if (!r.wants(source)) {
                continue;
            }
            if (datagram == null) {
                // The one copy: the forwarder reuses its frame buffer; every consumer shares this one.
                byte[] payload = Arrays.copyOfRange(frame, udp + UDP_HEADER, udp + udpLength);
                datagram = new RelayDatagram(
                        source,
                        group,
                        u16(frame, udp),
                        u16(frame, udp + 2),
                        ByteBuffer.wrap(payload).asReadOnlyBuffer(),
                        arrival);
            }
            try {
                r.consumer().onDatagram(datagram);
            } catch (RuntimeException e) {
                // A consumer's bug must not take the capture thread (and every other flow on it) down.
                LOG.error("{}: a consumer of {} failed: {}", netInterface.name(), group, e.toString());
            }
        }
        if (datagram == null) {
            return noConsumer();
        }
        delivered.incrementAndGet();
        return true;
    }

    /**
     * A group the relay still holds with no consumer now (its linger after the last client, or a source no consumer
     * wants): the port took it and nobody wanted it, which is the relay's {@code no-consumer} drop and not a failed
     * send (the forwarder counts those as "interface down or gone").
     */
    private boolean noConsumer() {
        drops.incrementAndGet(RelayDrop.NO_CONSUMER.ordinal());
        return true;
    }

    private boolean drop(RelayDrop reason) {
        drops.incrementAndGet(reason.ordinal());
        return false;
    }

    private static int u16(byte[] b, int at) {
        return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
    }

    /** Datagrams handed to at least one consumer. */
    public long delivered() {
        return delivered.get();
    }

    /** Datagrams dropped, by reason (zeros included). */
    public Map<RelayDrop, Long> drops() {
        Map<RelayDrop, Long> out = new EnumMap<>(RelayDrop.class);
        for (RelayDrop r : RelayDrop.values()) {
            out.put(r, drops.get(r.ordinal()));
        }
        return out;
    }

    /** The port's {@link RelayCounter}s, zeros included. Any thread. */
    public void recordInto(CounterRecorder out) {
        String name = netInterface.name();
        out.record(RelayCounter.DATAGRAMS, delivered.get(), name);
        drops().forEach((reason, n) -> out.record(RelayCounter.DROPS, n, name, reason.keyword()));
    }

    @Override
    public PortCounters counters() {
        return new PortCounters(0, delivered.get(), 0, -1);
    }

    /** Not a receiver of anything local to send back upstream: it only consumes. */
    @Override
    public boolean carriesLocalSources() {
        return false;
    }

    @Override
    public void close() {
        closed = true;
        consumers.clear();
    }
}
