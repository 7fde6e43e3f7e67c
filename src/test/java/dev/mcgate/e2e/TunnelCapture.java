package dev.mcgate.e2e;

import dev.mcgate.io.linux.Netns;
import dev.mcgate.io.pcap.PcapPacketIo;
import dev.mcgate.net.Ip4;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.pcap4j.core.BpfProgram.BpfCompileMode;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNetworkInterface.PromiscuousMode;

/**
 * What crosses one Ethernet interface, as IPv4 packets: those on the wire itself ({@link Mode#WIRE}, a receiver's
 * LAN), or those carried inside a tunnel's unicast packets ({@link Mode#TUNNELLED}, the transit network: VXLAN on UDP
 * 4789, GRE, or a relay's UDP payload holding a bare IPv4 packet). Each seen packet keeps its inner destination,
 * protocol and the time it was seen.
 */
final class TunnelCapture implements AutoCloseable {

    enum Mode {
        WIRE,
        TUNNELLED
    }

    /** One IPv4 packet seen (inside the tunnel when tunnelled), with its IPv4 total length. */
    record Seen(long nanos, Ip4 source, Ip4 destination, int protocol, int ttl, int igmpType, int length) {}

    /** IGMP message types (RFC 3376 §4, RFC 2236 §2). */
    static final int QUERY = 0x11;

    static final int V3_REPORT = 0x22;
    static final int V2_REPORT = 0x16;

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
                h.setFilter(mode == Mode.WIRE ? "ip" : "udp or ip proto 47", BpfCompileMode.OPTIMIZE);
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

    /** The IPv4 packet in an Ethernet frame, or inside the tunnel packet the frame carries; null if neither. */
    Seen decode(byte[] f, long nanos) {
        int ip = 14;
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

    /** UDP datagrams to the group seen at or after {@code sinceNanos}. */
    long data(Ip4 group, long sinceNanos) {
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

    /** The datagrams to the group, for TTL checks. */
    List<Seen> to(Ip4 group) {
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
