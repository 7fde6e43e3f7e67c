package dev.mcgate.lab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * The bench's HTTP clients against a stand-in relay on loopback (no namespace, no root): they send udpxy's request,
 * count only what follows the head, notice a cut-off and reconnect, and report a refusal as an error.
 */
class HttpRelayClientsTest {

    private static final String OK = "HTTP/1.1 200 OK\r\nContent-Type: video/mp2t\r\n\r\n";

    @Test
    void eachClientCountsTheBodyOnlyAndAClosedOneIsReplacedWithANewRequest() throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            InetSocketAddress at = (InetSocketAddress) server.getLocalAddress();
            try (HttpRelayClients clients =
                    new HttpRelayClients(SocketChannel::open, "loopback", at, HttpRelayProbe.path(), 2)) {
                SocketChannel a = server.accept();
                SocketChannel b = server.accept();
                assertTrue(request(a).startsWith("GET " + HttpRelayProbe.path() + " HTTP/1.1\r\n"));
                request(b);
                assertFalse(clients.allStreaming(), "no head yet");
                // The head and the first payload in one write, as the relay sends them; the second in two writes.
                write(a, OK + "x".repeat(1316));
                write(b, OK.substring(0, 10));
                write(b, OK.substring(10) + "y".repeat(700));
                await(() -> clients.bodyOctets()[0] == 1316 && clients.bodyOctets()[1] == 700, clients);
                assertTrue(clients.allStreaming());

                b.close();
                await(
                        () -> {
                            try {
                                return !clients.allStreaming();
                            } catch (LabException e) {
                                throw new AssertionError(e);
                            }
                        },
                        clients);
                assertEquals(1, clients.reconnectClosed());
                SocketChannel again = server.accept();
                assertTrue(request(again).startsWith("GET " + HttpRelayProbe.path()));
                write(again, OK + "z".repeat(10));
                await(() -> clients.bodyOctets()[1] == 10, clients);
                assertArrayEquals(new long[] {1316, 10}, clients.bodyOctets());
                assertTrue(clients.allStreaming());
                a.close();
                again.close();
            }
        }
    }

    @Test
    void aRefusalStopsTheBenchWithTheRelaysAnswer() throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            InetSocketAddress at = (InetSocketAddress) server.getLocalAddress();
            try (HttpRelayClients clients =
                    new HttpRelayClients(SocketChannel::open, "loopback", at, HttpRelayProbe.path(), 1)) {
                SocketChannel a = server.accept();
                request(a);
                write(a, "HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\n\r\nclient not allowed\n");
                await(() -> clients.failure().isPresent(), clients);
                LabException e = assertThrows(LabException.class, clients::allStreaming);
                assertTrue(e.getMessage().contains("403 Forbidden"), e.getMessage());
                a.close();
            }
        }
    }

    /** What a client sent, up to the end of its head. */
    private static String request(SocketChannel ch) throws IOException {
        StringBuilder sb = new StringBuilder();
        ByteBuffer one = ByteBuffer.allocate(1);
        while (!sb.toString().endsWith("\r\n\r\n")) {
            one.clear();
            if (ch.read(one) < 0) {
                break;
            }
            sb.append((char) one.get(0));
        }
        return sb.toString();
    }

    private static void write(SocketChannel ch, String s) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1));
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    /** Waits for the reader thread to have read what the server wrote (I/O, not a timed pause). */
    private static void await(BooleanSupplier condition, HttpRelayClients clients) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "not reached: " + clients.describe() + " " + java.util.Arrays.toString(clients.bodyOctets()));
            }
            Thread.onSpinWait();
        }
    }
}
