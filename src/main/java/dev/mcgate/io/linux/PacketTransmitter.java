package dev.mcgate.io.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import dev.mcgate.io.NetInterface;
import dev.mcgate.logging.RateLimitedLog;
import dev.mcgate.logging.RateLimiter;
import java.io.IOException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The send half of a port: frames copied into native memory of its own and handed to a packet socket in
 * {@code sendmmsg} batches ({@link TransmitQueue}). The AF_PACKET engine sends on its capture socket; the pcap engine
 * opens a send-only socket beside its libpcap handle ({@link #open}).
 *
 * <p>Thread-safe, as {@link TransmitQueue}. {@link #close()} refuses later frames (counted) before it frees anything.
 */
public final class PacketTransmitter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PacketTransmitter.class);
    /** Room above the MTU for the link header (an 802.1Q tag included). */
    private static final int LINK_HEADROOM = 64;

    private final String name;
    private final int fd;
    private final boolean ownsSocket;
    private final Memory destination;
    private final Memory block;
    private final TransmitQueue queue;
    /** A refusing interface must not write a line per frame: a few, then one every 10 s; the counts keep counting. */
    private final RateLimitedLog failures =
            new RateLimitedLog(LOG, new RateLimiter(3, Duration.ofSeconds(10), System::nanoTime));

    private PacketTransmitter(String name, int fd, boolean ownsSocket, int ifindex, int batch, int slotSize) {
        this.name = name;
        this.fd = fd;
        this.ownsSocket = ownsSocket;
        this.destination = SocketAddress.link(ifindex, AfPacketPacketIo.ETH_P_IP);
        this.block = new Memory(SendBatch.bytesNeeded(batch, slotSize));
        SendBatch slots = new SendBatch(
                block.getByteBuffer(0, block.size()),
                Pointer.nativeValue(block),
                batch,
                slotSize,
                Pointer.nativeValue(destination));
        this.queue = new TransmitQueue(slots, (first, count) -> {
            try {
                return PacketSocketCalls.sendmmsg(fd, slots.messageAddress(first), count, 0);
            } catch (LastErrorException e) {
                return -e.getErrorCode();
            }
        });
    }

    /** Sends on {@code fd}, a packet socket the caller owns and closes after closing this. */
    static PacketTransmitter onSocket(int fd, NetInterface netInterface, int batch, int slotSize) {
        return new PacketTransmitter(netInterface.name(), fd, false, netInterface.index(), batch, slotSize);
    }

    /**
     * A send-only packet socket of its own on {@code netInterface}, batches of up to {@code batch} frames of the
     * interface's MTU. Bound with protocol 0, so the kernel queues no received frame to it.
     */
    public static PacketTransmitter open(NetInterface netInterface, int batch) throws IOException {
        String name = netInterface.name();
        int fd;
        try {
            fd = PacketSocketCalls.socket(
                    AfPacketPacketIo.AF_PACKET, AfPacketPacketIo.SOCK_RAW | AfPacketPacketIo.SOCK_CLOEXEC, 0);
        } catch (LastErrorException e) {
            throw new IOException(name + ": cannot open a packet socket to send (" + Errno.describe(e) + ")");
        }
        try (Memory address = SocketAddress.link(netInterface.index(), 0)) {
            PacketSocketCalls.bind(fd, address, ReceiveBatch.SOCKADDR_LL_SIZE);
            return new PacketTransmitter(
                    name, fd, true, netInterface.index(), batch, Math.max(netInterface.mtu(), 576) + LINK_HEADROOM);
        } catch (LastErrorException | IllegalArgumentException e) {
            PacketSocketCalls.close(fd);
            throw new IOException(name + ": cannot bind a packet socket to send ("
                    + (e instanceof LastErrorException le ? Errno.describe(le) : e.getMessage()) + ")");
        }
    }

    /**
     * Sets PACKET_IGNORE_OUTGOING on another packet socket of the interface (libpcap's): frames this transmitter sends
     * are then not copied to that socket only to be dropped there as outgoing.
     *
     * @return false if the kernel does not know the option (before 4.20)
     */
    public static boolean ignoreOutgoing(int fd) {
        try (Memory one = new Memory(4)) {
            one.setInt(0, 1);
            PacketSocketCalls.setsockopt(
                    fd, AfPacketPacketIo.SOL_PACKET, AfPacketPacketIo.PACKET_IGNORE_OUTGOING, one, 4);
            return true;
        } catch (LastErrorException e) {
            return false;
        }
    }

    /** Sends one frame now, after the queued ones; false if this frame was refused (counted). */
    public boolean send(byte[] frame, int length) {
        boolean ok = queue.send(frame, length);
        if (!ok) {
            tell(1);
        }
        return ok;
    }

    /** Queues one frame (copied now) for the next flush; false if refused at once (counted). */
    public boolean queue(byte[] frame, int length) {
        boolean ok = queue.add(frame, length);
        if (!ok) {
            tell(1);
        }
        return ok;
    }

    /** Sends every queued frame; returns how many did not leave (counted): refused, or discarded by close(). */
    public int flush() {
        int failed = queue.flush();
        if (failed > 0) {
            tell(failed);
        }
        return failed;
    }

    /** Frames the kernel took. */
    public long sent() {
        return queue.counters().sent();
    }

    /** Frames that did not leave, whatever the reason: refused by the kernel, too long, or the port closing. */
    public long notSent() {
        return queue.counters().notSent();
    }

    /** System calls that sent queued frames. */
    public long sendCalls() {
        return queue.counters().sendCalls();
    }

    /** Batches sent early because they were full. */
    public long fullBatches() {
        return queue.counters().fullFlushes();
    }

    /** Outside the queue's lock: the counts are taken already, this only tells the operator. */
    private void tell(int frames) {
        TransmitQueue.Counters c = queue.counters();
        failures.warn(name + ": " + frames + " frame(s) not sent ("
                + (c.lastErrno() != 0 ? Errno.describe(c.lastErrno()) : "port closed or frame too long")
                + "); counted as send errors");
    }

    /** Refuses later frames, then closes the socket if it is this transmitter's own and frees the memory. */
    @Override
    public void close() {
        queue.close();
        if (ownsSocket) {
            try {
                PacketSocketCalls.close(fd);
            } catch (LastErrorException e) {
                // The descriptor is gone either way.
            }
        }
        block.close();
        destination.close();
    }
}
