package dev.mcgate.io.pcap;

import dev.mcgate.io.CaptureFilter;
import dev.mcgate.io.CaptureLoad;
import dev.mcgate.io.FrameHandler;
import dev.mcgate.io.InterfacePort;
import dev.mcgate.io.NetInterface;
import dev.mcgate.io.PacketIo;
import dev.mcgate.io.linux.PacketTransmitter;
import dev.mcgate.packet.LinkType;
import java.io.IOException;
import org.pcap4j.core.BpfProgram.BpfCompileMode;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface.PromiscuousMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link PacketIo} over libpcap through pcap4j: one handle and one capture thread per opened interface.
 *
 * <p>Handles are opened in immediate mode (a router cannot wait for a buffer to fill), direction IN (our own
 * injections must not come back as input), with a snap length of the MTU plus link headers and the ring each port is
 * opened with: in immediate mode a ring of fixed slots, resident from the start ({@link CaptureLoad} says how that
 * sizes it).
 */
public final class PcapPacketIo implements PacketIo {

    private static final Logger LOG = LoggerFactory.getLogger(PcapPacketIo.class);

    public PcapPacketIo() {
        PcapLibrary.configure();
    }

    /** The libpcap version string, which also proves the library loads. */
    public static String libraryVersion() {
        PcapLibrary.configure();
        return org.pcap4j.core.Pcaps.libVersion();
    }

    @Override
    public InterfacePort open(
            NetInterface netInterface, CaptureFilter filter, int captureBufferBytes, FrameHandler handler)
            throws IOException {
        String name = netInterface.name();
        PcapHandle handle;
        int snapLength = CaptureLoad.snapLength(netInterface.mtu());
        try {
            handle = new PcapHandle.Builder(name)
                    .snaplen(snapLength)
                    .promiscuousMode(PromiscuousMode.NONPROMISCUOUS)
                    .timeoutMillis(100)
                    .bufferSize(captureBufferBytes)
                    .immediateMode(true)
                    .direction(PcapHandle.PcapDirection.IN)
                    .build();
        } catch (PcapNativeException | RuntimeException e) {
            throw new IOException(name + ": cannot open for capture: " + e.getMessage(), e);
        }
        PacketTransmitter transmitter = null;
        try {
            LinkType linkType = linkTypeOf(handle, name);
            handle.setFilter(bpf(filter, linkType, netInterface), BpfCompileMode.OPTIMIZE);
            transmitter = transmitter(netInterface, handle);
            PcapPort port = new PcapPort(
                    netInterface, linkType, handle, handler, snapLength, captureBufferBytes, transmitter, filter);
            port.start();
            return port;
        } catch (PcapNativeException | NotOpenException | IOException | RuntimeException e) {
            if (transmitter != null) {
                transmitter.close();
            }
            handle.close();
            throw e instanceof IOException io
                    ? io
                    : new IOException(name + ": cannot set up capture: " + e.getMessage(), e);
        }
    }

    /**
     * A send-only packet socket for batched sends, or null (frames then go out one by one through libpcap). Frames
     * leaving through it are outgoing for the capture socket: PACKET_IGNORE_OUTGOING keeps the kernel from copying them
     * there only for libpcap's direction check to drop them.
     */
    private static PacketTransmitter transmitter(NetInterface netInterface, PcapHandle handle) {
        try {
            PacketTransmitter transmitter = PacketTransmitter.open(netInterface, PcapPort.MAX_BATCH);
            int captureSocket = PcapNextEx.socketOf(handle);
            if (captureSocket >= 0 && !PacketTransmitter.ignoreOutgoing(captureSocket)) {
                LOG.debug(
                        "{}: no PACKET_IGNORE_OUTGOING in this kernel; the capture filter drops our frames",
                        netInterface.name());
            }
            return transmitter;
        } catch (IOException | RuntimeException e) {
            LOG.warn("{}: {}; sending one frame at a time through libpcap", netInterface.name(), e.getMessage());
            return null;
        }
    }

    /**
     * The filter in kernel BPF. On Ethernet it also excludes frames from our own MAC: libpcap applies direction IN in
     * user space, so without this every frame we inject would still be copied into the capture ring first. It also
     * excludes VLAN-tagged frames: a tag the NIC stripped still matches {@code ip} (libpcap puts it back only in the
     * copy it hands us), and such a frame is another LAN's. {@code not vlan} comes last because libpcap shifts the
     * offsets of whatever follows a {@code vlan} keyword.
     */
    static String bpf(CaptureFilter filter, LinkType linkType, NetInterface netInterface) {
        return bpf(filter, linkType, netInterface, java.util.Optional.empty());
    }

    /** As above, with the data frames matching {@code leftOut} left out (the kernel forwards them: packet-io nft). */
    static String bpf(
            CaptureFilter filter, LinkType linkType, NetInterface netInterface, java.util.Optional<String> leftOut) {
        String wanted = filter.toBpf();
        if (leftOut.isPresent() && filter == CaptureFilter.IGMP_AND_MULTICAST) {
            wanted = "ip proto 2 or (ip multicast and not " + leftOut.get() + ")";
        } else if (leftOut.isPresent() && filter == CaptureFilter.BOTH_FAMILIES) {
            // The kernel engine forwards IPv4 only: IPv6 multicast is always captured.
            wanted = "ip proto 2 or (ip multicast and not " + leftOut.get() + ") or ip6 multicast";
        }
        if (filter == CaptureFilter.NOTHING
                || linkType != LinkType.ETHERNET
                || netInterface.mac().isEmpty()) {
            return wanted;
        }
        return "(" + wanted + ") and not ether src " + netInterface.mac().get() + " and not vlan";
    }

    private static LinkType linkTypeOf(PcapHandle handle, String name) throws IOException {
        LinkType linkType = LinkType.fromPcap(handle.getDlt().value());
        if (linkType == null) {
            throw new IOException(name + ": link type " + handle.getDlt()
                    + " is not supported (Ethernet and raw IP are); frames could not be injected");
        }
        return linkType;
    }
}
