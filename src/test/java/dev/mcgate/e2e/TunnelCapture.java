package dev.mcgate.e2e;

import dev.mcgate.io.linux.Netns;
import dev.mcgate.io.pcap.PcapPacketIo;
import dev.mcgate.net.Ip4;
import dev.mcgate.net.Ip6;
import dev.mcgate.net.IpAddress;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.pcap4j.core.BpfProgram.BpfCompileMode;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNetworkInterface.PromiscuousMode;

/**
 * What crosses one Ethernet interface, as IPv4 and IPv6 packets: those on the wire itself ({@link Mode#WIRE}, a
 * receiver's LAN), or those carried inside a tunnel's unicast IPv4 packets ({@link Mode#TUNNELLED}, the transit
 * network: VXLAN on UDP 4789, GRE, or a relay's UDP payload holding a bare IP packet). Each seen packet keeps its inner
 * destination, protocol and the time it was seen.
 */
final class TunnelCapture implements AutoCloseable {

    enum Mode {
        WIRE,
        TUNNELLED
    }

    /**
     * One IP packet seen (inside the tunnel when tunnelled), with its total length. For IPv6, {@code protocol} is the
     * upper layer's (after a Hop-by-Hop header), {@code ttl} the hop limit and {@code igmpType} the ICMPv6 type.
     */
    record Seen(long nanos, IpAddress source, IpAddress destination, int protocol, int ttl, int igmpType, int length) {}

    /** IGMP message types (RFC 3376 §4, RFC 2236 §2). */
    static final int QUERY = 0x11;

    static final int V3_REPORT = 0x22;
    static final int V2_REPORT = 0x16;

    /** MLD message types (RFC 9777 §5, RFC 2710 §3). */
    static final int MLD_QUERY = 130;

    static final int MLD_V2_REPORT = 143;
    static final int MLD_DONE = 132;

    private static final int ICMPV6 = 58;
    private static final int HOP_BY_HOP = 0;

    private static final int VXLAN_PORT = 4789;

    private final String where;
    private final Mode mode;
    private final PcapHandle handle;
    private final Thread thread;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private volatile boolean stopping;

    private TunnelCapture(String where, Mode mode, PcapHandle handle) {
        this.where = where;
        this.mode = mode;
        this.handle = handle;
        this.thread = new Thread(this::loop, "tunnel-capture-" + where);
        this.thread.setDaemon(true);
    }

    /** Starts capturing what arrives at and leaves {@code ifName} in {@code ns} (both directions). */
    static TunnelCapture start(String ns, String ifName, Mode mode) throws IOException {
        PcapPacketIo.libraryVersion(); // points pcap4j at the system's libpcap
        TunnelCapture capture = Netns.call(ns, () -> {
            PcapHandle h = new PcapHandle.Builder(ifName)
                    .snaplen(2048)
                    .promiscuousMode(PromiscuousMode.NONPROMISCUOUS)
                    .timeoutMillis(100)
                    .immediateMode(true)
                    .bufferSize(8 << 20)
                    .build();
            try {
                h.setFilter(mode == Mode.WIRE ? "ip or ip6" : "udp or ip proto 47", BpfCompileMode.OPTIMIZE);
            } catch (RuntimeException | org.pcap4j.core.PcapNativeException e) {
                h.close();
                throw e;
            }
            return new TunnelCapture(ns + "/" + ifName, mode, h);
        });
        capture.thread.start();
        return capture;
    }

    private void loop() {
        try {
            handle.loop(-1, (byte[] frame) -> {
                Seen s = decode(frame, System.nanoTime());
                if (s != null) {
                    seen.add(s);
                }
            });
        } catch (Exception e) {
            if (!stopping) {
                System.err.println(where + ": capture stopped: " + e);
            }
        }
    }

    /** The IP packet in an Ethernet frame, or inside the tunnel packet the frame carries; null if neither. */
    Seen decode(byte[] f, long nanos) {
        int ip = 14;
        if (mode == Mode.WIRE && f.length >= ip + 40 && (f[12] & 0xff) == 0x86 && (f[13] & 0xff) == 0xdd) {
            return ipv6(f, ip, nanos);
        }
        if (f.length < ip + 20 || (f[12] & 0xff) != 0x08 || f[13] != 0) {
            return null;
        }
        if (mode == Mode.TUNNELLED) {
            int ihl = (f[ip] & 0x0f) * 4;
            int protocol = f[ip + 9] & 0xff;
            int payload = ip + ihl;
            if (protocol == 17 && f.length >= payload + 8) {
                int dport = ((f[payload + 2] & 0xff) << 8) | (f[payload + 3] & 0xff);
                // VXLAN: UDP, 8-byte VXLAN header, the inner Ethernet frame; a relay: the IPv4 packet itself.
                ip = dport == VXLAN_PORT ? payload + 8 + 8 + 14 : payload + 8;
            } else if (protocol == 47 && f.length >= payload + 4) {
                int flags = f[payload] & 0xff;
                // RFC 2784/2890: 4 bytes, plus 4 each for checksum, key and sequence number when present.
                ip = payload
                        + 4
                        + ((flags & 0x80) != 0 ? 4 : 0)
                        + ((flags & 0x20) != 0 ? 4 : 0)
                        + ((flags & 0x10) != 0 ? 4 : 0);
            } else {
                return null;
            }
        }
        if (f.length >= ip + 40 && (f[ip] & 0xf0) == 0x60) {
            return ipv6(f, ip, nanos);
        }
        if (f.length < ip + 20 || (f[ip] & 0xf0) != 0x40) {
            return null;
        }
        int protocol = f[ip + 9] & 0xff;
        int igmp = ip + (f[ip] & 0x0f) * 4;
        int igmpType = protocol == 2 && f.length > igmp ? f[igmp] & 0xff : -1;
        return new Seen(
                nanos,
                Ip4.fromBytes(f, ip + 12),
                Ip4.fromBytes(f, ip + 16),
                protocol,
                f[ip + 8] & 0xff,
                igmpType,
                ((f[ip + 2] & 0xff) << 8) | (f[ip + 3] & 0xff));
    }

    /** The IPv6 packet at {@code ip}; an MLD message's Hop-by-Hop header is skipped to reach its ICMPv6 type. */
    private static Seen ipv6(byte[] f, int ip, long nanos) {
        int next = f[ip + 6] & 0xff;
        int upper = ip + 40;
        if (next == HOP_BY_HOP && f.length >= upper + 2) {
            next = f[upper] & 0xff;
            upper += ((f[upper + 1] & 0xff) + 1) * 8;
        }
        int icmpType = next == ICMPV6 && f.length > upper ? f[upper] & 0xff : -1;
        return new Seen(
                nanos,
                Ip6.fromBytes(f, ip + 8),
                Ip6.fromBytes(f, ip + 24),
                next,
                f[ip + 7] & 0xff,
                icmpType,
                40 + (((f[ip + 4] & 0xff) << 8) | (f[ip + 5] & 0xff)));
    }

    /** UDP datagrams to the group seen at or after {@code sinceNanos}. */
    long data(IpAddress group, long sinceNanos) {
        return seen.stream()
                .filter(s -> s.protocol() == 17 && s.destination().equals(group) && s.nanos() >= sinceNanos)
                .count();
    }

    /** IGMP messages of one type seen at or after {@code sinceNanos}, from {@code source}. */
    long igmp(int type, Ip4 source, long sinceNanos) {
        return seen.stream()
                .filter(s -> s.protocol() == 2
                        && s.igmpType() == type
                        && s.source().equals(source)
                        && s.nanos() >= sinceNanos)
                .count();
    }

    /** MLD messages of one type seen at or after {@code sinceNanos}, from {@code source}. */
    long mld(int type, Ip6 source, long sinceNanos) {
        return seen.stream()
                .filter(s -> s.protocol() == ICMPV6
                        && s.igmpType() == type
                        && s.source().equals(source)
                        && s.nanos() >= sinceNanos)
                .count();
    }

    /** The datagrams to the group, for TTL and hop limit checks. */
    List<Seen> to(IpAddress group) {
        return seen.stream()
                .filter(s -> s.protocol() == 17 && s.destination().equals(group))
                .toList();
    }

    @Override
    public void close() throws Exception {
        stopping = true;
        try {
            handle.breakLoop();
        } catch (Exception e) {
            // closed already
        }
        thread.join(5000);
        handle.close();
    }
}
