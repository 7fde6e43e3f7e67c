package dev.mcgate.daemon;

import dev.mcgate.counters.CounterRecorder;
import dev.mcgate.io.FrameHandler;
import dev.mcgate.io.InterfacePort;
import dev.mcgate.logging.RateLimitedLog;
import dev.mcgate.logging.RateLimiter;
import dev.mcgate.net.Ip6;
import dev.mcgate.packet.MalformedMldException;
import dev.mcgate.packet.MldFrame;
import dev.mcgate.packet.MldMessage;
import dev.mcgate.packet.MldV2Report;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs on the capture threads, in front of the forwarder: takes each interface's MLD frames out of the stream, decodes
 * and counts them per interface ({@link MldKind}, malformed ones by reason), drops those sent from one of this host's
 * own addresses and those that break an input rule ({@link MldInputRules}, counted by rule), and hands the rest to a
 * {@link Sink}. Every other frame goes on to the data plane untouched.
 */
public final class MldIntake implements FrameHandler {

    /** Where decoded messages go, still on the capture thread. */
    @FunctionalInterface
    public interface Sink {
        void heard(InterfacePort port, Ip6 source, MldMessage message);
    }

    private static final Logger LOG = LoggerFactory.getLogger(MldIntake.class);

    private final Predicate<Ip6> isOwnAddress;
    private final Sink sink;
    private final FrameHandler dataPlane;
    private final KindCounts<MldKind, MalformedMldException.Reason> counts =
            new KindCounts<>(MldKind.VALUES, MalformedMldException.Reason.values(), MldKind::keyword);
    private final RuleCounts<MldInputCounter> inputCounts = new RuleCounts<>(MldInputCounter.VALUES);
    /** A flood of malformed MLD is counted in full but logged as a few lines, then one every 10 s. */
    private final RateLimitedLog malformed;

    /**
     * @param isOwnAddress whether an IPv6 address is one of this host's (its link-local ones included)
     * @param dataPlane where every frame that is not MLD goes, still on the capture thread
     */
    public MldIntake(Predicate<Ip6> isOwnAddress, Sink sink, FrameHandler dataPlane, LongSupplier nanoClock) {
        this.isOwnAddress = isOwnAddress;
        this.sink = sink;
        this.dataPlane = dataPlane;
        this.malformed = new RateLimitedLog(LOG, new RateLimiter(5, Duration.ofSeconds(10), nanoClock));
    }

    @Override
    public void onFrame(InterfacePort port, byte[] frame, int length) {
        if (!MldFrame.isMld(frame, length, port.linkType())) {
            dataPlane.onFrame(port, frame, length);
            return;
        }
        String ifName = port.netInterface().name();
        MldFrame decoded;
        try {
            decoded = MldFrame.decode(frame, length, port.linkType());
        } catch (MalformedMldException e) {
            counts.addMalformed(ifName, e.reason());
            malformed.warn(ifName + ": malformed MLD frame dropped: " + e.getMessage());
            return;
        }
        Ip6 source = decoded.packet().source();
        MldMessage message = decoded.packet().message();
        if (isOwnAddress.test(source)) {
            counts.add(ifName, MldKind.OWN);
            return;
        }
        counts.add(ifName, MldKind.of(message));
        Optional<MldInputCounter> broken = MldInputRules.broken(decoded, isOwnAddress);
        if (broken.isPresent()) {
            inputCounts.add(ifName, broken.get(), 1);
            return;
        }
        if (message instanceof MldV2Report r && r.unrecognizedRecords() > 0) {
            inputCounts.add(ifName, MldInputCounter.UNRECOGNIZED_RECORDS, r.unrecognizedRecords());
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

    /** Messages of one kind heard on an interface (for MALFORMED: of every reason). */
    public long count(String ifName, MldKind kind) {
        return counts.count(ifName, kind);
    }

    /** Messages dropped or records skipped by one input rule on an interface. */
    public long count(String ifName, MldInputCounter rule) {
        return inputCounts.get(ifName, rule);
    }

    public long malformed(String ifName, MalformedMldException.Reason reason) {
        return counts.malformed(ifName, reason);
    }

    /** Every count of these interfaces and of any other heard from, zeros included. */
    public void recordInto(CounterRecorder out, Collection<String> interfaces) {
        counts.recordInto(out, MldIntakeCounter.MESSAGES, interfaces);
        inputCounts.recordInto(out, interfaces);
    }
}
