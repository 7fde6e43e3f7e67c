package dev.mcgate.relay.http;

import java.nio.ByteBuffer;

/** Where the payload of an RTP packet starts (RFC 3550 §5.1, §5.3.1): after the fixed header, CSRCs and extension. */
final class RtpPayload {

    /** Not an RTP packet, or cut short: {@link #offset} returns this. */
    static final int INVALID = -1;

    private static final int FIXED_HEADER = 12;

    private RtpPayload() {}

    /**
     * The payload's offset from the buffer's position: 12 octets, 4 per CSRC, and the extension (4 octets of
     * header plus its length in 32-bit words) if X is set; padding (P) is left at the end, as udpxy does. The
     * buffer is not moved.
     */
    static int offset(ByteBuffer packet) {
        int p = packet.position();
        int n = packet.remaining();
        if (n < FIXED_HEADER) {
            return INVALID;
        }
        int first = packet.get(p) & 0xff;
        // Version 2 (RFC 3550 §5.1): anything else is not RTP (a TS packet starts with 0x47, version 1).
        if (first >> 6 != 2) {
            return INVALID;
        }
        int offset = FIXED_HEADER + 4 * (first & 0x0f);
        if ((first & 0x10) != 0) {
            if (n < offset + 4) {
                return INVALID;
            }
            int words = ((packet.get(p + offset + 2) & 0xff) << 8) | (packet.get(p + offset + 3) & 0xff);
            offset += 4 + 4 * words;
        }
        return offset <= n ? offset : INVALID;
    }

    /** RFC 3551's static payload type for MPEG-2 transport streams. */
    private static final int PT_MP2T = 33;

    /**
     * Whether a datagram looks like MPEG-TS carried in RTP, as udpxy detects it on {@code /udp/}: an RTP version 2
     * header with payload type MP2T or a dynamic one (96-127), and whole TS packets after it. A plain TS datagram
     * starts with 0x47 (version 1) and never passes; the buffer is not moved.
     */
    static boolean carriesTs(ByteBuffer packet) {
        int offset = offset(packet);
        if (offset == INVALID) {
            return false;
        }
        int type = packet.get(packet.position() + 1) & 0x7f;
        if (type != PT_MP2T && (type < 96 || type > 127)) {
            return false;
        }
        ByteBuffer payload = packet.duplicate();
        payload.position(payload.position() + offset);
        return ContentType.of(payload).equals(ContentType.MPEG_TS);
    }
}
