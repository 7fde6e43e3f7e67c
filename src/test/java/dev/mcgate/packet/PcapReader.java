package dev.mcgate.packet;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads classic libpcap files (microsecond or nanosecond, either byte order) into frames, for golden tests without libpcap.
 */
final class PcapReader {

    /** One captured frame: the captured octets and the pcap link type of the file. */
    record Frame(byte[] data, int originalLength, int pcapLinkType) {}

    private static final int MAGIC_MICROS = 0xa1b2c3d4;
    private static final int MAGIC_NANOS = 0xa1b23c4d;

    private PcapReader() {}

    static List<Frame> read(InputStream in) throws IOException {
        ByteBuffer file = ByteBuffer.wrap(in.readAllBytes());
        if (file.remaining() < 24) {
            throw new IOException("no pcap file header");
        }
        int magic = file.order(ByteOrder.BIG_ENDIAN).getInt(0);
        if (magic != MAGIC_MICROS && magic != MAGIC_NANOS) {
            file.order(ByteOrder.LITTLE_ENDIAN);
            magic = file.getInt(0);
            if (magic != MAGIC_MICROS && magic != MAGIC_NANOS) {
                throw new IOException("not a pcap file (pcapng is not supported)");
            }
        }
        // Header: magic, version major/minor, thiszone, sigfigs, snaplen, network (link type).
        int linkType = file.getInt(20);
        List<Frame> frames = new ArrayList<>();
        int at = 24;
        while (at < file.limit()) {
            if (file.limit() - at < 16) {
                throw new IOException("truncated record header at " + at);
            }
            // Record header: ts_sec, ts_usec, incl_len, orig_len.
            int included = file.getInt(at + 8);
            int original = file.getInt(at + 12);
            at += 16;
            if (included < 0 || file.limit() - at < included) {
                throw new IOException("truncated record at " + at);
            }
            byte[] data = new byte[included];
            file.get(at, data);
            frames.add(new Frame(data, original, linkType));
            at += included;
        }
        return frames;
    }
}
