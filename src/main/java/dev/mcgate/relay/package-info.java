/**
 * Local receivers inside mcgate: applications (the HTTP relay, later the Kafka publisher) that take multicast
 * datagrams from the forwarder as a virtual downstream interface, without a kernel socket.
 *
 * <p>{@link dev.mcgate.relay.LocalMemberships} is the book of what the consumers joined, reference-counted, with a
 * linger before the last leave; it tells the proxy the virtual interface's membership as a router interface would, so
 * the upstream joins, the filters, RPF and the forwarding table follow. {@link dev.mcgate.relay.RelayPort} is the
 * interface's port: the forwarder "sends" each wanted datagram into it, and it hands the UDP payload, copied once, to
 * the consumers of that group.
 *
 * <p>Threads: the book is the loop's (joins, leaves and the linger timers run there); the port's {@code send} runs on
 * the capture threads and reads the consumers the book last published, without a lock. Consumers are called on a
 * capture thread and must never block.
 */
package dev.mcgate.relay;
