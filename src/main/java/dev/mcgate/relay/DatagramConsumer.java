package dev.mcgate.relay;

/** A local receiver of the datagrams of the group it joined through {@link LocalMemberships}. */
@FunctionalInterface
public interface DatagramConsumer {

    /** Called on a capture thread for each datagram of the joined group (and source): must return at once. */
    void onDatagram(RelayDatagram datagram);
}
