package dev.mcgate.e2e.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mcgate.e2e.EndToEnd;
import dev.mcgate.io.linux.Netns;
import dev.mcgate.net.IpAddress;
import dev.mcgate.relay.kafka.UdpMulticastOut;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Kafka subscriber's kernel sender on a veth pair between two namespaces (root): an IPv4 and an IPv6 group reach
 * a socket joined on the far end. (An interface without IPv4 cannot be shown here: the JDK finds IPv6-only interfaces
 * through /proc/net, which is the process's namespace, not the thread's.)
 */
@EndToEnd
class UdpMulticastOutE2ETest {

    private static final String NS = "mcgkfk6";
    private static final String RECEIVER_NS = "mcgkfk6r";

    @BeforeAll
    static void namespaces() throws Exception {
        removeNamespaces();
        sh("ip netns add " + NS);
        sh("ip netns add " + RECEIVER_NS);
        // The receiver in a namespace of its own: a datagram from an address of its own host would be a martian.
        sh("ip -n " + NS + " link add ka type veth peer name kb netns " + RECEIVER_NS);
        sh("ip -n " + NS + " addr add 10.66.0.1/24 dev ka");
        sh("ip -n " + RECEIVER_NS + " addr add 10.66.0.2/24 dev kb");
        // nodad: usable at once, no duplicate address detection to wait for
        sh("ip -n " + NS + " addr add fe80::a/64 dev ka nodad");
        sh("ip -n " + RECEIVER_NS + " addr add fe80::b/64 dev kb nodad");
        sh("ip -n " + NS + " link set ka up");
        sh("ip -n " + RECEIVER_NS + " link set kb up");
    }

    @AfterAll
    static void cleanUp() throws Exception {
        removeNamespaces();
    }

    /** Left over from an earlier run, or not there at all: either is fine. */
    private static void removeNamespaces() throws Exception {
        for (String ns : new String[] {NS, RECEIVER_NS}) {
            new ProcessBuilder("ip", "netns", "del", ns)
                    .redirectErrorStream(true)
                    .start()
                    .waitFor();
        }
    }

    private static void sh(String command) throws Exception {
        Process p =
                new ProcessBuilder(command.split(" ")).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), command + ": " + out);
    }

    private static DatagramChannel receiver(ProtocolFamily family, String group, int port) throws IOException {
        return Netns.call(RECEIVER_NS, () -> {
            DatagramChannel ch = DatagramChannel.open(family);
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            ch.bind(new InetSocketAddress(port));
            ch.join(InetAddress.getByName(group), NetworkInterface.getByName("kb"));
            ch.configureBlocking(false);
            return ch;
        });
    }

    /**
     * Sends until the receiver has a datagram (new veths carry IPv6 only once their link is seen up, a moment after
     * `ip link set up`), for at most 3 s; returns what was received.
     */
    private static String sendUntilReceived(
            UdpMulticastOut out, String group, int port, String text, DatagramChannel in) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(2048);
        for (int i = 0; i < 30; i++) {
            out.send(IpAddress.parse(group), port, StandardCharsets.US_ASCII.encode(text));
            for (int j = 0; j < 10; j++) {
                if (in.receive(b) != null) {
                    b.flip();
                    return StandardCharsets.US_ASCII.decode(b).toString();
                }
                Thread.sleep(10);
            }
        }
        return "";
    }

    @Test
    void bothFamiliesLeaveOnTheChosenInterface() throws Exception {
        UdpMulticastOut out = Netns.call(NS, () -> UdpMulticastOut.open("ka", 3));
        try (out;
                DatagramChannel v4 = receiver(StandardProtocolFamily.INET, "239.66.0.1", 5066);
                DatagramChannel v6 = receiver(StandardProtocolFamily.INET6, "ff3e::6601", 5067)) {
            assertEquals("four", sendUntilReceived(out, "239.66.0.1", 5066, "four", v4));
            assertEquals("six", sendUntilReceived(out, "ff3e::6601", 5067, "six", v6));
        }
    }

    @Test
    void aMissingInterfaceIsAnError() {
        IOException missing =
                assertThrows(IOException.class, () -> Netns.call(NS, () -> UdpMulticastOut.open("nosuch0", 1)));
        assertEquals("no interface nosuch0", missing.getMessage());
    }
}
