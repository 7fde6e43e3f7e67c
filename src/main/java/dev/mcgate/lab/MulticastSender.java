package dev.mcgate.lab;

import dev.mcgate.io.linux.Netns;
import dev.mcgate.net.Ip4;
import dev.mcgate.net.Ip6;
import dev.mcgate.net.IpAddress;
import dev.mcgate.net.IpFamily;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Clock;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Sends paced lab datagrams to a group from a plain UDP socket on the calling thread, until the count or duration
 * is reached or {@link #stop()} is called.
 */
public final class MulticastSender {

    /** Most datagrams sent back to back when behind schedule; bounds how long the stop flag goes unchecked. */
    static final int MAX_BURST = 64;
    /** Give up after this many failed sends in a row: the interface or route is gone, not a passing hiccup. */
    private static final int MAX_CONSECUTIVE_ERRORS = 1000;
    /** Longest single sleep, so that stop() and the duration limit are noticed promptly at low rates. */
    private static final long MAX_SLEEP_NANOS = 100_000_000L;

    private final SendOptions options;
    private final Clock wallClock;
    private final LongSupplier nanoClock;
    private final long senderId;
    private volatile boolean stopRequested;

    /**
     * @param wallClock stamps the payloads (receivers on the same host read the same clock)
     * @param nanoClock paces and measures the run, {@code System::nanoTime} outside tests
     * @param senderId written into every payload; pick it at random per run
     */
    public MulticastSender(SendOptions options, Clock wallClock, LongSupplier nanoClock, long senderId) {
        this.options = options;
        this.wallClock = wallClock;
        this.nanoClock = nanoClock;
        this.senderId = senderId;
    }

    /** Asks a running {@link #run()} to return after the datagram in flight; safe from any thread. */
    public void stop() {
        stopRequested = true;
    }

    /** Sends as {@code options} say from network namespace {@code namespace} (the bench's senders); waits. */
    static SendResult runIn(String namespace, SendOptions options) throws IOException {
        return Netns.call(
                namespace,
                () -> new MulticastSender(
                                options,
                                Clock.systemUTC(),
                                System::nanoTime,
                                ThreadLocalRandom.current().nextLong())
                        .run());
    }

    /**
     * Opens the socket and sends until a limit is reached.
     *
     * @throws IOException when the socket cannot be set up (no route to the group, source not local, ...)
     */
    public SendResult run() throws IOException {
        try (DatagramChannel channel = open()) {
            return sendAll(channel);
        }
    }

    private DatagramChannel open() throws IOException {
        boolean ipv6 = options.group().family() == IpFamily.IPV6;
        DatagramChannel channel =
                DatagramChannel.open(ipv6 ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        try {
            // On an INET6 channel these are IPV6_MULTICAST_HOPS, _LOOP and _IF.
            channel.setOption(StandardSocketOptions.IP_MULTICAST_TTL, options.ttl());
            channel.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, options.loopback());
            NetworkInterface egress = egressInterface();
            if (egress != null) {
                channel.setOption(StandardSocketOptions.IP_MULTICAST_IF, egress);
            }
            InetAddress local = options.source() == null ? null : inet(options.source());
            channel.bind(new InetSocketAddress(local, 0));
            // Connecting once saves the per-send address checks and makes a missing route fail here, before
            // the first datagram, with a clear "Network is unreachable".
            channel.connect(new InetSocketAddress(inet(options.group()), options.port()));
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private NetworkInterface egressInterface() throws IOException {
        if (options.networkInterface() != null) {
            return options.networkInterface();
        }
        return options.source() == null ? null : NetworkInterface.getByInetAddress(inet(options.source()));
    }

    private SendResult sendAll(DatagramChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocateDirect(options.size()); // zero padding, written once
        Pacer pacer = new Pacer(options.rate(), nanoClock);
        long limit = options.count() == 0 ? Long.MAX_VALUE : options.count();
        long start = nanoClock.getAsLong();
        // Compare clock readings by difference only: System.nanoTime may be negative or wrap.
        boolean hasDeadline = options.duration() != null;
        long deadline = hasDeadline ? start + options.duration().toNanos() : 0;
        pacer.start();
        long sequence = 0;
        long sent = 0;
        long firstSend = 0;
        long lastSend = 0;
        long errors = 0;
        int consecutiveErrors = 0;
        String firstError = null;
        while (!stopRequested && sequence < limit) {
            long now = nanoClock.getAsLong();
            if (hasDeadline && now - deadline >= 0) {
                break;
            }
            int burst = pacer.acquire((int) Math.min(MAX_BURST, limit - sequence));
            if (burst == 0) {
                long sleep = Math.min(pacer.nanosUntilNext(), MAX_SLEEP_NANOS);
                if (hasDeadline) {
                    sleep = Math.min(sleep, deadline - now);
                }
                LockSupport.parkNanos(Math.max(1, sleep));
                continue;
            }
            for (int i = 0; i < burst; i++) {
                LabPayload.writeHeader(buffer, senderId, sequence++, LabPayload.micros(wallClock.instant()));
                buffer.clear();
                try {
                    channel.write(buffer);
                    lastSend = nanoClock.getAsLong();
                    if (sent++ == 0) {
                        firstSend = lastSend;
                    }
                    consecutiveErrors = 0;
                } catch (IOException e) {
                    errors++;
                    if (firstError == null) {
                        firstError = String.valueOf(e.getMessage());
                    }
                    if (++consecutiveErrors >= MAX_CONSECUTIVE_ERRORS) {
                        throw new IOException(consecutiveErrors + " sends failed in a row: " + firstError, e);
                    }
                }
            }
        }
        return new SendResult(
                senderId,
                localAddress(channel),
                sent,
                errors,
                firstError,
                nanoClock.getAsLong() - start,
                lastSend - firstSend);
    }

    // After connect() the kernel has chosen the source address; with several addresses on the interface and no
    // --source it may not be the one the operator expects, so the result names it.
    private static IpAddress localAddress(DatagramChannel channel) throws IOException {
        InetAddress local = ((InetSocketAddress) channel.getLocalAddress()).getAddress();
        byte[] bytes = local.getAddress();
        return local instanceof Inet4Address ? Ip4.fromBytes(bytes, 0) : Ip6.fromBytes(bytes, 0);
    }

    static InetAddress inet(IpAddress address) {
        try {
            return InetAddress.getByAddress(address.toBytes());
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError("four or sixteen bytes are always a valid address", e);
        }
    }
}
