package dev.mcgate.relay.http;

import dev.mcgate.net.IpAddress;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One TCP connection of the relay: reading its request, answering it, or streaming.
 *
 * <p>Threads: the server thread's only.
 */
final class Connection {

    /** The longest request head read; a longer one is refused. */
    static final int MAX_HEAD = 4096;

    final SocketChannel channel;
    final SelectionKey key;
    final String address;
    final InetAddress peer;
    final long acceptedNanos;
    /** Streaming: when the group's first datagram is due. */
    long firstDatagramDeadline;

    /** The request head read so far; null once it is read (what the client sends after it is ignored). */
    ByteBuffer in = ByteBuffer.allocate(MAX_HEAD);
    /** The response head, or a whole short response; written before anything queued. */
    ByteBuffer out;

    boolean closeAfterOut;
    boolean headSent;
    RelayClient client;
    long bytesSeen;
    long datagramsSeen;

    Connection(SocketChannel channel, SelectionKey key, InetSocketAddress remote, long acceptedNanos) {
        this.channel = channel;
        this.key = key;
        this.peer = remote.getAddress();
        this.address = peer.getHostAddress() + ":" + remote.getPort();
        this.acceptedNanos = acceptedNanos;
    }

    /** The client's address as the allow-list sees it (an IPv6 scope taken off). */
    IpAddress peerAddress() {
        return IpAddress.parse(peer.getHostAddress().replaceAll("%.*$", ""));
    }

    /** The socket closed and its key cancelled; the slots it held are its owners' to free. */
    void closeSocket() {
        key.cancel();
        try {
            channel.close();
        } catch (IOException e) {
            // Gone already.
        }
    }
}
