package dev.mcgate.relay.http;

import dev.mcgate.relay.DatagramConsumer;
import dev.mcgate.relay.LocalMemberships;
import dev.mcgate.relay.RelayDatagram;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One streaming client as a consumer of its group: keeps the datagrams to its UDP port, takes the RTP header off if
 * asked, and queues a slice of the shared payload (no copy). Told the server when it has something to write and when
 * it fell behind.
 *
 * <p>Threads: {@link #onDatagram} on capture threads; the membership on the loop; the rest on the server's thread.
 */
final class RelayClient implements DatagramConsumer {

    /** What the client needs of the server, from a capture thread: never blocks. */
    interface Wake {
        /** The client has data to write, or fell behind and must be disconnected. */
        void ready(RelayClient client);
    }

    final RelayRequest.Stream stream;
    final String address;
    final long sinceMillis;
    final ClientQueue queue;
    private final Wake wake;
    /** Set while the client waits in the server's ready list, so a burst wakes it once. */
    final AtomicBoolean scheduled = new AtomicBoolean();

    final AtomicLong rtpDrops = new AtomicLong();
    final AtomicLong slowDrops = new AtomicLong();
    private static final int UNDECIDED = 0;
    private static final int AS_IS = 1;
    private static final int STRIP_RTP = 2;
    /** A {@code /udp/} stream's payloads: as they are, or RTP taken off; {@code /rtp/} streams always strip it. */
    private volatile int udpFraming;

    /** From the first payload: the response head waits for it. */
    volatile String contentType;
    /** Loop thread: the join, once the loop took it. */
    LocalMemberships.Membership membership;

    RelayClient(
            RelayRequest.Stream stream,
            String address,
            long sinceMillis,
            int queueBound,
            long queueBoundBytes,
            QueueBudget budget,
            Wake wake) {
        this.stream = stream;
        this.address = address;
        this.sinceMillis = sinceMillis;
        this.queue = new ClientQueue(queueBound, queueBoundBytes, budget);
        this.wake = wake;
        this.udpFraming = stream.framing() == RelayRequest.Framing.RTP ? STRIP_RTP : UNDECIDED;
    }

    @Override
    public void onDatagram(RelayDatagram d) {
        if (d.destinationPort() != stream.port()) {
            return; // another stream of the same group: not what this client asked for, not a loss
        }
        ByteBuffer slice = d.payload().duplicate();
        if (udpFraming == UNDECIDED) {
            // /udp/ on a channel that carries TS in RTP gets the TS, as udpxy gives it: decided on the first datagram.
            udpFraming = RtpPayload.carriesTs(slice) ? STRIP_RTP : AS_IS;
        }
        if (stream.framing() == RelayRequest.Framing.RTP || udpFraming == STRIP_RTP) {
            int offset = RtpPayload.offset(slice);
            if (offset == RtpPayload.INVALID) {
                rtpDrops.incrementAndGet();
                return;
            }
            slice.position(slice.position() + offset);
        }
        if (contentType == null) {
            contentType = ContentType.of(slice);
        }
        if (!queue.offer(slice)) {
            slowDrops.incrementAndGet();
        }
        if (scheduled.compareAndSet(false, true)) {
            wake.ready(this);
        }
    }
}
