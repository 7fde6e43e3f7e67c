package dev.mcgate.lab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LabPayloadTest {

    private static final LabPayload SAMPLE =
            new LabPayload(0x0102030405060708L, 0x1122334455667788L, 1_700_000_000_123_456L);

    @Test
    void headerLayoutIsBigEndianAsDocumented() {
        byte[] bytes = SAMPLE.encode(40);
        assertEquals(
                "4d434c42" + "01" + "000000" + "0102030405060708" + "1122334455667788"
                        + String.format("%016x", 1_700_000_000_123_456L) + "0000000000000000",
                HexFormat.of().formatHex(bytes));
    }

    @ParameterizedTest
    @ValueSource(ints = {LabPayload.HEADER_SIZE, 64, 1400, LabPayload.MAX_SIZE})
    void roundTripsAtEverySize(int size) {
        byte[] bytes = SAMPLE.encode(size);
        assertEquals(size, bytes.length);
        assertEquals(Optional.of(SAMPLE), LabPayload.decode(ByteBuffer.wrap(bytes)));
        assertTrue(
                Arrays.equals(
                        new byte[size - LabPayload.HEADER_SIZE],
                        Arrays.copyOfRange(bytes, LabPayload.HEADER_SIZE, size)),
                "padding is zero");
    }

    @Test
    void roundTripsNegativeAndExtremeValues() {
        LabPayload extreme = new LabPayload(-1L, Long.MAX_VALUE, Long.MIN_VALUE);
        assertEquals(Optional.of(extreme), LabPayload.decode(ByteBuffer.wrap(extreme.encode(32))));
    }

    @Test
    void decodeReadsFromThePositionAndDoesNotMoveIt() {
        ByteBuffer buffer = ByteBuffer.allocate(100);
        buffer.position(7);
        buffer.put(SAMPLE.encode(50));
        buffer.position(7).limit(57);
        assertEquals(Optional.of(SAMPLE), LabPayload.decode(buffer));
        assertEquals(7, buffer.position());
    }

    @Test
    void writeHeaderLeavesPositionAndPaddingAlone() {
        ByteBuffer buffer = ByteBuffer.allocate(48);
        for (int i = 32; i < 48; i++) {
            buffer.put(i, (byte) 0x5a);
        }
        buffer.position(3);
        LabPayload.writeHeader(buffer, 1, 2, 3);
        assertEquals(3, buffer.position());
        assertEquals(0x5a, buffer.get(47));
        assertEquals(Optional.of(new LabPayload(1, 2, 3)), LabPayload.decode(buffer.position(0)));
    }

    @Test
    void rejectsForeignDatagrams() {
        byte[] valid = SAMPLE.encode(64);
        assertEquals(Optional.empty(), LabPayload.decode(ByteBuffer.wrap(new byte[0])));
        assertEquals(Optional.empty(), LabPayload.decode(ByteBuffer.wrap(Arrays.copyOf(valid, 31))), "truncated");
        byte[] badMagic = valid.clone();
        badMagic[0] = 'X';
        assertEquals(Optional.empty(), LabPayload.decode(ByteBuffer.wrap(badMagic)));
        byte[] otherVersion = valid.clone();
        otherVersion[4] = 2;
        assertEquals(Optional.empty(), LabPayload.decode(ByteBuffer.wrap(otherVersion)));
        byte[] text =
                "hello from msend, not a lab datagram at all".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertEquals(Optional.empty(), LabPayload.decode(ByteBuffer.wrap(text)));
    }

    @Test
    void everyTruncatedPrefixIsRejected() {
        byte[] valid = SAMPLE.encode(LabPayload.HEADER_SIZE);
        for (int length = 0; length < LabPayload.HEADER_SIZE; length++) {
            assertEquals(Optional.empty(), LabPayload.decode(ByteBuffer.wrap(valid, 0, length)), "length " + length);
        }
    }

    @Test
    void sizeOutsideHeaderToMaxUdpPayloadIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> SAMPLE.encode(31));
        assertThrows(IllegalArgumentException.class, () -> SAMPLE.encode(65508));
        assertArrayEquals(SAMPLE.encode(32), Arrays.copyOf(SAMPLE.encode(33), 32));
    }

    @Test
    void microsSinceEpoch() {
        assertEquals(1_700_000_000_123_456L, LabPayload.micros(Instant.ofEpochSecond(1_700_000_000L, 123_456_789)));
        assertEquals(0, LabPayload.micros(Instant.EPOCH));
    }
}
