package dev.mcgate.io;

import dev.mcgate.counters.Counter;
import dev.mcgate.counters.CounterSpec;
import java.util.List;

/** The counters every open port keeps, per interface. */
public enum PortCounter implements Counter {
    FRAMES_RECEIVED("frames_received", "Frames captured on the interface's port and handed to mcgate"),
    FRAMES_SENT("frames_sent", "Frames sent out of the interface's port"),
    SEND_ERRORS("send_errors", "Frames that did not leave the port: refused by the kernel, too long, or port closing"),
    KERNEL_DROPS(
            "kernel_drops",
            "Frames the capture ring overflowed on (libpcap ps_drop, PACKET_STATISTICS); " + "no value where unknown"),
    HANDLER_ERRORS("port_handler_errors", "Frames (or batch ends) whose handler threw; capture went on"),
    RECEIVE_ERRORS("port_receive_errors", "Receive calls that failed (interface down or gone)"),
    TRUNCATED_FRAMES("port_truncated_frames", "Frames longer than a receive slot, handed over cut"),
    OUTGOING_FRAMES(
            "port_outgoing_frames",
            "Outgoing frames the socket read and mcgate skipped (a kernel without " + "PACKET_IGNORE_OUTGOING)"),
    CAPTURE_FILTER_CHANGES(
            "capture_filter_changes",
            "Capture filter changes applied (packet-io nft narrowing or " + "widening the capture)"),
    SEND_CALLS("port_send_calls", "sendmmsg/sendto calls that sent queued frames (frames_sent over this: the batch)"),
    FULL_BATCHES("port_full_batches", "Transmit batches sent early because they were full"),
    XDP_FRAMES(
            "port_xdp_frames",
            "Frames of frames_received that came through AF_XDP (packet-io af-xdp), past the kernel's IP stack");

    private final CounterSpec spec;

    PortCounter(String metric, String help) {
        this.spec = new CounterSpec(metric, help, List.of("interface"));
    }

    @Override
    public CounterSpec spec() {
        return spec;
    }
}
