package dev.mcgate.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A large answer reaches the channel whole and in order, but never more than one chunk per write. */
class ChannelIoTest {

    /** A channel that takes at most {@code accepts} bytes a call, as a socket with a full send buffer does. */
    private static final class Recording implements WritableByteChannel {
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        final List<Integer> offered = new ArrayList<>();
        private final int accepts;

        Recording(int accepts) {
            this.accepts = accepts;
        }

        @Override
        public int write(ByteBuffer src) {
            offered.add(src.remaining());
            int n = Math.min(accepts, src.remaining());
            for (int i = 0; i < n; i++) {
                received.write(src.get());
            }
            return n;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {}
    }

    private static byte[] answer(int size) {
        byte[] bytes = new byte[size];
        new Random(14).nextBytes(bytes);
        return bytes;
    }

    @Test
    void aMultiMegabyteAnswerIsHandedOverInChunksAndArrivesWhole() throws Exception {
        byte[] bytes = answer(3 * 1024 * 1024 + 17);
        ByteBuffer data = ByteBuffer.wrap(bytes);
        Recording channel = new Recording(Integer.MAX_VALUE);
        while (data.hasRemaining()) {
            ChannelIo.writeChunk(channel, data);
        }
        assertArrayEquals(bytes, channel.received.toByteArray());
        assertTrue(channel.offered.stream().allMatch(n -> n <= ChannelIo.WRITE_CHUNK), channel.offered.toString());
        assertEquals((bytes.length + ChannelIo.WRITE_CHUNK - 1) / ChannelIo.WRITE_CHUNK, channel.offered.size());
    }

    @Test
    void partialWritesAdvanceByWhatTheChannelTook() throws Exception {
        byte[] bytes = answer(200_000);
        ByteBuffer data = ByteBuffer.wrap(bytes);
        Recording channel = new Recording(5000);
        int first = ChannelIo.writeChunk(channel, data);
        assertEquals(5000, first);
        assertEquals(5000, data.position());
        while (data.hasRemaining()) {
            ChannelIo.writeChunk(channel, data);
        }
        assertArrayEquals(bytes, channel.received.toByteArray());
    }
}
