package dev.mcgate.io.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.io.CaptureFilter;
import dev.mcgate.packet.LinkType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hand-assembled capture programs, run through a classic BPF interpreter with the kernel's semantics, agree with
 * {@link CaptureFilter#matches} on every IPv4 packet and reject everything else; outgoing and VLAN-stripped frames
 * never pass.
 */
class CaptureProgramTest {

    private static final int UDP = 17;
    private static final int IGMP = 2;
    private static final int TCP = 6;

    /** An IPv4 packet with the given protocol and destination, and a few payload octets. */
    private static byte[] ip(int protocol, int destination) {
        ByteBuffer b = ByteBuffer.allocate(20 + 8);
        b.put((byte) 0x45)
                .put((byte) 0)
                .putShort((short) 28)
                .putInt(0)
                .put((byte) 8)
                .put((byte) protocol)
                .putShort((short) 0)
                .putInt(0xc000020a)
                .putInt(destination);
        return b.array();
    }

    private static byte[] ethernet(int etherType, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(14 + payload.length);
        b.put(new byte[] {1, 0, 0x5e, 1, 1, 1, 2, 0, 0, 0, 0, 1})
                .putShort((short) etherType)
                .put(payload);
        return b.array();
    }

    private static byte[] frame(LinkType linkType, byte[] ipPacket) {
        return linkType == LinkType.ETHERNET ? ethernet(0x0800, ipPacket) : ipPacket;
    }

    static Stream<Arguments> ipv4Cases() {
        int[] protocols = {IGMP, UDP, TCP};
        int[] destinations = {
            0xef010101, 0xe0000016, 0xe0000001, 0xeffffffa, 0xc0a80001, 0x0a000001, 0xdfffffff, 0xf0000001
        };
        List<Arguments> cases = new ArrayList<>();
        for (CaptureFilter filter : CaptureFilter.values()) {
            for (LinkType linkType : LinkType.values()) {
                for (int protocol : protocols) {
                    for (int destination : destinations) {
                        cases.add(Arguments.of(filter, linkType, protocol, destination));
                    }
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1} proto {2} dst {3}")
    @MethodSource("ipv4Cases")
    void agreesWithTheFilterOnEveryIpv4Packet(CaptureFilter filter, LinkType linkType, int protocol, int destination) {
        byte[] frame = frame(linkType, ip(protocol, destination));
        int verdict = ClassicBpf.run(CaptureProgram.of(filter, linkType), frame, ClassicBpf.Metadata.INCOMING);
        boolean expected = filter.matches(protocol, destination);
        assertEquals(expected, verdict != 0);
        if (expected) {
            assertTrue(verdict >= 65535, "an accepted frame is kept whole");
        }
    }

    @ParameterizedTest
    @MethodSource("wideFilters")
    void outgoingFramesNeverPass(CaptureFilter filter, LinkType linkType) {
        byte[] frame = frame(linkType, ip(IGMP, 0xe0000016));
        assertTrue(ClassicBpf.run(CaptureProgram.of(filter, linkType), frame, ClassicBpf.Metadata.INCOMING) != 0);
        for (int type = 0; type <= 3; type++) {
            assertTrue(
                    ClassicBpf.run(CaptureProgram.of(filter, linkType), frame, new ClassicBpf.Metadata(type, false))
                            != 0,
                    "packet type " + type + " is input");
        }
        assertEquals(
                0,
                ClassicBpf.run(
                        CaptureProgram.of(filter, linkType),
                        frame,
                        new ClassicBpf.Metadata(CaptureProgram.PACKET_OUTGOING, false)));
    }

    static Stream<Arguments> wideFilters() {
        return Stream.of(
                Arguments.of(CaptureFilter.IGMP, LinkType.ETHERNET),
                Arguments.of(CaptureFilter.IGMP_AND_MULTICAST, LinkType.ETHERNET),
                Arguments.of(CaptureFilter.IGMP, LinkType.RAW_IP),
                Arguments.of(CaptureFilter.IGMP_AND_MULTICAST, LinkType.RAW_IP),
                Arguments.of(CaptureFilter.BOTH_FAMILIES, LinkType.ETHERNET),
                Arguments.of(CaptureFilter.BOTH_FAMILIES, LinkType.RAW_IP));
    }

    @Test
    void ethernetFramesThatAreNotUntaggedIpv4AreRejected() {
        var program = CaptureProgram.of(CaptureFilter.IGMP_AND_MULTICAST, LinkType.ETHERNET);
        byte[] igmp = ip(IGMP, 0xe0000016);
        assertEquals(0, ClassicBpf.run(program, ethernet(0x86dd, igmp), ClassicBpf.Metadata.INCOMING), "IPv6");
        assertEquals(0, ClassicBpf.run(program, ethernet(0x0806, igmp), ClassicBpf.Metadata.INCOMING), "ARP");
        assertEquals(
                0,
                ClassicBpf.run(program, ethernet(0x8100, igmp), ClassicBpf.Metadata.INCOMING),
                "a tag left in the frame");
        assertEquals(
                0,
                ClassicBpf.run(program, ethernet(0x0800, igmp), new ClassicBpf.Metadata(2, true)),
                "a tag the NIC stripped");
    }

    @Test
    void rawIpPacketsOfAnotherVersionAreRejected() {
        byte[] packet = ip(IGMP, 0xe0000016);
        packet[0] = 0x60;
        assertEquals(
                0,
                ClassicBpf.run(
                        CaptureProgram.of(CaptureFilter.IGMP_AND_MULTICAST, LinkType.RAW_IP),
                        packet,
                        ClassicBpf.Metadata.INCOMING));
    }

    @Test
    void everyTruncatedPrefixOfAnAcceptedFrameIsRejected() {
        for (LinkType linkType : LinkType.values()) {
            var program = CaptureProgram.of(CaptureFilter.IGMP_AND_MULTICAST, linkType);
            byte[] frame = frame(linkType, ip(UDP, 0xef010101));
            int destinationEnd = (linkType == LinkType.ETHERNET ? 14 : 0) + 20;
            for (int length = 0; length < destinationEnd; length++) {
                assertEquals(
                        0,
                        ClassicBpf.run(program, Arrays.copyOf(frame, length), ClassicBpf.Metadata.INCOMING),
                        linkType + " prefix of " + length);
            }
            assertTrue(
                    ClassicBpf.run(program, Arrays.copyOf(frame, destinationEnd), ClassicBpf.Metadata.INCOMING) != 0);
        }
    }

    @Test
    void nothingMatchesNothing() {
        for (LinkType linkType : LinkType.values()) {
            var program = CaptureProgram.of(CaptureFilter.NOTHING, linkType);
            assertEquals(
                    0, ClassicBpf.run(program, frame(linkType, ip(IGMP, 0xe0000016)), ClassicBpf.Metadata.INCOMING));
            assertEquals(1, program.size());
        }
    }

    @Test
    void encodesStructSockFilterInHostOrder() {
        var program = CaptureProgram.of(CaptureFilter.IGMP, LinkType.RAW_IP);
        byte[] bytes = CaptureProgram.encode(program);
        assertEquals(program.size() * 8, bytes.length);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
        for (int n = 0; n < program.size(); n++) {
            CaptureProgram.Instruction i = program.get(n);
            assertEquals(i.code(), b.getShort(n * 8) & 0xffff);
            assertEquals(i.jt(), b.get(n * 8 + 2) & 0xff);
            assertEquals(i.jf(), b.get(n * 8 + 3) & 0xff);
            assertEquals(i.k(), b.getInt(n * 8 + 4));
        }
    }

    /** An IPv6 packet to {@code destinationFirstOctet}::1 with the given next header, and a few payload octets. */
    private static byte[] ip6(int nextHeader, int destinationFirstOctet) {
        ByteBuffer b = ByteBuffer.allocate(40 + 8);
        b.putInt(0x60000000).putShort((short) 8).put((byte) nextHeader).put((byte) 1);
        b.put(new byte[] {(byte) 0xfe, (byte) 0x80}).position(8 + 16);
        b.put((byte) destinationFirstOctet).put((byte) 0x02).position(8 + 16 + 15);
        b.put((byte) 1);
        return b.array();
    }

    @Test
    void bothFamiliesAcceptIpv6ToAnyMulticastAddressAndNothingElseOfIpv6() {
        for (LinkType linkType : LinkType.values()) {
            var program = CaptureProgram.of(CaptureFilter.BOTH_FAMILIES, linkType);
            for (int nextHeader : new int[] {0, 17, 58}) {
                byte[] multicast = ip6(nextHeader, 0xff);
                byte[] unicast = ip6(nextHeader, 0xfe);
                byte[] mc = linkType == LinkType.ETHERNET ? ethernet(0x86dd, multicast) : multicast;
                byte[] uc = linkType == LinkType.ETHERNET ? ethernet(0x86dd, unicast) : unicast;
                assertTrue(ClassicBpf.run(program, mc, ClassicBpf.Metadata.INCOMING) >= 65535, linkType + " ff02::1");
                assertEquals(0, ClassicBpf.run(program, uc, ClassicBpf.Metadata.INCOMING), linkType + " fe02::1");
                assertEquals(
                        0,
                        ClassicBpf.run(program, mc, new ClassicBpf.Metadata(CaptureProgram.PACKET_OUTGOING, false)),
                        "outgoing IPv6 never passes");
                assertEquals(
                        0,
                        ClassicBpf.run(
                                CaptureProgram.of(CaptureFilter.IGMP_AND_MULTICAST, linkType),
                                mc,
                                ClassicBpf.Metadata.INCOMING),
                        "the IPv4-only filter keeps rejecting IPv6");
            }
            int destinationEnd = (linkType == LinkType.ETHERNET ? 14 : 0) + 25;
            byte[] frame = linkType == LinkType.ETHERNET ? ethernet(0x86dd, ip6(58, 0xff)) : ip6(58, 0xff);
            for (int length = 0; length < destinationEnd; length++) {
                assertEquals(
                        0,
                        ClassicBpf.run(program, Arrays.copyOf(frame, length), ClassicBpf.Metadata.INCOMING),
                        linkType + " prefix of " + length);
            }
        }
        assertEquals(
                0,
                ClassicBpf.run(
                        CaptureProgram.of(CaptureFilter.BOTH_FAMILIES, LinkType.ETHERNET),
                        ethernet(0x86dd, ip6(58, 0xff)),
                        new ClassicBpf.Metadata(2, true)),
                "a tag the NIC stripped");
    }
}
