package dev.mcgate.lab;

import dev.mcgate.io.linux.Netns;
import dev.mcgate.net.IpAddress;
import dev.mcgate.net.IpFamily;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.nio.channels.MembershipKey;
import java.util.ArrayList;
import java.util.List;

/**
 * Receivers' group memberships made through their own kernels: one socket per group (the kernel allows 20 groups per
 * socket), bound to the traffic port. The sockets are never read: forwarded datagrams are counted on the receivers'
 * interfaces, so a slow reader cannot pass for router loss.
 */
final class BenchMembers implements AutoCloseable {

    private final List<DatagramChannel> channels = new ArrayList<>();
    private final List<MembershipKey> keys = new ArrayList<>();

    /** Joins {@code group} on the receiver's eth0; returns the index of the membership for {@link #leave}. */
    int join(String namespace, IpAddress group, int port) throws IOException {
        MembershipKey key = Netns.call(namespace, () -> {
            DatagramChannel c = DatagramChannel.open(
                    group.family() == IpFamily.IPV4 ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6);
            try {
                c.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                c.bind(new InetSocketAddress(port));
                channels.add(c);
                return c.join(InetAddress.getByName(group.toString()), NetworkInterface.getByName(LabTopology.HOST_IF));
            } catch (IOException | RuntimeException e) {
                c.close();
                throw e;
            }
        });
        keys.add(key);
        return keys.size() - 1;
    }

    /** Leaves one membership: the receiver's kernel sends its leave report now. */
    void leave(int index) {
        keys.get(index).drop();
    }

    @Override
    public void close() {
        for (DatagramChannel c : channels) {
            try {
                c.close();
            } catch (IOException ignored) {
                // closing a datagram socket does not fail in a way worth reporting here
            }
        }
        channels.clear();
        keys.clear();
    }
}
