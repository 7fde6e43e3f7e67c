package dev.mcgate.control;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.TimeUnit;

/**
 * Reads and writes a Unix stream channel with a deadline: a blocking Unix-domain channel has no SO_TIMEOUT, so the
 * channel is switched to non-blocking and waited on with a selector.
 */
final class ChannelIo {

    private ChannelIo() {}

    /** Thrown when more than the allowed bytes arrive before the end of the line. */
    static final class TooLongException extends IOException {
        TooLongException(int max) {
            super("request longer than " + max + " bytes");
        }
    }

    /**
     * Reads up to and excluding the first newline.
     *
     * @throws SocketTimeoutException when the line is not complete by the deadline
     * @throws TooLongException       when {@code max} bytes arrive without a newline
     * @throws IOException            when the peer closes before a newline (EOF) or the read fails
     */
    static byte[] readLine(SocketChannel channel, int max, long deadlineNanos) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        ByteBuffer one = ByteBuffer.allocate(256);
        channel.configureBlocking(false);
        try (Selector selector = Selector.open()) {
            channel.register(selector, SelectionKey.OP_READ);
            while (true) {
                one.clear();
                int n = channel.read(one);
                if (n < 0) {
                    throw new java.io.EOFException("connection closed before the end of the line");
                }
                for (int i = 0; i < n; i++) {
                    byte b = one.get(i);
                    if (b == '\n') {
                        return line.toByteArray();
                    }
                    if (line.size() >= max) {
                        throw new TooLongException(max);
                    }
                    line.write(b);
                }
                if (n == 0) {
                    waitFor(selector, deadlineNanos);
                }
            }
        }
    }

    /** Reads everything up to the end of the stream, at most {@code max} bytes. */
    static byte[] readAll(SocketChannel channel, int max, long deadlineNanos) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(8192);
        channel.configureBlocking(false);
        try (Selector selector = Selector.open()) {
            channel.register(selector, SelectionKey.OP_READ);
            while (true) {
                buffer.clear();
                int n = channel.read(buffer);
                if (n < 0) {
                    return all.toByteArray();
                }
                if (all.size() + n > max) {
                    throw new TooLongException(max);
                }
                all.write(buffer.array(), 0, n);
                if (n == 0) {
                    waitFor(selector, deadlineNanos);
                }
            }
        }
    }

    /**
     * Reads and throws away what the peer still sends, up to {@code max} bytes, the end of the stream or the deadline:
     * closing a Unix socket with unread data resets the connection, and the peer would lose the answer it was sent.
     */
    static void discard(SocketChannel channel, int max, long deadlineNanos) {
        ByteBuffer buffer = ByteBuffer.allocate(8192);
        int total = 0;
        try {
            channel.configureBlocking(false);
            try (Selector selector = Selector.open()) {
                channel.register(selector, SelectionKey.OP_READ);
                while (total < max) {
                    buffer.clear();
                    int n = channel.read(buffer);
                    if (n < 0) {
                        return;
                    }
                    total += n;
                    if (n == 0) {
                        waitFor(selector, deadlineNanos);
                    }
                }
            }
        } catch (IOException e) {
            // Timed out or reset: nothing more to do for this peer.
        }
    }

    /**
     * The most bytes handed to one {@code write}. The JDK writes a heap buffer by copying all that remains of it into a
     * temporary direct buffer, and keeps that buffer for the thread: a {@code groups --json} answer of 10 000 groups
     * (~2.5 MB) would stay resident, in native memory, once per control worker, and be copied whole again after every
     * partial write of a non-blocking socket.
     */
    static final int WRITE_CHUNK = 64 * 1024;

    static void writeAll(SocketChannel channel, ByteBuffer data, long deadlineNanos) throws IOException {
        channel.configureBlocking(false);
        try (Selector selector = Selector.open()) {
            channel.register(selector, SelectionKey.OP_WRITE);
            while (data.hasRemaining()) {
                if (writeChunk(channel, data) == 0) {
                    waitFor(selector, deadlineNanos);
                }
            }
        }
    }

    /** Writes at most {@link #WRITE_CHUNK} bytes of {@code data} and advances it by what was written. */
    static int writeChunk(WritableByteChannel channel, ByteBuffer data) throws IOException {
        ByteBuffer chunk = data.slice(data.position(), Math.min(data.remaining(), WRITE_CHUNK));
        int written = channel.write(chunk);
        data.position(data.position() + written);
        return written;
    }

    private static void waitFor(Selector selector, long deadlineNanos) throws IOException {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
            throw new SocketTimeoutException("timed out");
        }
        selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        selector.selectedKeys().clear();
    }
}
