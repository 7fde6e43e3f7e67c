package dev.mcgate.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.io.CaptureFilter;
import dev.mcgate.io.InterfacePort;
import dev.mcgate.net.Ip4;
import dev.mcgate.packet.LinkType;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The pcap adapter on a raw-IP interface (a tun device, as VPN daemons and GRE/WireGuard present): frames start at the
 * IPv4 header both ways. The far end of the tun is a small program holding the device, standing in for the VPN daemon.
 */
@EndToEnd
class RawIpPortE2ETest {

    /** Holds tun0: writes the packet given in hex (the "VPN" delivering it), then prints the first packet it reads. */
    private static final String TUN_PEER = """
            import fcntl, os, select, struct, sys
            fd = os.open('/dev/net/tun', os.O_RDWR)
            fcntl.ioctl(fd, 0x400454ca, struct.pack('16sH', b'tun0', 0x0001 | 0x1000))  # TUNSETIFF, IFF_TUN|IFF_NO_PI
            print('attached', flush=True)
            sys.stdin.readline()
            os.write(fd, bytes.fromhex(sys.argv[1]))
            while True:
                r, _, _ = select.select([fd], [], [], 5)
                if not r:
                    print('timeout', flush=True)
                    break
                p = os.read(fd, 65535)
                if p[0] >> 4 == 4 and p[9] == 17:
                    print(p.hex(), flush=True)
                    break
            """;

    @Test
    void aTunDeviceIsRawIpForCaptureAndInjection() throws Exception {
        try (TestLab lab = TestLab.up()) {
            String rtr = lab.topology().router();
            TestLab.run("ip", "-n", rtr, "tuntap", "add", "dev", "tun0", "mode", "tun");
            TestLab.run("ip", "-n", rtr, "addr", "add", "10.99.0.1/30", "dev", "tun0");
            TestLab.run("ip", "-n", rtr, "link", "set", "tun0", "up");
            Ip4 group = Ip4.of(239, 9, 9, 9);
            byte[] fromPeer = ipOnly(TestFrames.udpMulticast(
                    new byte[6],
                    Ip4.parse("10.99.0.2"),
                    group,
                    7000,
                    "from the vpn".getBytes(StandardCharsets.US_ASCII),
                    5));
            Process peer = new ProcessBuilder(
                            "ip",
                            "netns",
                            "exec",
                            rtr,
                            "python3",
                            "-c",
                            TUN_PEER,
                            HexFormat.of().formatHex(fromPeer))
                    .redirectErrorStream(true)
                    .start();
            try {
                var out = new java.io.BufferedReader(new java.io.InputStreamReader(peer.getInputStream()));
                assertEquals("attached", out.readLine());
                BlockingQueue<byte[]> captured = new LinkedBlockingQueue<>();
                InterfacePort port = lab.openPcap(
                        rtr,
                        "tun0",
                        CaptureFilter.IGMP_AND_MULTICAST,
                        (p, frame, length) -> captured.add(Arrays.copyOf(frame, length)));
                assertEquals(LinkType.RAW_IP, port.linkType());
                assertTrue(port.netInterface().mac().isEmpty(), "a tun device has no MAC");

                peer.getOutputStream().write('\n');
                peer.getOutputStream().flush();
                byte[] got = captured.poll(5, TimeUnit.SECONDS);
                assertNotNull(got, "nothing captured from the tun peer");
                assertArrayEquals(fromPeer, got, "the captured frame is the IP packet itself");

                byte[] toPeer = ipOnly(TestFrames.udpMulticast(
                        new byte[6],
                        Ip4.parse("10.99.0.1"),
                        group,
                        7001,
                        "to the vpn".getBytes(StandardCharsets.US_ASCII),
                        4));
                assertTrue(port.send(toPeer, toPeer.length));
                assertEquals(HexFormat.of().formatHex(toPeer), out.readLine(), "what the tun peer read");
            } finally {
                peer.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    private static byte[] ipOnly(byte[] ethernetFrame) {
        return Arrays.copyOfRange(ethernetFrame, 14, ethernetFrame.length);
    }
}
