package dev.mcgate.io.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import dev.mcgate.net.MacAddress;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What an interface's multicast MAC filter lets in, changed the way a packet socket may: link-layer multicast
 * memberships ({@code ip maddr} shows them) or ALLMULTI, held by a socket of our own.
 *
 * <p>A real NIC drops multicast frames whose MAC is not in its filter: a router must add 01:00:5e:00:00:16 (IGMPv3
 * reports) and 01:00:5e:00:00:02 (IGMPv2 leaves) on its downstreams, and the MAC of every joined group on an
 * upstream. The memberships belong to an AF_PACKET socket (protocol 0: it receives nothing), so the kernel drops
 * them by itself when the socket closes, even if the process dies; {@link #close()} restores the filter as it was.
 * Memberships are counted by the kernel, so an address someone else also added stays until they remove it too.
 * ALLMULTI held this way shows as {@code allmulti N} in {@code ip -d link}, not in the flag list (which shows only an
 * administrator's {@code ip link set allmulticast on}), as pcap's promiscuous mode shows as {@code promiscuity N}.
 *
 * <p>Thread-safe.
 */
public final class MulticastFilter implements AutoCloseable {

    private static final int AF_PACKET = 17;
    private static final int SOCK_RAW = 3;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int SOL_PACKET = 263;
    private static final int PACKET_ADD_MEMBERSHIP = 1;
    private static final int PACKET_DROP_MEMBERSHIP = 2;
    private static final int PACKET_MR_MULTICAST = 0;
    private static final int PACKET_MR_ALLMULTI = 2;
    /** struct packet_mreq { int mr_ifindex; unsigned short mr_type; unsigned short mr_alen; unsigned char mr_address[8]; }. */
    private static final int PACKET_MREQ_SIZE = 16;

    /** The MAC of 224.0.0.22, where IGMPv3 reports go. */
    public static final MacAddress ALL_IGMPV3_ROUTERS = MacAddress.parse("01:00:5e:00:00:16");
    /** The MAC of 224.0.0.2, where IGMPv2 leaves go. */
    public static final MacAddress ALL_ROUTERS = MacAddress.parse("01:00:5e:00:00:02");
    /** ff02::16, all MLDv2-capable routers (RFC 9777 §5.2.14), as 33:33 and its low 32 bits (RFC 2464 §7). */
    public static final MacAddress ALL_MLDV2_ROUTERS = MacAddress.parse("33:33:00:00:00:16");
    /** ff02::2, all routers: where MLDv1 Dones go (RFC 2710 §5). */
    public static final MacAddress ALL_ROUTERS_6 = MacAddress.parse("33:33:00:00:00:02");

    private final String interfaceName;
    private final int ifindex;
    private final int fd;
    private final Set<MacAddress> added = new LinkedHashSet<>();
    private boolean allMulti;
    private boolean closed;

    private MulticastFilter(String interfaceName, int ifindex, int fd) {
        this.interfaceName = interfaceName;
        this.ifindex = ifindex;
        this.fd = fd;
    }

    /** Opens the socket that will hold the memberships of one interface (needs CAP_NET_RAW). */
    public static MulticastFilter open(String interfaceName, int ifindex) throws IOException {
        try {
            int fd = LibC.INSTANCE.socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
            return new MulticastFilter(interfaceName, ifindex, fd);
        } catch (LastErrorException e) {
            throw new IOException(interfaceName + ": cannot open a packet socket for the multicast filter (errno "
                    + e.getErrorCode() + ")");
        }
    }

    public String interfaceName() {
        return interfaceName;
    }

    /** Lets frames to {@code mac} in (as {@code ip maddr add}); adding an address twice is harmless. */
    public synchronized void add(MacAddress mac) throws IOException {
        checkOpen();
        if (!added.contains(mac)) {
            membership(PACKET_ADD_MEMBERSHIP, PACKET_MR_MULTICAST, mac);
            added.add(mac);
        }
    }

    /** Withdraws an address this filter added; others are left alone. */
    public synchronized void remove(MacAddress mac) throws IOException {
        checkOpen();
        if (added.remove(mac)) {
            membership(PACKET_DROP_MEMBERSHIP, PACKET_MR_MULTICAST, mac);
        }
    }

    /** Sets or clears our hold on ALLMULTI (every multicast frame let in). */
    public synchronized void allMulti(boolean on) throws IOException {
        checkOpen();
        if (on != allMulti) {
            membership(on ? PACKET_ADD_MEMBERSHIP : PACKET_DROP_MEMBERSHIP, PACKET_MR_ALLMULTI, null);
            allMulti = on;
        }
    }

    /** The addresses this filter added. */
    public synchronized Set<MacAddress> addresses() {
        return Set.copyOf(added);
    }

    public synchronized boolean isAllMulti() {
        return allMulti;
    }

    private void membership(int option, int type, MacAddress mac) throws IOException {
        try (Memory mreq = new Memory(PACKET_MREQ_SIZE)) {
            mreq.clear();
            mreq.setInt(0, ifindex);
            mreq.setShort(4, (short) type);
            if (mac != null) {
                mreq.setShort(6, (short) 6);
                mreq.write(8, mac.toBytes(), 0, 6);
            }
            LibC.INSTANCE.setsockopt(fd, SOL_PACKET, option, mreq, PACKET_MREQ_SIZE);
        } catch (LastErrorException e) {
            throw new IOException(interfaceName + ": cannot " + (option == PACKET_ADD_MEMBERSHIP ? "add " : "remove ")
                    + (mac == null ? "ALLMULTI" : mac.toString()) + " in the multicast filter (errno "
                    + e.getErrorCode() + ")");
        }
    }

    private void checkOpen() throws IOException {
        if (closed) {
            throw new IOException(interfaceName + ": multicast filter closed");
        }
    }

    /** Closes the socket: the kernel removes every membership it held. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        added.clear();
        allMulti = false;
        try {
            LibC.INSTANCE.close(fd);
        } catch (LastErrorException e) {
            // Nothing useful to do: the descriptor is gone either way.
        }
    }
}
