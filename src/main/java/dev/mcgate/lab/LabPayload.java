package dev.mcgate.lab;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Optional;

/**
 * The payload of every lab datagram: who sent it, its sequence number and when it was sent, padded to the
 * requested size.
 *
 * <pre>
 *  0  magic "MCLB" (4)   4  version (1)   5  reserved, zero (3)
 *  8  sender id (8)     16  sequence (8)  24  send time, microseconds since the epoch (8)
 * 32  padding, zero, up to the payload size
 * </pre>
 * All fields are big-endian. The sender id is random per sender run, so a receiver can tell a restarted sender
 * (whose sequence starts again at 0) from reordering, and two senders on one group apart.
 */
public record LabPayload(long senderId, long sequence, long sendTimeMicros) {

    /** "MCLB": mcgate lab. */
    public static final int MAGIC = 0x4D434C42;

    public static final byte VERSION = 1;
    /** Bytes before the padding; also the smallest payload size. */
    public static final int HEADER_SIZE = 32;
    /** The largest UDP payload in an IPv4 datagram: 65535 - 20 (IP) - 8 (UDP). */
    public static final int MAX_SIZE = 65507;

    /**
     * Writes the header at absolute offset 0 of {@code dst} without moving its position; the padding after it is
     * left as it is, so a sender fills it once and rewrites only these 32 bytes per datagram.
     */
    public static void writeHeader(ByteBuffer dst, long senderId, long sequence, long sendTimeMicros) {
        dst.putInt(0, MAGIC);
        dst.put(4, VERSION);
        dst.put(5, (byte) 0);
        dst.putShort(6, (short) 0);
        dst.putLong(8, senderId);
        dst.putLong(16, sequence);
        dst.putLong(24, sendTimeMicros);
    }

    /** A complete payload of {@code size} bytes. */
    public byte[] encode(int size) {
        checkSize(size);
        byte[] bytes = new byte[size];
        writeHeader(ByteBuffer.wrap(bytes), senderId, sequence, sendTimeMicros);
        return bytes;
    }

    /**
     * Reads a payload from {@code src} between its position and limit, without moving the position.
     *
     * @return empty for anything that is not a lab payload of this version (another application's datagram on
     *     the same group and port), so the receiver can count it instead of misreading it
     */
    public static Optional<LabPayload> decode(ByteBuffer src) {
        int at = src.position();
        if (src.remaining() < HEADER_SIZE || src.getInt(at) != MAGIC || src.get(at + 4) != VERSION) {
            return Optional.empty();
        }
        return Optional.of(new LabPayload(src.getLong(at + 8), src.getLong(at + 16), src.getLong(at + 24)));
    }

    /** Throws unless {@code size} fits the header and a UDP/IPv4 datagram. */
    public static void checkSize(int size) {
        if (size < HEADER_SIZE || size > MAX_SIZE) {
            throw new IllegalArgumentException(
                    "payload size " + size + " is outside " + HEADER_SIZE + ".." + MAX_SIZE + " bytes");
        }
    }

    /** Microseconds since the epoch, the unit of {@link #sendTimeMicros()}. */
    public static long micros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
    }
}
