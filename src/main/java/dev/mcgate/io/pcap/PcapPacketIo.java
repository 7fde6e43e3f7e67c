package dev.mcgate.io.pcap;

import dev.mcgate.io.CaptureFilter;
import dev.mcgate.io.FrameHandler;
import dev.mcgate.io.InterfacePort;
import dev.mcgate.packet.LinkType;
import dev.mcgate.io.NetInterface;
import dev.mcgate.io.PacketIo;
import java.io.IOException;
import org.pcap4j.core.BpfProgram.BpfCompileMode;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface.PromiscuousMode;
import org.pcap4j.core.NotOpenException;

/**
 * {@link PacketIo} over libpcap through pcap4j: one handle and one capture thread per opened interface.
 *
 * <p>Handles are opened in immediate mode (a router cannot wait for a buffer to fill), direction IN (our own
 * injections must not come back as input), with a snap length of the MTU plus link headers and a large ring so a burst
 * does not overflow it.
 */
public final class PcapPacketIo implements PacketIo {

    /** Room below IP for an Ethernet header with one 802.1Q tag, and some slack. */
    private static final int LINK_HEADROOM = 64;
    private static final int DEFAULT_BUFFER_BYTES = 16 << 20;

    private final int bufferBytes;

    public PcapPacketIo() {
        this(DEFAULT_BUFFER_BYTES);
    }

    public PcapPacketIo(int bufferBytes) {
        this.bufferBytes = bufferBytes;
        PcapLibrary.configure();
    }

    /** The libpcap version string, which also proves the library loads. */
    public static String libraryVersion() {
        PcapLibrary.configure();
        return org.pcap4j.core.Pcaps.libVersion();
    }

    @Override
    public InterfacePort open(NetInterface netInterface, CaptureFilter filter, FrameHandler handler)
            throws IOException {
        String name = netInterface.name();
        PcapHandle handle;
        int snapLength = Math.max(netInterface.mtu(), 576) + LINK_HEADROOM;
        try {
            handle = new PcapHandle.Builder(name)
                    .snaplen(snapLength)
                    .promiscuousMode(PromiscuousMode.NONPROMISCUOUS)
                    .timeoutMillis(100)
                    .bufferSize(bufferBytes)
                    .immediateMode(true)
                    .direction(PcapHandle.PcapDirection.IN)
                    .build();
        } catch (PcapNativeException | RuntimeException e) {
            throw new IOException(name + ": cannot open for capture: " + e.getMessage(), e);
        }
        try {
            LinkType linkType = linkTypeOf(handle, name);
            handle.setFilter(bpf(filter, linkType, netInterface), BpfCompileMode.OPTIMIZE);
            PcapPort port = new PcapPort(netInterface, linkType, handle, handler, snapLength, filter);
            port.start();
            return port;
        } catch (PcapNativeException | NotOpenException | IOException | RuntimeException e) {
            handle.close();
            throw e instanceof IOException io ? io
                    : new IOException(name + ": cannot set up capture: " + e.getMessage(), e);
        }
    }

    /**
     * The filter in kernel BPF. On Ethernet it also excludes frames from our own MAC: libpcap applies direction IN in
     * user space, so without this every frame we inject would still be copied into the capture ring first.
     */
    static String bpf(CaptureFilter filter, LinkType linkType, NetInterface netInterface) {
        return bpf(filter, linkType, netInterface, java.util.Optional.empty());
    }

    /** As above, with the data frames matching {@code leftOut} left out (the kernel forwards them: packet-io nft). */
    static String bpf(CaptureFilter filter, LinkType linkType, NetInterface netInterface,
            java.util.Optional<String> leftOut) {
        String wanted = leftOut.isPresent() && filter == CaptureFilter.IGMP_AND_MULTICAST
                ? "ip proto 2 or (ip multicast and not " + leftOut.get() + ")" : filter.toBpf();
        if (filter == CaptureFilter.NOTHING || linkType != LinkType.ETHERNET || netInterface.mac().isEmpty()) {
            return wanted;
        }
        return "(" + wanted + ") and not ether src " + netInterface.mac().get();
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
