package dev.mcgate.e2e;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import dev.mcgate.io.linux.Netns;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One end of a stand-in VPN daemon: a raw-IP tun device (IFF_TUN | IFF_NO_PI) in a gateway's namespace, whose packets
 * a thread per direction copies to and from a UDP socket towards the other end, as a VPN daemon would (without the
 * encryption). The device exists while the relay holds its file descriptor.
 */
final class TunRelay implements AutoCloseable {

    /** The few libc calls a tun device needs. */
    interface TunLibC extends Library {
        TunLibC INSTANCE = Native.load("c", TunLibC.class);

        int open(String path, int flags) throws LastErrorException;

        int ioctl(int fd, NativeLong request, byte[] ifreq) throws LastErrorException;

        NativeLong read(int fd, byte[] buffer, NativeLong count) throws LastErrorException;

        NativeLong write(int fd, byte[] buffer, NativeLong count) throws LastErrorException;

        /** {@code fds} is one struct pollfd: fd in the first int, events in the low half of the second. */
        int poll(int[] fds, NativeLong count, int timeoutMs) throws LastErrorException;

        int close(int fd) throws LastErrorException;
    }

    private static final int O_RDWR = 2;
    private static final int O_CLOEXEC = 0x80000;
    /** _IOW('T', 202, int). */
    private static final long TUNSETIFF = 0x400454caL;

    private static final short IFF_TUN = 0x0001;
    private static final short IFF_NO_PI = 0x1000;
    private static final int POLLIN = 1;
    /** How often the copy threads look at the stop flag. */
    private static final int WAKE_MS = 100;

    private final String name;
    private final int fd;
    private final DatagramSocket socket;
    private final Thread toUdp;
    private final Thread toTun;
    private final AtomicLong packetsOut = new AtomicLong();
    private final AtomicLong packetsIn = new AtomicLong();
    private volatile boolean stopping;

    private TunRelay(String name, int fd, DatagramSocket socket) {
        this.name = name;
        this.fd = fd;
        this.socket = socket;
        this.toUdp = new Thread(this::tunToUdp, "tunnel-relay-out-" + name);
        this.toTun = new Thread(this::udpToTun, "tunnel-relay-in-" + name);
        toUdp.setDaemon(true);
        toTun.setDaemon(true);
    }

    /**
     * Creates tun device {@code ifName} in namespace {@code ns} and relays it over UDP from {@code local} to
     * {@code remote}; the device has no address yet.
     */
    static TunRelay open(String ns, String ifName, InetSocketAddress local, InetSocketAddress remote)
            throws IOException {
        TunRelay relay = Netns.call(ns, () -> {
            // The device is created in the namespace of the thread that opens /dev/net/tun.
            int fd = TunLibC.INSTANCE.open("/dev/net/tun", O_RDWR | O_CLOEXEC);
            try {
                byte[] ifreq = new byte[40];
                byte[] n = ifName.getBytes(StandardCharsets.US_ASCII);
                System.arraycopy(n, 0, ifreq, 0, Math.min(n.length, 15));
                short flags = IFF_TUN | IFF_NO_PI;
                ifreq[16] = (byte) flags; // little endian short ifr_flags
                ifreq[17] = (byte) (flags >> 8);
                TunLibC.INSTANCE.ioctl(fd, new NativeLong(TUNSETIFF), ifreq);
                DatagramSocket s = new DatagramSocket(local);
                s.connect(remote);
                s.setSoTimeout(WAKE_MS);
                return new TunRelay(ifName, fd, s);
            } catch (LastErrorException | IOException e) {
                TunLibC.INSTANCE.close(fd);
                throw new IOException(ns + ": cannot create tun device " + ifName + ": " + e.getMessage(), e);
            }
        });
        relay.toUdp.start();
        relay.toTun.start();
        return relay;
    }

    private void tunToUdp() {
        byte[] buffer = new byte[65536];
        int[] pollfd = {fd, POLLIN};
        try {
            while (!stopping) {
                pollfd[1] = POLLIN;
                if (TunLibC.INSTANCE.poll(pollfd, new NativeLong(1), WAKE_MS) <= 0) {
                    continue;
                }
                int n = TunLibC.INSTANCE
                        .read(fd, buffer, new NativeLong(buffer.length))
                        .intValue();
                if (n > 0) {
                    socket.send(new DatagramPacket(buffer, n));
                    packetsOut.incrementAndGet();
                }
            }
        } catch (IOException | LastErrorException e) {
            if (!stopping) {
                System.err.println(name + " relay tun->udp stopped: " + e);
            }
        }
    }

    private void udpToTun() {
        byte[] buffer = new byte[65536];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        while (!stopping) {
            try {
                packet.setLength(buffer.length);
                socket.receive(packet);
                TunLibC.INSTANCE.write(fd, buffer, new NativeLong(packet.getLength()));
                packetsIn.incrementAndGet();
            } catch (SocketTimeoutException e) {
                // look at the stop flag
            } catch (SocketException e) {
                return; // closed
            } catch (IOException | LastErrorException e) {
                // The device may be down for a moment (no carrier yet): a VPN daemon drops the packet too.
            }
        }
    }

    /** Packets copied from the device to the tunnel, and from the tunnel into the device. */
    String describe() {
        return name + " relay: " + packetsOut.get() + " packets out, " + packetsIn.get() + " in";
    }

    static InetSocketAddress at(String address, int port) throws IOException {
        return new InetSocketAddress(InetAddress.getByName(address), port);
    }

    @Override
    public void close() throws InterruptedException {
        stopping = true;
        toUdp.join(2000);
        toTun.join(2000);
        socket.close();
        TunLibC.INSTANCE.close(fd);
    }
}
