package dev.mcgate.relay.kafka;

import dev.mcgate.net.IpAddress;
import dev.mcgate.net.IpFamily;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/**
 * Sends datagrams through the kernel's UDP stack on one interface: a socket per family with IP_MULTICAST_IF (or
 * IPV6_MULTICAST_IF) set to it, the configured TTL or hop limit, and multicast loopback off, so that the datagrams
 * are not also delivered to receivers on this host through another interface's copy.
 */
public final class UdpMulticastOut implements MulticastOut {

    private final String name;
    /** Null when the interface has no address of that family. */
    private final DatagramChannel v4;

    private final DatagramChannel v6;

    private UdpMulticastOut(String name, DatagramChannel v4, DatagramChannel v6) {
        this.name = name;
        this.v4 = v4;
        this.v6 = v6;
    }

    /** @throws IOException if there is no such interface, or it can send neither family */
    public static UdpMulticastOut open(String interfaceName, int ttl) throws IOException {
        NetworkInterface ni = NetworkInterface.getByName(interfaceName);
        if (ni == null) {
            throw new IOException("no interface " + interfaceName);
        }
        DatagramChannel v4 = channel(StandardProtocolFamily.INET, ni, ttl);
        DatagramChannel v6 = channel(StandardProtocolFamily.INET6, ni, ttl);
        if (v4 == null && v6 == null) {
            throw new IOException("interface " + interfaceName + " has neither an IPv4 nor an IPv6 address");
        }
        return new UdpMulticastOut(interfaceName, v4, v6);
    }

    private static DatagramChannel channel(ProtocolFamily family, NetworkInterface ni, int ttl) throws IOException {
        DatagramChannel ch;
        try {
            ch = DatagramChannel.open(family);
        } catch (UnsupportedOperationException e) {
            return null; // the family is disabled on this host
        }
        try {
            ch.setOption(StandardSocketOptions.IP_MULTICAST_IF, ni);
            // For an IPv6 socket the JDK sets IPV6_MULTICAST_HOPS and IPV6_MULTICAST_LOOP with these.
            ch.setOption(StandardSocketOptions.IP_MULTICAST_TTL, ttl);
            ch.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, false);
            return ch;
        } catch (IOException e) {
            // The JDK refuses IP_MULTICAST_IF on an interface without an address of the socket's family.
            ch.close();
            return null;
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void send(IpAddress group, int port, ByteBuffer payload) throws IOException {
        DatagramChannel ch = group.family() == IpFamily.IPV4 ? v4 : v6;
        if (ch == null) {
            throw new IOException("interface " + name + " has no " + group.family() + " address to send " + group);
        }
        ch.send(payload, new InetSocketAddress(InetAddress.getByAddress(group.toBytes()), port));
    }

    @Override
    public void close() {
        for (DatagramChannel ch : new DatagramChannel[] {v4, v6}) {
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException e) {
                    // closing a UDP socket does not fail in a way worth reporting
                }
            }
        }
    }
}
