package dev.mcgate.io;

import dev.mcgate.packet.LinkType;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;

/**
 * An in-memory {@link PacketIo} for unit and scenario tests: named segments (LANs) that interfaces are wired to.
 *
 * <p>A frame sent on a port, or injected by a simulated host, is queued for every other port on its segment and
 * recorded in the segment's log; {@link #deliverPending()} hands queued frames to the handlers. Delivery is explicit
 * and single-threaded so that scenario tests are deterministic and a handler that answers a frame does not recurse.
 * Each port applies its {@link CaptureFilter} and never receives its own frames, as a pcap port with direction IN.
 */
public final class SimulatedLan implements PacketIo {

    private static final int MAX_DELIVERIES_PER_PUMP = 1_000_000;

    private final Map<String, String> segmentOfInterface = new HashMap<>();
    private final Map<String, List<SimPort>> portsOfSegment = new HashMap<>();
    private final Map<String, List<byte[]>> logOfSegment = new HashMap<>();
    private final Queue<Delivery> pending = new ArrayDeque<>();

    private record Delivery(SimPort to, byte[] frame) {}

    /** Wires an interface name to a segment; ports opened on that interface join the segment. */
    public synchronized SimulatedLan wire(String interfaceName, String segment) {
        segmentOfInterface.put(interfaceName, segment);
        return this;
    }

    @Override
    public synchronized InterfacePort open(
            NetInterface netInterface, CaptureFilter filter, int captureBufferBytes, FrameHandler handler)
            throws IOException {
        String segment = segmentOfInterface.get(netInterface.name());
        if (segment == null) {
            throw new IOException(netInterface.name() + ": no such interface in the simulated network");
        }
        LinkType linkType = netInterface.mac().isPresent() ? LinkType.ETHERNET : LinkType.RAW_IP;
        SimPort port = new SimPort(netInterface, linkType, filter, captureBufferBytes, handler, segment);
        portsOfSegment.computeIfAbsent(segment, s -> new ArrayList<>()).add(port);
        return port;
    }

    /**
     * The capture of the open port of {@code interfaceName} stops by itself, as a capture thread that died would: the
     * port receives nothing more, reports the failure and tells its handler. Sending still works, as on a real port.
     *
     * @return false if no port of that interface is open
     */
    public boolean stopCapture(String interfaceName, String why) {
        SimPort port;
        synchronized (this) {
            port = portsOfSegment.getOrDefault(segmentOfInterface.get(interfaceName), List.of()).stream()
                    .filter(p -> p.netInterface.name().equals(interfaceName) && p.captureFailure == null)
                    .findFirst()
                    .orElse(null);
            if (port == null) {
                return false;
            }
            port.captureFailure = why;
        }
        port.handler.onCaptureStopped(port, why);
        return true;
    }

    /** A simulated host (not a port) puts a frame on a segment. */
    public synchronized void inject(String segment, byte[] frame) {
        broadcast(segment, null, frame);
    }

    /** Every frame that appeared on a segment, in order, whoever sent it. */
    public synchronized List<byte[]> log(String segment) {
        return List.copyOf(logOfSegment.getOrDefault(segment, List.of()));
    }

    public synchronized void clearLog(String segment) {
        logOfSegment.remove(segment);
    }

    /**
     * Delivers queued frames, including those sent by handlers while this runs, until none is left.
     *
     * @return how many frames were delivered
     */
    public int deliverPending() {
        int delivered = 0;
        while (true) {
            Delivery next;
            synchronized (this) {
                next = pending.poll();
            }
            if (next == null) {
                return delivered;
            }
            if (++delivered > MAX_DELIVERIES_PER_PUMP) {
                throw new IllegalStateException("frames keep arriving: a forwarding loop in the simulated network");
            }
            next.to.deliver(next.frame);
        }
    }

    private void broadcast(String segment, SimPort from, byte[] frame) {
        logOfSegment.computeIfAbsent(segment, s -> new ArrayList<>()).add(frame.clone());
        for (SimPort port : portsOfSegment.getOrDefault(segment, List.of())) {
            if (port != from && !port.closed && port.accepts(frame)) {
                pending.add(new Delivery(port, frame.clone()));
            }
        }
    }

    private final class SimPort implements InterfacePort {
        private final NetInterface netInterface;
        private final LinkType linkType;
        private final CaptureFilter filter;
        /** Only remembered: a simulated segment delivers every frame at once and never overflows. */
        private final int captureBufferBytes;

        private final FrameHandler handler;
        private final String segment;
        private long received;
        private long sent;
        private long sendErrors;
        private volatile boolean closed;
        /** Set when its capture stopped ({@link #stopCapture}). */
        private volatile String captureFailure;

        SimPort(
                NetInterface netInterface,
                LinkType linkType,
                CaptureFilter filter,
                int captureBufferBytes,
                FrameHandler handler,
                String segment) {
            this.netInterface = netInterface;
            this.linkType = linkType;
            this.filter = filter;
            this.captureBufferBytes = captureBufferBytes;
            this.handler = handler;
            this.segment = segment;
        }

        boolean accepts(byte[] frame) {
            int ip = linkType == LinkType.ETHERNET ? 14 : 0;
            if (linkType == LinkType.ETHERNET && (frame.length < 14 || frame[12] != 0x08 || frame[13] != 0x00)) {
                return false;
            }
            if (frame.length < ip + 20 || (frame[ip] >> 4) != 4) {
                return false;
            }
            int protocol = frame[ip + 9] & 0xff;
            int destination = ((frame[ip + 16] & 0xff) << 24)
                    | ((frame[ip + 17] & 0xff) << 16)
                    | ((frame[ip + 18] & 0xff) << 8)
                    | (frame[ip + 19] & 0xff);
            return filter.matches(protocol, destination);
        }

        void deliver(byte[] frame) {
            if (closed || captureFailure != null) {
                return;
            }
            synchronized (SimulatedLan.this) {
                received++;
            }
            handler.onFrame(this, frame, frame.length);
            // Each delivery is a wake-up of its own: what the handler queued goes out before the next one.
            handler.onBatchEnd(this);
        }

        @Override
        public NetInterface netInterface() {
            return netInterface;
        }

        @Override
        public java.util.Optional<String> captureFailure() {
            return java.util.Optional.ofNullable(captureFailure);
        }

        @Override
        public LinkType linkType() {
            return linkType;
        }

        @Override
        public int captureBufferBytes() {
            return captureBufferBytes;
        }

        @Override
        public boolean send(byte[] frame, int length) {
            synchronized (SimulatedLan.this) {
                if (closed || length > netInterface.mtu() + (linkType == LinkType.ETHERNET ? 18 : 0)) {
                    sendErrors++;
                    return false;
                }
                sent++;
                broadcast(segment, this, Arrays.copyOf(frame, length));
                return true;
            }
        }

        @Override
        public PortCounters counters() {
            synchronized (SimulatedLan.this) {
                return new PortCounters(received, sent, sendErrors, 0);
            }
        }

        @Override
        public void close() {
            synchronized (SimulatedLan.this) {
                closed = true;
                portsOfSegment.getOrDefault(segment, new ArrayList<>()).remove(this);
            }
        }
    }
}
