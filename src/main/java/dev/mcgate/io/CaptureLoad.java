package dev.mcgate.io;

/**
 * The traffic a port's capture must absorb, and the capture buffer that holds its worst burst when none is configured.
 *
 * <p>Why these sizes. The capture thread stops reading now and then: a GC pause or a JIT deoptimization, a few ms at
 * worst with the lab's serial GC (DESIGN.md). Meanwhile frames queue in the kernel, and what does not fit is lost. So a
 * buffer must hold the frames that arrive at the forwarder's capacity during such a pause, with some margin:
 * <ul>
 *   <li>{@link #STREAMS} (an upstream): 300 k frames/s, the most the pcap forwarder took without loss, for 8 ms:
 *       2400 frames.</li>
 *   <li>{@link #MEMBERSHIP} (a downstream): its hosts' IGMP (the lab absorbed 32 000 reports/s: 256 in 8 ms) and the
 *       streams of local sources, which a proxy (RFC 4605) rarely has; a quarter of the above, 600 frames, holds
 *       2 ms at the full 300 k frames/s and 6-7 ms at the ~90 k/s this forwarder reaches on the test kernel. An
 *       interface with a busy local source should get a {@code capture-buffer} of its own.</li>
 *   <li>{@link #NOTHING} (a send-only port): its filter matches nothing, but it gets a ring regardless.</li>
 * </ul>
 *
 * <p>Frames, not bytes, are what a burst fills: in immediate mode libpcap uses a TPACKET_V2 ring of fixed slots, each
 * the snap length plus its header rounded up ({@link #slotBytes}), however short the frame (DESIGN.md: a 2 MB buffer
 * held 32 frames at snaplen 65536 and about 1000 at 2048). So the size scales with the MTU: at MTU 1500 a slot is
 * 1648 bytes, and the kernel puts two in each 4 KiB block, so the ring takes about 1.25 times the buffer in memory,
 * all of it resident from the moment the handle opens. A packet socket (the af-packet engine) counts each queued
 * frame's socket buffer instead (its truesize: 1-3 KB for a small frame on veth and most NICs), and only while it is
 * queued; the same number holds at least as many frames there.
 */
public enum CaptureLoad {
    /** Multicast streams at the forwarder's full rate: an upstream. */
    STREAMS(2400),
    /** IGMP from hosts, and data only from local sources: a downstream. */
    MEMBERSHIP(600),
    /** Nothing is read: a port only sends. */
    NOTHING(16);

    /** Room below IP for an Ethernet header with one 802.1Q tag, and some slack. */
    public static final int LINK_HEADROOM = 64;
    /**
     * What libpcap puts before each frame in a slot: the tpacket2 header and sockaddr_ll, the MAC header aligned to 16
     * bytes, and 4 bytes reserved for a VLAN tag (libpcap's {@code macoff} on Ethernet: 70).
     */
    static final int SLOT_HEADER = 70;

    private static final int TPACKET_ALIGNMENT = 16;

    private final int frames;

    CaptureLoad(int frames) {
        this.frames = frames;
    }

    /** The load a capture filter implies, for ports opened without a size: what passes it is what may arrive. */
    public static CaptureLoad of(CaptureFilter filter) {
        return switch (filter) {
            case IGMP_AND_MULTICAST, BOTH_FAMILIES -> STREAMS;
            case IGMP -> MEMBERSHIP;
            case NOTHING -> NOTHING;
        };
    }

    /** The frames a burst of this load brings during a capture pause. */
    public int frames() {
        return frames;
    }

    /** The snap length for an interface: its MTU (at least IPv4's 576) and a link header. */
    public static int snapLength(int mtu) {
        return Math.max(mtu, 576) + LINK_HEADROOM;
    }

    /** One slot of libpcap's immediate-mode ring at this MTU (TPACKET_ALIGN(macoff + snaplen)). */
    public static int slotBytes(int mtu) {
        int unaligned = SLOT_HEADER + snapLength(mtu);
        return (unaligned + TPACKET_ALIGNMENT - 1) / TPACKET_ALIGNMENT * TPACKET_ALIGNMENT;
    }

    /** The capture buffer for this load on an interface of this MTU: {@link #frames()} slots. */
    public int bufferBytes(int mtu) {
        return frames * slotBytes(mtu);
    }
}
