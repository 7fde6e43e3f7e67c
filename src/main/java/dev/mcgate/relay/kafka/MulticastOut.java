package dev.mcgate.relay.kafka;

import dev.mcgate.net.IpAddress;
import java.io.IOException;
import java.nio.ByteBuffer;

/** Where a Kafka subscription's datagrams leave: one interface, either family. */
public interface MulticastOut extends AutoCloseable {

    /** The interface's name, for counters and logs. */
    String name();

    /**
     * Sends the payload's remaining bytes as one UDP datagram to the group and port.
     *
     * @throws IOException if the datagram could not be sent (the caller counts it and goes on)
     */
    void send(IpAddress group, int port, ByteBuffer payload) throws IOException;

    @Override
    void close();
}
