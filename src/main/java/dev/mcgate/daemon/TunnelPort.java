package dev.mcgate.daemon;

import dev.mcgate.config.TunnelConfig;
import dev.mcgate.io.FrameHandler;
import dev.mcgate.io.InterfacePort;
import dev.mcgate.io.NetInterface;
import dev.mcgate.io.PortCounters;
import dev.mcgate.net.Ip4;
import dev.mcgate.packet.LinkType;
import dev.mcgate.time.Loop;
import dev.mcgate.tunnel.InnerRewrite;
import dev.mcgate.tunnel.TunnelDrop;
import dev.mcgate.tunnel.TunnelEndpoint;
import dev.mcgate.tunnel.TunnelParams;
import dev.mcgate.tunnel.TunnelStatus;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A tunnel as a port: a UDP socket to the peer mcgate, with its own receive thread, behaving as a raw-IP interface
 * (frames are IPv4 or IPv6 packets) whose MTU is the path MTU minus the encapsulation. Frames sent into it are sealed and sent
 * to the peer; datagrams from the peer are opened by the {@link TunnelEndpoint}, rewritten (remap, TTL) and handed to
 * the frame handler (the forwarder) on the receive thread, as a capture thread would.
 *
 * <p>Threads: {@link #send} on any capture thread and the receive thread's work take no lock the loop takes (the
 * socket's send is thread-safe; each sending thread has its own buffer). {@link #start} and {@link #retune} run on
 * the loop; {@link #close} off it.
 */
public final class TunnelPort implements InterfacePort {

    private static final Logger LOG = LoggerFactory.getLogger(TunnelPort.class);
    private static final int BUFFER = 65536;
    /** Room for bursts while the receive thread is busy forwarding: the kernel's default is a few hundred packets. */
    private static final int RECEIVE_BUFFER = 8 << 20;

    /** The settings a reload may change in place ({@link #retune}) are read through these three, never cached. */
    private volatile TunnelConfig config;

    private volatile NetInterface netInterface;
    private volatile InnerRewrite rewrite;
    private final Loop loop;
    private final DatagramChannel channel;
    private final InetSocketAddress peer;
    private final TunnelEndpoint endpoint;
    private final FrameHandler handler;
    /** Per sending thread (capture threads, the loop): the message on its way into the socket. */
    private static final ThreadLocal<ByteBuffer> SEND_BUFFER =
            ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(BUFFER));

    private final AtomicLong received = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong sendErrors = new AtomicLong();
    private final Thread receiver;
    /** The socket's kernel drops counted so far (the kernel's figure only grows while the socket lives). */
    private long socketDropsCounted;

    private volatile boolean closed;

    /**
     * Binds the socket and starts the receive thread; {@link #start} then begins the handshake.
     *
     * @throws IOException if the local address and port cannot be bound
     */
    public TunnelPort(
            TunnelConfig config, byte[] key, Loop loop, FrameHandler handler, TunnelEndpoint.Listener listener)
            throws IOException {
        this.config = config;
        this.loop = loop;
        this.handler = handler;
        TunnelParams params = new TunnelParams(
                config.name(),
                config.localAddress(),
                config.localPort(),
                config.peerAddress(),
                config.peerPort(),
                config.role() == dev.mcgate.config.Role.DOWNSTREAM,
                config.keepalive(),
                config.deadInterval(),
                config.mtu());
        this.netInterface = netInterface(config.name(), params.innerMtu());
        this.peer = new InetSocketAddress(
                InetAddress.getByAddress(config.peerAddress().toBytes()), config.peerPort());
        this.rewrite = new InnerRewrite(config.remap(), config.ttl());
        SecureRandom random = new SecureRandom();
        // The receive thread's control messages go to the loop; the event's name is for the loop's own log.
        this.endpoint = new TunnelEndpoint(
                params, key, loop, loop::post, System::currentTimeMillis, random::nextBytes, this::transmit, listener);
        this.channel = DatagramChannel.open(StandardProtocolFamily.INET);
        try {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, RECEIVE_BUFFER);
            channel.bind(new InetSocketAddress(
                    InetAddress.getByAddress(config.localAddress().toBytes()), config.localPort()));
        } catch (IOException e) {
            channel.close();
            throw new IOException(
                    "cannot bind " + config.localAddress() + ":" + config.localPort() + ": " + e.getMessage(), e);
        }
        this.receiver = new Thread(this::receiveLoop, "tunnel-" + config.name());
        receiver.setDaemon(true);
        receiver.start();
    }

    /** Starts the handshake and the keepalive timer. On the loop. */
    public void start() {
        endpoint.start();
    }

    private static NetInterface netInterface(String name, int innerMtu) {
        return new NetInterface(
                name, 0, Optional.empty(), List.of(), innerMtu, new NetInterface.Flags(true, true, true, false, true));
    }

    /**
     * Takes the settings of {@code next} that do not define the session (keepalive, dead interval, MTU, TTL, remap,
     * the interface settings) without dropping it: the endpoint is retuned, the receive thread picks the new rewrite
     * up with its next datagram, and the forwarder the new MTU with the next table the caller has built. The caller
     * has checked that local address, peer, role and key are unchanged ({@link TunnelPlan}). On the loop.
     *
     * @throws IllegalArgumentException if the endpoint refused the new timing (the old one stays)
     */
    public void retune(TunnelConfig next) {
        endpoint.retune(next.keepalive(), next.deadInterval(), next.mtu());
        rewrite = new InnerRewrite(next.remap(), next.ttl());
        netInterface = netInterface(next.name(), endpoint.params().innerMtu());
        config = next;
    }

    public TunnelConfig config() {
        return config;
    }

    public TunnelEndpoint endpoint() {
        return endpoint;
    }

    /** The endpoint's status, with the drops of the socket's receive queue read from the kernel first. Any thread. */
    public TunnelStatus status() {
        countSocketDrops();
        return endpoint.status();
    }

    private synchronized void countSocketDrops() {
        if (closed) {
            return;
        }
        try {
            InetSocketAddress local = (InetSocketAddress) channel.getLocalAddress();
            byte[] address = local.getAddress().getAddress();
            if (address.length != 4) {
                return;
            }
            UdpSocketDrops.read(Ip4.fromBytes(address, 0), local.getPort()).ifPresent(total -> {
                if (total > socketDropsCounted) {
                    endpoint.countDrops(TunnelDrop.SOCKET_OVERFLOW, total - socketDropsCounted);
                    socketDropsCounted = total;
                }
            });
        } catch (IOException | RuntimeException e) {
            // Closed meanwhile: the figure stays as last read.
        }
    }

    @Override
    public NetInterface netInterface() {
        return netInterface;
    }

    @Override
    public LinkType linkType() {
        return LinkType.RAW_IP;
    }

    /** Seals one IP packet, either version (from the forwarder), and sends it to the peer. */
    @Override
    public boolean send(byte[] frame, int length) {
        return !closed && endpoint.sendData(frame, 0, length);
    }

    /** Called by the endpoint on the sending thread (a capture thread, the loop): one message to the peer. */
    private boolean transmit(byte[] message, int length) {
        ByteBuffer sendBuffer = SEND_BUFFER.get();
        sendBuffer.clear();
        sendBuffer.put(message, 0, length).flip();
        try {
            channel.send(sendBuffer, peer);
            sent.incrementAndGet();
            return true;
        } catch (IOException e) {
            // No route, the peer's port refused (ICMP), the interface went away: counted, the tunnel keeps trying.
            sendErrors.incrementAndGet();
            return false;
        }
    }

    private void receiveLoop() {
        byte[] message = new byte[BUFFER];
        byte[] plain = new byte[BUFFER];
        ByteBuffer in = ByteBuffer.wrap(message);
        while (!closed) {
            InetSocketAddress from;
            try {
                in.clear();
                from = (InetSocketAddress) channel.receive(in);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                // An ICMP port unreachable for an earlier send surfaces here on Linux; nothing to do but go on.
                endpoint.countDrops(TunnelDrop.RECEIVE_ERROR, 1);
                continue;
            }
            if (from == null) {
                continue;
            }
            received.incrementAndGet();
            byte[] address = from.getAddress().getAddress();
            Ip4 source = address.length == 4 ? Ip4.fromBytes(address, 0) : Ip4.ANY;
            int n;
            try {
                n = endpoint.receive(message, in.position(), source, from.getPort(), plain);
            } catch (RuntimeException e) {
                LOG.error("tunnel {}: message from {} not handled: {}", config.name(), from, e.toString());
                continue;
            }
            InnerRewrite r = rewrite;
            if (n > 0 && !r.isIdentity() && !r.apply(plain, n)) {
                endpoint.countDrops(TunnelDrop.REWRITE_FAILED, 1);
                continue;
            }
            if (n > 0) {
                try {
                    handler.onFrame(this, plain, n);
                    // One datagram per message: the copies it queued leave now, before the next receive blocks.
                    handler.onBatchEnd(this);
                } catch (RuntimeException e) {
                    LOG.error("tunnel {}: forwarding failed: {}", config.name(), e.toString());
                }
            }
        }
    }

    /** The far mcgate never asks for this side's sources: sending them would spend the link on datagrams it drops. */
    @Override
    public boolean carriesLocalSources() {
        return false;
    }

    @Override
    public PortCounters counters() {
        return new PortCounters(received.get(), sent.get(), sendErrors.get(), -1);
    }

    /**
     * Closes the socket and waits for the receive thread; off the loop (the join blocks). The endpoint's stop is
     * posted to the loop, not waited for: its owner has stopped it already when it detached the port, and a loop that
     * is gone runs no timer either. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        loop.post("tunnel " + netInterface.name() + ": stop", endpoint::stop);
        try {
            channel.close();
        } catch (IOException e) {
            LOG.warn("tunnel {}: closing its socket: {}", config.name(), e.getMessage());
        }
        try {
            receiver.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
