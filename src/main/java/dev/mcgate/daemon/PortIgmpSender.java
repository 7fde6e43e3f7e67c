package dev.mcgate.daemon;

import dev.mcgate.counters.CounterRecorder;
import dev.mcgate.counters.CounterSource;
import dev.mcgate.io.InterfacePort;
import dev.mcgate.io.NetInterface;
import dev.mcgate.net.Ip4;
import dev.mcgate.net.MacAddress;
import dev.mcgate.packet.IgmpEncoder;
import dev.mcgate.packet.IgmpMessage;
import dev.mcgate.packet.IgmpSender;
import dev.mcgate.packet.LinkType;
import dev.mcgate.packet.V3MembershipReport;
import dev.mcgate.packet.V3Query;
import dev.mcgate.packet.V3QuerySplitter;
import dev.mcgate.packet.V3ReportSplitter;
import java.util.List;

/**
 * How the protocol engines' messages leave through a port: IPv4 from the interface's primary address (TTL 1, TOS
 * 0xc0, Router Alert), in an Ethernet frame from its MAC or bare on a raw-IP link; a group-and-source query or a v3
 * report too long for the MTU is split (RFC 3376 §4.1.8, §4.2.16). Failures are counted, never thrown.
 */
final class PortIgmpSender implements IgmpSender, CounterSource {

    private static final int DEFAULT_MTU = 1500;
    /** Every IPv4 link carries 68 bytes unfragmented (RFC 791). */
    private static final int MIN_IPV4_MTU = 68;

    private final InterfacePort port;
    private final Ip4 source;
    private final MacAddress mac;
    private final int mtu;
    private final PortSendTally tally;

    PortIgmpSender(InterfacePort port, Ip4 source) {
        NetInterface nif = port.netInterface();
        this.port = port;
        this.tally = new PortSendTally(port);
        this.source = source;
        this.mac = nif.mac().orElse(MacAddress.ZERO);
        this.mtu = mtuOf(nif);
    }

    /**
     * The size the messages are split to: the interface's own MTU, however small (a tunnel inside a tunnel), since a
     * packet larger than it is refused by the kernel and the whole report lost; 1500 only if the MTU is unknown.
     */
    static int mtuOf(NetInterface nif) {
        if (nif.mtu() <= 0) {
            return DEFAULT_MTU;
        }
        return Math.max(nif.mtu(), Math.max(MIN_IPV4_MTU, Math.max(V3ReportSplitter.MIN_MTU, V3QuerySplitter.MIN_MTU)));
    }

    @Override
    public void send(IgmpMessage message) {
        boolean ethernet = port.linkType() == LinkType.ETHERNET;
        List<byte[]> frames;
        try {
            if (message instanceof V3Query q) {
                frames = ethernet
                        ? IgmpEncoder.v3QueryEthernetFrames(mac, source, q, mtu)
                        : IgmpEncoder.v3QueryIpPackets(source, q, mtu);
            } else if (message instanceof V3MembershipReport r) {
                frames = ethernet
                        ? IgmpEncoder.v3ReportEthernetFrames(mac, source, r, mtu)
                        : IgmpEncoder.v3ReportIpPackets(source, r, mtu);
            } else {
                frames = List.of(
                        ethernet
                                ? IgmpEncoder.ethernetFrame(mac, source, message)
                                : IgmpEncoder.ipPacket(source, message));
            }
        } catch (RuntimeException e) {
            tally.failed();
            return;
        }
        tally.sendAll(frames);
    }

    /** The address the messages are sent from. */
    Ip4 source() {
        return source;
    }

    long sent() {
        return tally.sent();
    }

    long failed() {
        return tally.failures();
    }

    @Override
    public void recordInto(CounterRecorder out) {
        tally.recordInto(out, IgmpSenderCounter.FRAMES_SENT, IgmpSenderCounter.FAILURES);
    }
}
