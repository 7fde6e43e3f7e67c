package dev.mcgate.io.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import dev.mcgate.io.CaptureFilter;
import dev.mcgate.io.FrameHandler;
import dev.mcgate.io.InterfacePort;
import dev.mcgate.io.NetInterface;
import dev.mcgate.io.PacketIo;
import dev.mcgate.packet.LinkType;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link PacketIo} over Linux packet sockets (AF_PACKET, SOCK_RAW) without libpcap: one socket and capture thread per
 * interface, frames read in {@code recvmmsg} batches into one native block and sent in {@code sendmmsg} batches
 * ({@link PacketTransmitter}).
 *
 * <p>Each socket is bound to the interface and to EtherType IPv4 (so ARP is not copied to it), or to every EtherType
 * where the port captures both families ({@link CaptureFilter#BOTH_FAMILIES}: MLD and IPv6 data too), has the
 * port's {@link CaptureFilter} attached as classic BPF ({@link CaptureProgram}), the receive buffer the port is opened
 * with, forced as root (SO_RCVBUFFORCE: {@code rmem_max} cannot be raised inside a namespace) and otherwise as much
 * as {@code net.core.rmem_max} allows (mcgate keeps no CAP_NET_ADMIN), and
 * {@code PACKET_IGNORE_OUTGOING}, so frames leaving the interface (ours and other sockets') are never queued to it. On a
 * kernel without that option (before 4.20) the BPF program and a check of each frame's packet type drop them instead.
 */
public final class AfPacketPacketIo implements PacketIo {

    private static final Logger LOG = LoggerFactory.getLogger(AfPacketPacketIo.class);

    static final int AF_PACKET = 17;
    static final int SOCK_RAW = 3;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int SOL_SOCKET = 1;
    static final int SO_RCVBUF = 8;
    static final int SO_RCVTIMEO = 20;
    static final int SO_ATTACH_FILTER = 26;
    static final int SO_RCVBUFFORCE = 33;
    static final int SOL_PACKET = 263;
    static final int PACKET_STATISTICS = 6;
    static final int PACKET_QDISC_BYPASS = 20;
    static final int PACKET_IGNORE_OUTGOING = 23;
    static final int ETH_P_IP = 0x0800;
    static final int ETH_P_ALL = 0x0003;
    static final int ARPHRD_ETHER = 1;
    static final int ARPHRD_RAWIP = 519;
    static final int ARPHRD_NONE = 65534;
    static final int EPERM = 1;
    static final int ENOPROTOOPT = 92;
    private static final int LINK_HEADROOM = 64;

    /**
     * How the sockets are set up.
     *
     * @param batch frames read per recvmmsg call, and frames queued per port before a sendmmsg must go out
     * @param ignoreOutgoing set PACKET_IGNORE_OUTGOING (off only to test the fallback)
     * @param qdiscBypass set PACKET_QDISC_BYPASS: sends skip the interface's queueing discipline
     * @param wakeMillis how long a recvmmsg may block before the capture thread checks its stop flag
     * @param xdp where the port captures multicast data, whether to receive it through an AF_XDP socket too
     *     ({@link XdpAttachment}), so those frames skip the kernel's IP stack and the packet socket's copy, and at
     *     which XDP hook
     */
    public record Options(int batch, boolean ignoreOutgoing, boolean qdiscBypass, int wakeMillis, Xdp xdp) {
        public static final Options DEFAULTS = new Options(32, true, false, 200, Xdp.OFF);

        /** The af-xdp engine: these sockets, and AF_XDP beside them at the hook {@code xdp} names. */
        public static Options xdp(Xdp xdp) {
            return new Options(DEFAULTS.batch, true, false, DEFAULTS.wakeMillis, xdp);
        }

        public Options {
            if (batch < 1 || batch > 1024 || wakeMillis < 1 || wakeMillis > 1000 || xdp == null) {
                throw new IllegalArgumentException("bad AF_PACKET options");
            }
        }
    }

    /** Whether and where AF_XDP receives multicast data: no, the driver's hook else generic, the driver's, generic. */
    public enum Xdp {
        OFF,
        AUTO,
        NATIVE,
        GENERIC
    }

    private final Options options;

    public AfPacketPacketIo() {
        this(Options.DEFAULTS);
    }

    public AfPacketPacketIo(Options options) {
        this.options = options;
    }

    @Override
    public InterfacePort open(
            NetInterface netInterface, CaptureFilter filter, int captureBufferBytes, FrameHandler handler)
            throws IOException {
        String name = netInterface.name();
        int fd;
        try {
            // Protocol 0 until the filter is on: nothing is queued to the socket before it can be filtered.
            fd = PacketSocketCalls.socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
        } catch (LastErrorException e) {
            throw new IOException(name + ": cannot open a packet socket (" + Errno.describe(e) + ")"
                    + (e.getErrorCode() == EPERM ? "; CAP_NET_RAW is needed" : ""));
        }
        try {
            bind(fd, netInterface, 0);
            LinkType linkType = linkTypeOf(fd, name);
            attachFilter(fd, CaptureProgram.of(filter, linkType), name);
            int granted = setUp(fd, name, captureBufferBytes);
            // The filter decides from here on: with both families, IPv6 (MLD included) must reach the socket too.
            bind(fd, netInterface, filter == CaptureFilter.BOTH_FAMILIES ? ETH_P_ALL : ETH_P_IP);
            int slot = Math.max(netInterface.mtu(), 576) + LINK_HEADROOM;
            XdpAttachment xdp = wantsXdp(filter, linkType) ? attachXdp(netInterface, options.xdp()) : null;
            AfPacketPort port;
            try {
                port = new AfPacketPort(netInterface, linkType, fd, handler, options, slot, granted, xdp);
            } catch (RuntimeException e) {
                if (xdp != null) {
                    xdp.close();
                }
                throw e;
            }
            try {
                port.start();
            } catch (RuntimeException | Error e) {
                if (xdp != null) {
                    xdp.close(); // no thread reads the rings: take the program off before anything is released
                }
                throw e;
            }
            return port;
        } catch (IOException | RuntimeException e) {
            PacketSocketCalls.close(fd);
            throw e;
        }
    }

    /** Only a port that captures multicast data, on Ethernet (the program reads an Ethernet header). */
    private boolean wantsXdp(CaptureFilter filter, LinkType linkType) {
        return options.xdp() != Xdp.OFF
                && linkType == LinkType.ETHERNET
                && (filter == CaptureFilter.IGMP_AND_MULTICAST || filter == CaptureFilter.BOTH_FAMILIES);
    }

    /**
     * The AF_XDP socket and program, or null where the kernel refuses them: the port then captures everything through
     * its packet socket, as the af-packet engine does, and says why once.
     */
    private static XdpAttachment attachXdp(NetInterface netInterface, Xdp where) {
        if (VlanDevices.on(netInterface.name())) {
            LOG.warn(
                    "{}: no AF_XDP, every frame comes through the packet socket: the interface has VLAN devices, whose "
                            + "frames an XDP program cannot tell from its own when the driver took the tag out",
                    netInterface.name());
            return null;
        }
        try {
            XdpAttachment xdp = XdpAttachment.attach(netInterface.index(), netInterface.name(), where);
            LOG.info(
                    "{}: multicast data arrives through AF_XDP ({} XDP, {} receive queue(s)); the rest through the "
                            + "packet socket",
                    netInterface.name(),
                    xdp.mode(),
                    xdp.sockets().size());
            return xdp;
        } catch (IOException | LastErrorException e) {
            String message = e.getMessage();
            LOG.warn(
                    "{}: no AF_XDP, every frame comes through the packet socket: {}{}",
                    netInterface.name(),
                    message,
                    message != null && message.contains("errno 1)")
                            ? " (AF_XDP needs CAP_BPF, CAP_NET_ADMIN and CAP_NET_RAW, and CAP_IPC_LOCK or a memlock "
                                    + "limit above its 8 MiB per interface, 16 with more than 8 receive queues)"
                            : "");
            return null;
        }
    }

    private static void bind(int fd, NetInterface netInterface, int protocol) throws IOException {
        try (Memory address = SocketAddress.link(netInterface.index(), protocol)) {
            PacketSocketCalls.bind(fd, address, ReceiveBatch.SOCKADDR_LL_SIZE);
        } catch (LastErrorException e) {
            throw new IOException(netInterface.name() + ": cannot bind a packet socket to ifindex "
                    + netInterface.index() + " (" + Errno.describe(e) + ")");
        }
    }

    private static LinkType linkTypeOf(int fd, String name) throws IOException {
        try (Memory address = new Memory(ReceiveBatch.SOCKADDR_LL_SIZE)) {
            address.clear();
            PacketSocketCalls.getsockname(fd, address, new int[] {ReceiveBatch.SOCKADDR_LL_SIZE});
            int hatype = address.getShort(8) & 0xffff;
            return switch (hatype) {
                case ARPHRD_ETHER -> LinkType.ETHERNET;
                case ARPHRD_NONE, ARPHRD_RAWIP -> LinkType.RAW_IP;
                default ->
                    throw new IOException(name + ": hardware type " + hatype
                            + " is not supported (Ethernet and raw IP are); frames could not be injected");
            };
        } catch (LastErrorException e) {
            throw new IOException(name + ": cannot read the packet socket's address (" + Errno.describe(e) + ")");
        }
    }

    private static void attachFilter(int fd, List<CaptureProgram.Instruction> program, String name) throws IOException {
        byte[] code = CaptureProgram.encode(program);
        try (Memory instructions = new Memory(code.length);
                Memory fprog = new Memory(16)) {
            instructions.write(0, code, 0, code.length);
            // struct sock_fprog { unsigned short len; struct sock_filter *filter; }
            fprog.clear();
            fprog.setShort(0, (short) program.size());
            fprog.setPointer(8, instructions);
            PacketSocketCalls.setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, fprog, 16);
        } catch (LastErrorException e) {
            throw new IOException(name + ": the kernel refused the capture filter (" + Errno.describe(e) + ")");
        }
    }

    /** Sets the socket options; returns the receive buffer the kernel granted, which may be less than asked. */
    private int setUp(int fd, String name, int receiveBufferBytes) throws IOException {
        int granted;
        try (Memory value = new Memory(16)) {
            value.setInt(0, receiveBufferBytes);
            String refused = null;
            try {
                PacketSocketCalls.setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, value, 4);
            } catch (LastErrorException e) {
                // Without CAP_NET_ADMIN (mcgate keeps only CAP_NET_RAW): as much as net.core.rmem_max allows.
                PacketSocketCalls.setsockopt(fd, SOL_SOCKET, SO_RCVBUF, value, 4);
                refused = Errno.describe(e);
            }
            granted = grantedReceiveBuffer(fd);
            if (refused != null && granted < receiveBufferBytes) {
                LOG.warn(
                        "{}: receive buffer {} bytes, not the {} asked for: SO_RCVBUFFORCE was refused ({}; it needs "
                                + "CAP_NET_ADMIN, which mcgate does not keep) and net.core.rmem_max caps SO_RCVBUF: raise "
                                + "it on the host, e.g. sysctl -w net.core.rmem_max=33554432 (a namespace cannot)",
                        name,
                        granted,
                        receiveBufferBytes,
                        refused);
            }
            // struct timeval: recvmmsg returns EAGAIN after this long without a frame, so close() is seen in time.
            value.setLong(0, options.wakeMillis() / 1000);
            value.setLong(8, (options.wakeMillis() % 1000) * 1000L);
            PacketSocketCalls.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, value, 16);
            value.setInt(0, 1);
            if (options.ignoreOutgoing()) {
                try {
                    PacketSocketCalls.setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, value, 4);
                } catch (LastErrorException e) {
                    if (e.getErrorCode() != ENOPROTOOPT) {
                        throw e;
                    }
                    LOG.debug("{}: no PACKET_IGNORE_OUTGOING in this kernel; outgoing frames are filtered", name);
                }
            }
            if (options.qdiscBypass()) {
                PacketSocketCalls.setsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, value, 4);
            }
        } catch (LastErrorException e) {
            throw new IOException(name + ": cannot set up the packet socket (" + Errno.describe(e) + ")");
        }
        return granted;
    }

    /** SO_RCVBUF as the kernel reports it, halved: it doubles what it is given, for its own bookkeeping. */
    private static int grantedReceiveBuffer(int fd) {
        try (Memory value = new Memory(4)) {
            PacketSocketCalls.getsockopt(fd, SOL_SOCKET, SO_RCVBUF, value, new int[] {4});
            return value.getInt(0) / 2;
        }
    }
}
