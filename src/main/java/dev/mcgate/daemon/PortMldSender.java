package dev.mcgate.daemon;

import dev.mcgate.counters.CounterRecorder;
import dev.mcgate.counters.CounterSource;
import dev.mcgate.io.InterfacePort;
import dev.mcgate.io.NetInterface;
import dev.mcgate.net.Ip6;
import dev.mcgate.net.MacAddress;
import dev.mcgate.packet.LinkType;
import dev.mcgate.packet.MldFrame;
import dev.mcgate.packet.MldMessage;
import dev.mcgate.packet.MldPacket;
import dev.mcgate.packet.MldSender;
import dev.mcgate.packet.MldSplitter;
import dev.mcgate.packet.MldV2Query;
import dev.mcgate.packet.MldV2Report;
import java.util.ArrayList;
import java.util.List;

/**
 * How the MLD engines' messages leave through a port: IPv6 from the interface's link-local address (hop limit 1,
 * Router Alert in a Hop-by-Hop header), in an Ethernet frame from its MAC to 33:33 and the destination's low 32 bits,
 * or bare on a raw-IP link. An MLDv2 query or report too long for the MTU is split (RFC 9777 §5.1.10, §5.2.15), since
 * nothing fragments it. Failures are counted, never thrown.
 */
final class PortMldSender implements MldSender, CounterSource {

    private final InterfacePort port;
    private final Ip6 source;
    private final MacAddress mac;
    private final int mtu;
    private final PortSendTally tally;

    /** @param source the interface's link-local address (RFC 9777 §5.1.14, §5.2.13) */
    PortMldSender(InterfacePort port, Ip6 source) {
        NetInterface nif = port.netInterface();
        this.port = port;
        this.tally = new PortSendTally(port);
        this.source = source;
        this.mac = nif.mac().orElse(MacAddress.ZERO);
        // A link that cannot carry 1280 octets carries no IPv6 (RFC 8200 §5); an unknown MTU is taken as the minimum.
        this.mtu = Math.max(MldSplitter.MIN_MTU, nif.mtu());
    }

    @Override
    public void send(MldMessage message) {
        List<MldMessage> messages = new ArrayList<>();
        try {
            if (message instanceof MldV2Query q) {
                messages.addAll(MldSplitter.split(q, mtu));
            } else if (message instanceof MldV2Report r) {
                messages.addAll(MldSplitter.split(r, mtu));
            } else {
                messages.add(message);
            }
        } catch (RuntimeException e) {
            tally.failed();
            return;
        }
        boolean ethernet = port.linkType() == LinkType.ETHERNET;
        List<byte[]> frames = new ArrayList<>(messages.size());
        for (MldMessage m : messages) {
            try {
                MldPacket packet = MldPacket.of(source, m);
                frames.add(ethernet ? MldFrame.ethernet(mac, packet).encode() : packet.encode());
            } catch (RuntimeException e) {
                tally.failed();
            }
        }
        tally.sendAll(frames);
    }

    /** The address the messages are sent from. */
    Ip6 source() {
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
        tally.recordInto(out, MldSenderCounter.FRAMES_SENT, MldSenderCounter.FAILURES);
    }
}
