package dev.mcgate.daemon;

import dev.mcgate.counters.CounterRecorder;
import dev.mcgate.io.FrameHandler;
import dev.mcgate.io.InterfacePort;
import dev.mcgate.logging.RateLimitedLog;
import dev.mcgate.logging.RateLimiter;
import dev.mcgate.net.Ip4;
import dev.mcgate.packet.DataFrameView;
import dev.mcgate.packet.IgmpFrame;
import dev.mcgate.packet.IgmpMessage;
import dev.mcgate.packet.MalformedPacketException;
import dev.mcgate.packet.V3MembershipReport;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs on the capture threads: hands data frames to the forwarding plane, decodes each interface's IGMP frames, counts
 * them per interface ({@link IgmpKind}, malformed ones by reason), drops those sent from one of this host's own
 * addresses (our own queries seen through another handle) and those that break an input rule ({@link IgmpInputRules},
 * counted by rule), and hands the rest to a {@link Sink} (which posts them to the loop).
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
    private final Function<InterfacePort, LinkScope> scopes;
    private final RuleCounts<IgmpInputCounter> inputCounts = new RuleCounts<>(IgmpInputCounter.VALUES);
    private final Sink sink;
    private final FrameHandler dataPlane;
    private final KindCounts<IgmpKind, MalformedPacketException.Reason> counts =
            new KindCounts<>(IgmpKind.VALUES, MalformedPacketException.Reason.values(), IgmpKind::keyword);
    /** A flood of malformed IGMP is counted in full but logged as a few lines, then one every 10 s. */
    private final RateLimitedLog malformed;
    /** One view per capture thread: the view is a reusable cursor and must not be shared. */
    private final ThreadLocal<DataFrameView> view = ThreadLocal.withInitial(DataFrameView::new);

    /** @param dataPlane where every frame that is not IGMP goes, still on the capture thread (the forwarder) */
    public IgmpIntake(Predicate<Ip4> isOwnAddress, Sink sink, FrameHandler dataPlane) {
        this(isOwnAddress, port -> LinkScope.of(port.netInterface(), List.of()), sink, dataPlane, System::nanoTime);
    }

    /** @param scopes each port's addresses and altnets, for the input rules */
    IgmpIntake(
            Predicate<Ip4> isOwnAddress, Function<InterfacePort, LinkScope> scopes, Sink sink, FrameHandler dataPlane) {
        this(isOwnAddress, scopes, sink, dataPlane, System::nanoTime);
    }

    /** @param nanoClock the clock of the rate limit on malformed-frame warnings */
    IgmpIntake(Predicate<Ip4> isOwnAddress, Sink sink, FrameHandler dataPlane, LongSupplier nanoClock) {
        this(isOwnAddress, port -> LinkScope.of(port.netInterface(), List.of()), sink, dataPlane, nanoClock);
    }

    private IgmpIntake(
            Predicate<Ip4> isOwnAddress,
            Function<InterfacePort, LinkScope> scopes,
            Sink sink,
            FrameHandler dataPlane,
            LongSupplier nanoClock) {
        this.malformed = new RateLimitedLog(LOG, new RateLimiter(5, Duration.ofSeconds(10), nanoClock));
        this.isOwnAddress = isOwnAddress;
        this.scopes = scopes;
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
            if (e.reason() == MalformedPacketException.Reason.UNKNOWN_TYPE) {
                // DVMRP, mtrace and the like are routine on a LAN with other multicast routers: counted, not logged.
                counts.add(ifName, IgmpKind.ofType(igmpType(v)));
                return;
            }
            counts.addMalformed(ifName, e.reason());
            malformed.warn(ifName + ": malformed IGMP frame dropped: " + e.getMessage());
            return;
        }
        Ip4 source = decoded.packet().source();
        IgmpMessage message = decoded.packet().message();
        if (isOwnAddress.test(source)) {
            counts.add(ifName, IgmpKind.OWN);
            return;
        }
        counts.add(ifName, IgmpKind.of(message));
        Optional<IgmpInputCounter> broken = IgmpInputRules.broken(decoded, scopes.apply(port));
        if (broken.isPresent()) {
            inputCounts.add(ifName, broken.get(), 1);
            return;
        }
        if (message instanceof V3MembershipReport r && r.unrecognizedRecords() > 0) {
            inputCounts.add(ifName, IgmpInputCounter.UNRECOGNIZED_RECORDS, r.unrecognizedRecords());
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("{}: from {}: {}", ifName, source, message);
        }
        sink.heard(port, source, message);
    }

    @Override
    public void onBatchEnd(InterfacePort port) {
        dataPlane.onBatchEnd(port);
    }

    /** The IGMP type octet of a frame the decoder found to be IPv4 carrying IGMP (so the octet is there). */
    private static int igmpType(DataFrameView v) {
        int at = v.ipOffset() + v.headerLength();
        return at < v.length() ? v.frame()[at] & 0xff : -1;
    }

    /** Messages dropped or records skipped by one input rule on an interface. */
    public long count(String ifName, IgmpInputCounter counter) {
        return inputCounts.get(ifName, counter);
    }

    /** Messages of one kind heard on an interface (for MALFORMED: of every reason). */
    public long count(String ifName, IgmpKind kind) {
        return counts.count(ifName, kind);
    }

    /** Malformed messages of one reason heard on an interface. */
    public long malformed(String ifName, MalformedPacketException.Reason reason) {
        return counts.malformed(ifName, reason);
    }

    /**
     * Every count of these interfaces and of any other heard from, zeros included: each kind, and malformed ones by
     * reason.
     */
    public void recordInto(CounterRecorder out, Collection<String> interfaces) {
        counts.recordInto(out, IgmpIntakeCounter.MESSAGES, interfaces);
        inputCounts.recordInto(out, interfaces);
    }

    /** The non-zero counts in one line, for the log. */
    public String summary() {
        StringBuilder out = new StringBuilder();
        recordInto(
                (counter, value, labels) -> {
                    if (value > 0) {
                        // An input rule's count has only the interface for a label: its metric says what it is.
                        String what = counter == IgmpIntakeCounter.MESSAGES ? "" : " " + counter.metric();
                        out.append(out.length() == 0 ? "" : ", ")
                                .append(String.join(" ", labels).trim())
                                .append(what)
                                .append('=')
                                .append(value);
                    }
                },
                List.of());
        return out.length() == 0 ? "nothing" : out.toString();
    }
}
