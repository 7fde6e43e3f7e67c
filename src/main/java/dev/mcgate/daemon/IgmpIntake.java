package dev.mcgate.daemon;

import dev.mcgate.io.FrameHandler;
import dev.mcgate.io.InterfacePort;
import dev.mcgate.net.Ip4;
import dev.mcgate.packet.DataFrameView;
import dev.mcgate.packet.IgmpFrame;
import dev.mcgate.packet.IgmpMessage;
import dev.mcgate.logging.RateLimitedLog;
import dev.mcgate.logging.RateLimiter;
import dev.mcgate.packet.MalformedPacketException;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs on the capture threads: hands data frames to the forwarding plane, decodes each interface's IGMP frames, counts them per interface (by message kind,
 * malformed ones by reason), drops those sent from one of this host's own addresses (our own queries seen through
 * another handle), and hands the rest to a {@link Sink} (which posts them to the loop).
 */
public final class IgmpIntake implements FrameHandler {

    /** Where decoded messages go, still on the capture thread. */
    @FunctionalInterface
    public interface Sink {
        void heard(InterfacePort port, Ip4 source, IgmpMessage message);
    }

    private static final Logger LOG = LoggerFactory.getLogger(IgmpIntake.class);
    private static final int IGMP = 2;

    private final Predicate<Ip4> isOwnAddress;
    private final Sink sink;
    private final FrameHandler dataPlane;
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    /** A flood of malformed IGMP is counted in full but logged as a few lines, then one every 10 s. */
    private final RateLimitedLog malformed;
    /** One view per capture thread: the view is a reusable cursor and must not be shared. */
    private final ThreadLocal<DataFrameView> view = ThreadLocal.withInitial(DataFrameView::new);

    /** @param dataPlane where every frame that is not IGMP goes, still on the capture thread (the forwarder) */
    public IgmpIntake(Predicate<Ip4> isOwnAddress, Sink sink, FrameHandler dataPlane) {
        this(isOwnAddress, sink, dataPlane, System::nanoTime);
    }

    /** @param nanoClock the clock of the rate limit on malformed-frame warnings */
    IgmpIntake(Predicate<Ip4> isOwnAddress, Sink sink, FrameHandler dataPlane, LongSupplier nanoClock) {
        this.malformed = new RateLimitedLog(LOG, new RateLimiter(5, Duration.ofSeconds(10), nanoClock));
        this.isOwnAddress = isOwnAddress;
        this.sink = sink;
        this.dataPlane = dataPlane;
    }

    @Override
    public void onFrame(InterfacePort port, byte[] frame, int length) {
        String ifName = port.netInterface().name();
        DataFrameView v = view.get().wrap(frame, length, port.linkType());
        // Only the protocol byte decides: validating the header here would checksum every data frame twice, since
        // the forwarder validates what it forwards and the IGMP decoder what it decodes.
        if (!v.isIpv4() || v.protocol() != IGMP) {
            dataPlane.onFrame(port, frame, length);
            return;
        }
        IgmpFrame decoded;
        try {
            decoded = IgmpFrame.decode(frame, length, port.linkType());
        } catch (MalformedPacketException e) {
            count(ifName, "malformed:" + e.reason());
            malformed.warn(ifName + ": malformed IGMP frame dropped: " + e.getMessage());
            return;
        }
        Ip4 source = decoded.packet().source();
        IgmpMessage message = decoded.packet().message();
        if (isOwnAddress.test(source)) {
            count(ifName, "own");
            return;
        }
        count(ifName, message.getClass().getSimpleName());
        if (LOG.isDebugEnabled()) {
            LOG.debug("{}: from {}: {}", ifName, source, message);
        }
        sink.heard(port, source, message);
    }

    @Override
    public void onBatchEnd(InterfacePort port) {
        dataPlane.onBatchEnd(port);
    }

    private void count(String ifName, String what) {
        counts.computeIfAbsent(ifName + " " + what, k -> new LongAdder()).increment();
    }

    /** Every count, keyed "INTERFACE KIND", sorted. */
    public Map<String, Long> snapshot() {
        Map<String, Long> result = new TreeMap<>();
        counts.forEach((k, v) -> result.put(k, v.sum()));
        return result;
    }

    public String summary() {
        Map<String, Long> s = snapshot();
        return s.isEmpty() ? "nothing" : s.toString();
    }
}
