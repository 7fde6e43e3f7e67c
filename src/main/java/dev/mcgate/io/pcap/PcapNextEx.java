package dev.mcgate.io.pcap;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.lang.reflect.Field;
import org.pcap4j.core.PcapHandle;

/**
 * Reads frames from a handle pcap4j opened and configured, through {@code pcap_next_ex} bound by JNA direct mapping,
 * into one reused array: no per-frame array, no JNA callback, nothing allocated per frame.
 *
 * <p>pcap4j's own {@code loop()} calls back into Java through a JNA callback and copies every frame into a new array
 * (~240 octets of garbage and ~1.5 µs per frame, DESIGN.md). pcap4j still opens, configures, filters, sends and closes
 * the handle; only the read goes around it. That bypasses pcap4j's handle lock, so the port must never close the
 * handle while a read may be running: it breaks the loop and joins the capture thread first, as it already does.
 *
 * <p>A batching reader ({@link #batching}) puts the handle in non-blocking mode and waits in poll(2) itself, so the
 * capture thread knows when the frames that were ready are all read: the end of a batch.
 *
 * <p>Not thread-safe: one capture thread per instance.
 */
final class PcapNextEx {

    /** pcap_next_ex results: a frame, a timeout, pcap_breakloop. */
    private static final int FRAME = 1;

    static final int TIMEOUT = 0;
    static final int BREAK = -2;

    private static final Field HANDLE_FIELD;

    static {
        Native.register(PcapNextEx.class, NativeLibrary.getInstance(System.getProperty(PcapLibrary.PROPERTY, "pcap")));
        Field f;
        try {
            f = PcapHandle.class.getDeclaredField("handle");
            f.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            f = null;
        }
        HANDLE_FIELD = f;
    }

    private static native int pcap_next_ex(Pointer pcap, Pointer header, Pointer data);

    private static native int pcap_setnonblock(Pointer pcap, int nonblock, Pointer errbuf);

    private static native int pcap_get_selectable_fd(Pointer pcap);

    /** A pointer that can be moved to another address: reading through it allocates nothing. */
    private static final class MovablePointer extends Pointer {
        MovablePointer() {
            super(0);
        }

        void moveTo(long address) {
            peer = address;
        }
    }

    private final Pointer pcap;
    /** Two out-parameters: struct pcap_pkthdr * at 0, const u_char * at 8. */
    private final Memory outs = new Memory(16);

    private final Pointer dataOut = outs.share(8);
    private final MovablePointer header = new MovablePointer();
    private final MovablePointer data = new MovablePointer();

    /** The capture socket, for poll(2) between batches; -1 if reads block in libpcap. */
    private final int selectableFd;

    private final ReadablePoll poll;

    private PcapNextEx(Pointer pcap, boolean nonBlocking) {
        this.pcap = pcap;
        int fd = -1;
        if (nonBlocking) {
            try (Memory errbuf = new Memory(PCAP_ERRBUF_SIZE)) {
                // Non-blocking reads return TIMEOUT when the ring is empty: that is where a batch ends. libpcap
                // closes its breakloop eventfd here, so the wait below has a timeout for close() to be seen.
                if (pcap_setnonblock(pcap, 1, errbuf) == 0) {
                    fd = pcap_get_selectable_fd(pcap);
                }
            }
        }
        this.selectableFd = fd;
        this.poll = fd >= 0 ? new ReadablePoll(fd) : null;
    }

    private static final int PCAP_ERRBUF_SIZE = 256;

    /** A blocking reader for {@code handle}, or null if this pcap4j does not expose its pcap_t (then use loop()). */
    static PcapNextEx of(PcapHandle handle) {
        Pointer p = pcapOf(handle);
        return p == null ? null : new PcapNextEx(p, false);
    }

    /**
     * A reader that tells when the frames ready are all read ({@link #TIMEOUT}), then waits with
     * {@link #awaitFrames}; if libpcap refuses non-blocking mode it is a blocking reader ({@link #batches()} false).
     * Null if this pcap4j does not expose its pcap_t.
     */
    static PcapNextEx batching(PcapHandle handle) {
        Pointer p = pcapOf(handle);
        return p == null ? null : new PcapNextEx(p, true);
    }

    /** Whether {@link #next} returns {@link #TIMEOUT} at the end of the frames ready instead of blocking. */
    boolean batches() {
        return selectableFd >= 0;
    }

    /** Waits until a frame may be ready, at most {@code millis}; only for a batching reader. */
    void awaitFrames(int millis) {
        poll.await(millis);
    }

    /** The capture socket under {@code handle} (pcap_get_selectable_fd), or -1. */
    static int socketOf(PcapHandle handle) {
        Pointer p = pcapOf(handle);
        return p == null ? -1 : pcap_get_selectable_fd(p);
    }

    /** The pcap_t under pcap4j's handle, or null if this pcap4j does not expose it. */
    static Pointer pcapOf(PcapHandle handle) {
        if (HANDLE_FIELD == null) {
            return null;
        }
        try {
            return (Pointer) HANDLE_FIELD.get(handle);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Reads the next frame into {@code into}; returns its captured length (cut to the array; a frame is never empty),
     * {@link #TIMEOUT}, {@link #BREAK}, or -1 on an error.
     */
    int next(byte[] into) {
        int rc = pcap_next_ex(pcap, outs, dataOut);
        if (rc != FRAME) {
            return rc;
        }
        header.moveTo(outs.getLong(0));
        // struct pcap_pkthdr { struct timeval ts; bpf_u_int32 caplen; bpf_u_int32 len; }: caplen at 16 on LP64.
        int length = Math.min(header.getInt(16), into.length);
        data.moveTo(outs.getLong(8));
        data.read(0, into, 0, length);
        return length;
    }
}
