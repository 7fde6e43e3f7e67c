package dev.mcgate.relay.http;

import java.nio.ByteBuffer;

/** The Content-Type of a stream, from its first payload: MPEG-TS if it is made of 188-byte packets, else octets. */
final class ContentType {

    static final String MPEG_TS = "video/mp2t";
    static final String OCTETS = "application/octet-stream";

    private static final int TS_PACKET = 188;
    private static final byte TS_SYNC = 0x47;

    private ContentType() {}

    /** MPEG-TS when the payload is whole 188-byte packets that each start with the sync byte 0x47. */
    static String of(ByteBuffer payload) {
        int p = payload.position();
        int n = payload.remaining();
        if (n == 0 || n % TS_PACKET != 0) {
            return OCTETS;
        }
        for (int at = 0; at < n; at += TS_PACKET) {
            if (payload.get(p + at) != TS_SYNC) {
                return OCTETS;
            }
        }
        return MPEG_TS;
    }
}
