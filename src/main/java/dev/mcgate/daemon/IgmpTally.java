package dev.mcgate.daemon;

import dev.mcgate.io.FrameHandler;
import dev.mcgate.io.InterfacePort;
import dev.mcgate.packet.DataFrameView;
import dev.mcgate.packet.IgmpFrame;
import dev.mcgate.packet.MalformedPacketException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes the IGMP frames each interface captures and counts them per interface: by message kind, and malformed ones
 * by reason. Until the protocol engines take the frames over, this is what tells an operator that hosts are heard.
 */
public final class IgmpTally implements FrameHandler {

    private static final Logger LOG = LoggerFactory.getLogger(IgmpTally.class);
    private static final int IGMP = 2;

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    /** One view per capture thread: the view is a reusable cursor and must not be shared. */
    private final ThreadLocal<DataFrameView> view = ThreadLocal.withInitial(DataFrameView::new);

    @Override
    public void onFrame(InterfacePort port, byte[] frame, int length) {
        String ifName = port.netInterface().name();
        DataFrameView v = view.get().wrap(frame, length, port.linkType());
        if (!v.isValid() || v.protocol() != IGMP) {
            count(ifName, "data");
            return;
        }
        try {
            IgmpFrame decoded = IgmpFrame.decode(frame, length, port.linkType());
            String kind = decoded.packet().message().getClass().getSimpleName();
            count(ifName, kind);
            if (LOG.isDebugEnabled()) {
                LOG.debug("{}: from {}: {}", ifName, decoded.packet().source(), decoded.packet().message());
            }
        } catch (MalformedPacketException e) {
            count(ifName, "malformed:" + e.reason());
            LOG.debug("{}: malformed IGMP frame: {}", ifName, e.getMessage());
        }
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
