package dev.mcgate.relay.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** RTP header lengths (RFC 3550 §5.1, §5.3.1) and what is not RTP; MPEG-TS recognition for the Content-Type. */
class RtpPayloadTest {

    private static ByteBuffer rtp(int first, int csrcs, int extensionWords, int payload) {
        int ext = (first & 0x10) != 0 ? 4 + 4 * extensionWords : 0;
        ByteBuffer b = ByteBuffer.allocate(12 + 4 * csrcs + ext + payload);
        b.put((byte) (first | csrcs))
                .put((byte) 33)
                .putShort((short) 1)
                .putInt(0)
                .putInt(0x1234);
        for (int i = 0; i < csrcs; i++) {
            b.putInt(i);
        }
        if (ext > 0) {
            b.putShort((short) 0xbede).putShort((short) extensionWords).put(new byte[4 * extensionWords]);
        }
        return b.put(new byte[payload]).flip();
    }

    @Test
    void headerLengths() {
        assertEquals(12, RtpPayload.offset(rtp(0x80, 0, 0, 1316)));
        assertEquals(12 + 8, RtpPayload.offset(rtp(0x80, 2, 0, 1316)));
        assertEquals(12 + 4 + 12, RtpPayload.offset(rtp(0x90, 0, 3, 1316)));
        assertEquals(12 + 60 + 4, RtpPayload.offset(rtp(0x90, 15, 0, 0)));
        assertEquals(12, RtpPayload.offset(rtp(0xa0, 0, 0, 10)), "padding stays with the payload");
    }

    @Test
    void fromTheBuffersPositionWithoutMovingIt() {
        ByteBuffer b = ByteBuffer.allocate(3 + 12 + 5);
        b.position(3).put((byte) 0x80);
        b.position(3);
        assertEquals(12, RtpPayload.offset(b));
        assertEquals(3, b.position());
    }

    @Test
    void notRtp() {
        assertEquals(RtpPayload.INVALID, RtpPayload.offset(ByteBuffer.wrap(new byte[] {0x47, 0, 0})));
        ByteBuffer ts = ByteBuffer.allocate(188);
        ts.put(0, (byte) 0x47);
        assertEquals(RtpPayload.INVALID, RtpPayload.offset(ts), "version 1: an MPEG-TS packet");
        assertEquals(RtpPayload.INVALID, RtpPayload.offset(rtp(0x80, 0, 0, 0).limit(11)));
        ByteBuffer cutCsrcs = rtp(0x80, 3, 0, 0);
        assertEquals(RtpPayload.INVALID, RtpPayload.offset(cutCsrcs.limit(cutCsrcs.limit() - 1)));
        ByteBuffer cutExtension = rtp(0x90, 0, 2, 0);
        assertEquals(RtpPayload.INVALID, RtpPayload.offset(cutExtension.limit(cutExtension.limit() - 1)));
        assertEquals(RtpPayload.INVALID, RtpPayload.offset(rtp(0x90, 0, 0, 0).limit(13)));
    }

    @Test
    void mpegTsIsWhole188BytePacketsStartingWithTheSyncByte() {
        ByteBuffer seven = ByteBuffer.allocate(7 * 188);
        for (int i = 0; i < 7; i++) {
            seven.put(i * 188, (byte) 0x47);
        }
        assertEquals(ContentType.MPEG_TS, ContentType.of(seven));
        seven.put(6 * 188, (byte) 0x48);
        assertEquals(ContentType.OCTETS, ContentType.of(seven));
        assertEquals(
                ContentType.OCTETS,
                ContentType.of(ByteBuffer.allocate(188).put(0, (byte) 0x47).limit(187)));
        assertEquals(ContentType.OCTETS, ContentType.of(ByteBuffer.allocate(0)));
    }
}
