package dev.mcgate.io.pcap;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import org.pcap4j.core.PcapHandle;

/**
 * Sends frames on a handle pcap4j opened, through {@code pcap_sendpacket} bound by JNA direct mapping, from native
 * memory of its own.
 *
 * <p>pcap4j's {@code sendPacket(byte[], int)} passes the array to JNA, which copies all of it to native memory and
 * back on every call, whatever the frame's length: for a tunnel's 64 KiB receive buffer that was two 64 KiB copies
 * per 64-octet datagram (17 % of gateway B's receive thread in perf). Here only the frame's octets are copied, once.
 *
 * <p>Not thread-safe: the port serializes sends, and closes the handle only under the same lock.
 */
final class PcapInject {

    /** The largest frame: an IPv4 packet of 64 KiB behind a link-layer header. */
    static final int MAX_FRAME = 65_536 + 64;

    static {
        Native.register(PcapInject.class, NativeLibrary.getInstance(System.getProperty(PcapLibrary.PROPERTY, "pcap")));
    }

    private static native int pcap_sendpacket(Pointer pcap, Pointer buffer, int size);

    private final Pointer pcap;
    private final Memory buffer = new Memory(MAX_FRAME);

    private PcapInject(Pointer pcap) {
        this.pcap = pcap;
    }

    /**
     * A sender for {@code handle}, or null if this pcap4j does not expose its pcap_t or JNA cannot bind
     * pcap_sendpacket (then use sendPacket).
     */
    static PcapInject of(PcapHandle handle) {
        try {
            Pointer p = PcapNextEx.pcapOf(handle);
            return p == null ? null : new PcapInject(p);
        } catch (LinkageError e) {
            // A static binding failed (ExceptionInInitializerError, then NoClassDefFoundError): pcap4j's path works.
            return null;
        }
    }

    /** Sends the first {@code length} octets of {@code frame}; false if libpcap refused it or it is too long. */
    boolean send(byte[] frame, int length) {
        if (length <= 0 || length > MAX_FRAME || length > frame.length) {
            return false;
        }
        buffer.write(0, frame, 0, length);
        return pcap_sendpacket(pcap, buffer, length) == 0;
    }
}
