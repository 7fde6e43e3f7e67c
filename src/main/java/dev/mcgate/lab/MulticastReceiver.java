package dev.mcgate.lab;

import java.io.IOException;
import java.time.Clock;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Joins a group through the kernel (any-source or source-specific) and tallies the lab datagrams that arrive, on
 * the calling thread, until the count, the duration or the idle timeout is reached or {@link #stop()} is called.
 */
public final class MulticastReceiver {

    /** How long one receive call may block: the granularity of the limits and of stop(). */
    private static final int POLL_MILLIS = 50;

    private final ReceiveOptions options;
    private final Clock wallClock;
    private final LongSupplier nanoClock;
    private final ReceiveStats stats = new ReceiveStats();
    private volatile boolean stopRequested;

    /**
     * @param wallClock time of the join, and of arrival when the kernel gives no timestamp
     * @param nanoClock the duration and idle limits, {@code System::nanoTime} outside tests
     */
    public MulticastReceiver(ReceiveOptions options, Clock wallClock, LongSupplier nanoClock) {
        this.options = options;
        this.wallClock = wallClock;
        this.nanoClock = nanoClock;
    }

    /** Asks a running {@link #run()} to return within {@value #POLL_MILLIS} ms; safe from any thread. */
    public void stop() {
        stopRequested = true;
    }

    /**
     * Binds, joins and receives until a limit is reached; the socket is closed (and the group left) on return.
     *
     * @throws IOException when the socket cannot be set up or the join fails
     */
    public ReceiveStats run() throws IOException {
        int ifindex = options.networkInterface() == null
                ? 0
                : options.networkInterface().getIndex();
        try (LinuxMulticastSocket socket = LinuxMulticastSocket.bind(options.group(), options.port(), ifindex)) {
            // SO_RXQ_OVFL is on: the kernel attaches the counter only once it is non-zero, so start at 0.
            stats.socketDrops(0);
            socket.receiveBuffer(options.receiveBufferBytes());
            socket.receiveTimeout(POLL_MILLIS);
            long start = nanoClock.getAsLong();
            if (options.source() == null) {
                socket.joinGroup(options.group(), ifindex);
            } else {
                socket.joinSourceGroup(options.group(), ifindex, options.source());
            }
            stats.joinedAt(LabPayload.micros(wallClock.instant()));
            receiveAll(socket, start);
            return stats;
        }
    }

    private void receiveAll(LinuxMulticastSocket socket, long start) throws IOException {
        boolean hasDeadline = options.duration() != null;
        long deadline = hasDeadline ? start + options.duration().toNanos() : 0;
        long idleNanos =
                options.idleTimeout() == null ? -1 : options.idleTimeout().toNanos();
        long limit = options.count() == 0 ? Long.MAX_VALUE : options.count();
        boolean arrived = false; // nanoTime may be negative: no sentinel value for "never"
        long lastArrival = 0;
        ReceivedDatagram datagram = new ReceivedDatagram();
        while (!stopRequested && stats.received() < limit) {
            boolean got = socket.receive(datagram);
            long now = nanoClock.getAsLong();
            if (got) {
                arrived = true;
                lastArrival = now;
                tally(datagram);
            }
            if ((hasDeadline && now - deadline >= 0) || (idleNanos >= 0 && arrived && now - lastArrival >= idleNanos)) {
                break;
            }
        }
    }

    private void tally(ReceivedDatagram datagram) {
        if (datagram.socketDrops >= 0) {
            stats.socketDrops(datagram.socketDrops);
        }
        Optional<LabPayload> payload = datagram.truncated ? Optional.empty() : LabPayload.decode(datagram.payload());
        if (payload.isEmpty()) {
            stats.recordForeign();
            return;
        }
        long arrival;
        if (datagram.kernelMicros >= 0) {
            arrival = datagram.kernelMicros;
            stats.kernelTimestamps(true);
        } else {
            arrival = LabPayload.micros(wallClock.instant());
        }
        stats.record(payload.get(), arrival, datagram.ttl, datagram.source);
    }
}
