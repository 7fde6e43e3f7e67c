package dev.mcgate.lab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.net.Ip4;
import dev.mcgate.net.Ip6;
import dev.mcgate.net.IpAddress;
import dev.mcgate.net.IpFamily;
import dev.mcgate.net.MacAddress;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The IPv6 bench frames as trafgen will send them: the config's octets read back, and every field checked against
 * what RFC 8200, RFC 2464 and RFC 768 say, the UDP checksum recomputed here from scratch.
 */
class TrafgenIpv6FramesTest {

    private static final MacAddress SOURCE_MAC = MacAddress.parse("02:00:00:00:00:0a");
    private static final Pattern FRAME =
            Pattern.compile("\\{ ([0-9a-fx, ]+?)(?:, fill\\(0x([0-9a-f]{2}), (\\d+)\\))? }");

    /** Reads each frame of a config back into the octets trafgen sends. */
    private static List<byte[]> frames(String config) {
        return config.lines()
                .filter(l -> l.startsWith("{"))
                .map(l -> {
                    Matcher m = FRAME.matcher(l);
                    assertTrue(m.matches(), l);
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    for (String octet : m.group(1).split(", ")) {
                        out.write(Integer.decode(octet));
                    }
                    if (m.group(2) != null) {
                        byte[] fill = new byte[Integer.parseInt(m.group(3))];
                        Arrays.fill(fill, (byte) Integer.parseInt(m.group(2), 16));
                        out.writeBytes(fill);
                    }
                    return out.toByteArray();
                })
                .toList();
    }

    /** RFC 768 / RFC 8200 §8.1, written out: the 16-bit one's complement sum of the pseudo-header and the datagram. */
    private static int onesComplementSum(byte[] frame) {
        ByteBuffer b = ByteBuffer.wrap(frame);
        int udpLength = b.getShort(14 + 4) & 0xffff;
        long sum = 0;
        // Pseudo-header: source and destination addresses, the upper-layer length, three zero octets, next header 17.
        for (int at = 14 + 8; at < 14 + 40; at += 2) {
            sum += b.getShort(at) & 0xffff;
        }
        sum += udpLength + 17;
        for (int at = 54; at < 54 + udpLength; at += 2) {
            int hi = frame[at] & 0xff;
            int lo = at + 1 < 54 + udpLength ? frame[at + 1] & 0xff : 0;
            sum += (hi << 8) | lo;
        }
        while (sum > 0xffff) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) sum;
    }

    @ParameterizedTest
    @ValueSource(ints = {64, 1316, 3})
    void everyFrameIsAValidIpv6UdpDatagramToItsGroupsMac(int payload) {
        Ip6 source = LabTopology.SOURCE_LINK.hostAddress6();
        Ip6 group = Ip6.parse("ff1e::ef07:0");
        List<byte[]> frames = frames(TrafgenIpv6Frames.config(SOURCE_MAC, source, List.of(group), payload));
        assertEquals(TrafgenIpv6Frames.DISTINCT_FRAMES, frames.size());
        for (byte[] f : frames) {
            ByteBuffer b = ByteBuffer.wrap(f);
            assertEquals(14 + 40 + 8 + payload, f.length);
            // RFC 2464 §7: 33:33 and the last four octets of the destination address.
            assertArrayEquals(new byte[] {0x33, 0x33, (byte) 0xef, 0x07, 0x00, 0x00}, Arrays.copyOfRange(f, 0, 6));
            assertArrayEquals(SOURCE_MAC.toBytes(), Arrays.copyOfRange(f, 6, 12));
            assertEquals(0x86dd, b.getShort(12) & 0xffff);
            assertEquals(6, (f[14] & 0xff) >>> 4, "version");
            assertEquals(8 + payload, b.getShort(14 + 4) & 0xffff, "payload length");
            assertEquals(17, f[14 + 6], "next header: UDP");
            assertEquals(64, f[14 + 7], "hop limit");
            assertEquals(source, Ip6.fromBytes(f, 14 + 8));
            assertEquals(group, Ip6.fromBytes(f, 14 + 24));
            assertEquals(TrafgenSender.SOURCE_PORT, b.getShort(54) & 0xffff);
            assertEquals(TrafgenSender.PORT, b.getShort(56) & 0xffff);
            assertEquals(8 + payload, b.getShort(58) & 0xffff, "UDP length");
            // Mandatory in IPv6: never 0, and the sum over pseudo-header and datagram, checksum included, is 0xffff.
            assertNotEquals(0, b.getShort(60));
            assertEquals(0xffff, onesComplementSum(f));
        }
    }

    @Test
    void theMacMappingTakesTheGroupsLowThirtyTwoBits() {
        Ip6 group = Ip6.parse("ff3e:1234::89ab:cdef");
        byte[] f = TrafgenIpv6Frames.frame(SOURCE_MAC, LabTopology.SOURCE_LINK.hostAddress6(), group, 64, 0);
        assertArrayEquals(
                new byte[] {0x33, 0x33, (byte) 0x89, (byte) 0xab, (byte) 0xcd, (byte) 0xef},
                Arrays.copyOfRange(f, 0, 6));
    }

    @Test
    void noFrameRepeatsWithinTheDuplicateGuardsReachAndGroupsTakeTurns() {
        List<Ip6> groups = List.of(Ip6.parse("ff1e::ef07:0"), Ip6.parse("ff1e::ef07:1"), Ip6.parse("ff1e::ef07:2"));
        List<byte[]> frames =
                frames(TrafgenIpv6Frames.config(SOURCE_MAC, LabTopology.SOURCE_LINK.hostAddress6(), groups, 64));
        // mcgate's duplicate guard fingerprints addresses, length, next header and the first 32 octets after the
        // IPv6 header: those must differ from frame to frame.
        Set<String> fingerprinted = new HashSet<>();
        for (int i = 0; i < frames.size(); i++) {
            byte[] f = frames.get(i);
            assertEquals(groups.get(i % groups.size()), Ip6.fromBytes(f, 14 + 24), "frame " + i);
            fingerprinted.add(Arrays.toString(Arrays.copyOfRange(f, 14 + 4, 54 + 32)));
        }
        assertEquals(frames.size(), fingerprinted.size());
        assertTrue(frames.size() >= TrafgenIpv6Frames.DISTINCT_FRAMES);
        // 400 k pps for 2 ms, the bench's fastest offered rate over mcgate's default window.
        assertTrue(TrafgenIpv6Frames.DISTINCT_FRAMES > 400_000 * 2 / 1000);
    }

    @Test
    void aStreamIsOfOneFamilyAndTbfCountsItsLongerHeaders() {
        List<IpAddress> mixed = List.of(Ip4.parse("239.7.0.0"), Ip6.parse("ff1e::ef07:0"));
        assertThrows(IllegalArgumentException.class, () -> TrafgenSender.config(SOURCE_MAC, mixed, 64));
        assertThrows(
                IllegalArgumentException.class,
                () -> TrafgenIpv6Frames.frame(SOURCE_MAC, Ip6.parse("fd00::1"), Ip6.parse("ff1e::1"), 1, 0));
        // 64-octet payloads in IPv6 are 126-octet frames: 100 000 a second are 100.8 Mbit/s.
        assertEquals(
                "100800000bit",
                TrafgenSender.tbfArguments(IpFamily.IPV6, 100_000, 64).get(2));
        // The IPv6 config sends from the source host's unique local address.
        byte[] f = frames(TrafgenSender.config(SOURCE_MAC, List.of(Ip6.parse("ff1e::ef07:0")), 64))
                .get(0);
        assertEquals(LabTopology.SOURCE_LINK.hostAddress6(), Ip6.fromBytes(f, 14 + 8));
    }
}
