package dev.mcgate.packet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.net.Ip6;
import dev.mcgate.net.MacAddress;
import dev.mcgate.packet.MalformedMldException.Reason;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each MLD message in both encodings (Ethernet, tagged or not, and raw IP) against octets written out from RFC 2710 §3 and
 * RFC 9777 §5, the checksum, the Router Alert, and the Hop-by-Hop options rules of RFC 8200 §4.2.
 */
class MldCodecTest {

    private static final Ip6 HOST = Ip6.parse("fe80::ff:fe00:2");
    private static final Ip6 GROUP = Ip6.parse("ff15::1:2:3");
    private static final Ip6 SOURCE = Ip6.parse("2001:db8::7");
    private static final MacAddress MAC = MacAddress.parse("02:00:00:00:00:02");
    private static final HexFormat HEX = HexFormat.of();

    /** The octets of an IPv6 packet from HOST with Linux's Hop-by-Hop header, ICMPv6 checksum left as zero. */
    private static byte[] packet(String destination, String icmp) {
        byte[] message = HEX.parseHex(icmp);
        String hex =
                "60000000" + String.format("%04x", 8 + message.length) + "0001" // version, length, HbH, hop limit 1
                        + HEX.formatHex(HOST.toBytes())
                        + HEX.formatHex(Ip6.parse(destination).toBytes())
                        + "3a00050200000100" // next ICMPv6, RA value 0, PadN(0)
                        + icmp;
        return HEX.parseHex(hex);
    }

    private static void assertEncodes(MldMessage message, String destination, String icmp) throws Exception {
        byte[] expected = packet(destination, icmp);
        // The checksum computed over an explicit pseudo-header (RFC 8200 §8.1), independently of the codec's sum.
        byte[] pseudo = new byte[40 + expected.length - 48];
        System.arraycopy(expected, 8, pseudo, 0, 32);
        pseudo[34] = (byte) ((expected.length - 48) >>> 8);
        pseudo[35] = (byte) (expected.length - 48);
        pseudo[39] = 58;
        System.arraycopy(expected, 48, pseudo, 40, expected.length - 48);
        int checksum = InternetChecksum.compute(pseudo, 0, pseudo.length);
        expected[50] = (byte) (checksum >>> 8);
        expected[51] = (byte) checksum;
        MldPacket built = MldPacket.of(HOST, message);
        assertArrayEquals(expected, built.encode());
        MldPacket decoded = MldPacket.decode(expected, 0, expected.length);
        assertEquals(message, decoded.message());
        assertEquals(built, decoded);
        assertTrue(decoded.hasRouterAlert());
    }

    @Test
    void v1Report() throws Exception {
        // RFC 2710 §3: type 131, code, checksum, delay 0, reserved, address.
        assertEncodes(
                new MldV1Report(GROUP), "ff15::1:2:3", "83000000" + "00000000" + "ff150000000000000000000100020003");
    }

    @Test
    void done() throws Exception {
        assertEncodes(new MldDone(GROUP), "ff02::2", "84000000" + "00000000" + "ff150000000000000000000100020003");
    }

    @Test
    void v1Query() throws Exception {
        // Maximum Response Delay 10 000 ms = 0x2710, a plain 16-bit count.
        assertEncodes(
                new MldV1Query(Ip6.UNSPECIFIED, 10_000),
                "ff02::1",
                "82000000" + "27100000" + "00000000000000000000000000000000");
    }

    @Test
    void v2QueryWithSourcesAndFloatingPointCodes() throws Exception {
        // Delay 65 536 ms is code 0x9000 (exp 1, mant 0); QQI 200 s is QQIC 0x89 (exp 0, mant 9: 25 << 3); S set, QRV
        // 3.
        MldV2Query query = new MldV2Query(GROUP, 65_536, true, 3, 200, List.of(SOURCE));
        assertEncodes(
                query,
                "ff15::1:2:3",
                "82000000" + "90000000" + "ff150000000000000000000100020003" + "0b89" + "0001"
                        + "20010db8000000000000000000000007");
        assertEquals(65_536, query.maxResponseDelay());
        assertEquals(200, query.querierQueryInterval());
    }

    @Test
    void v2QueryValuesNoCodeStandsForAreRaised() {
        // 32 777 ms lies between 32 776 (code 0x8001) and 32 784 (0x8002): a host must not answer later than asked.
        assertEquals(32_784, new MldV2Query(GROUP, 32_777, false, 2, 125, List.of()).maxResponseDelay());
        assertEquals(
                FloatingPointCode.MAX_VALUE_16,
                MldV2Query.general(Integer.MAX_VALUE, 2, 125).maxResponseDelay());
    }

    @Test
    void v2ReportOfEveryRecordType() throws Exception {
        StringBuilder records = new StringBuilder();
        List<MulticastAddressRecord> list = new java.util.ArrayList<>();
        for (RecordType type : RecordType.values()) {
            list.add(new MulticastAddressRecord(type, GROUP, type.code() % 2 == 0 ? List.of() : List.of(SOURCE)));
            records.append(String.format("%02x", type.code()))
                    .append("00")
                    .append(type.code() % 2 == 0 ? "0000" : "0001")
                    .append("ff150000000000000000000100020003")
                    .append(type.code() % 2 == 0 ? "" : "20010db8000000000000000000000007");
        }
        assertEncodes(new MldV2Report(list), "ff02::16", "8f000000" + "0000" + "0006" + records);
    }

    @Test
    void unknownRecordTypesAndAuxDataAreSkipped() throws Exception {
        // A record of type 7 with one source and 1 word of aux data, between two IS_IN records with 1 word of aux data.
        String known = "01010000" + "ff150000000000000000000100020003" + "deadbeef";
        String unknown =
                "07010001" + "ff150000000000000000000100020004" + "20010db8000000000000000000000007" + "cafebabe";
        byte[] b = packet("ff02::16", "8f000000" + "0000" + "0003" + known + unknown + known);
        MldMessageEncoder.fillChecksum(b, 48, b.length - 48, HOST, Ip6.ALL_MLDV2_ROUTERS);
        MldV2Report report = (MldV2Report) MldPacket.decode(b, 0, b.length).message();
        MulticastAddressRecord isIn = new MulticastAddressRecord(RecordType.MODE_IS_INCLUDE, GROUP, List.of());
        assertEquals(new MldV2Report(List.of(isIn, isIn), 1), report);
    }

    @Test
    void v1MessagesIgnoreOctetsPastTheFirst24() throws Exception {
        byte[] b = packet("ff15::1:2:3", "83000000" + "00000000" + "ff150000000000000000000100020003" + "01020304");
        MldMessageEncoder.fillChecksum(b, 48, b.length - 48, HOST, GROUP);
        MldPacket decoded = MldPacket.decode(b, 0, b.length);
        assertEquals(new MldV1Report(GROUP), decoded.message());
        // Re-encoded with the same payload length, the ignored octets come back as zeros.
        MldPacket again = MldPacket.decode(decoded.encode(), 0, b.length);
        assertEquals(decoded, again);
    }

    @ParameterizedTest
    @EnumSource(LinkType.class)
    void framesOfEitherLinkTypeRoundTrip(LinkType linkType) throws Exception {
        MldMessageGenerator generator = new MldMessageGenerator(linkType.ordinal());
        for (int i = 0; i < 500; i++) {
            MldPacket packet = generator.packet();
            MldFrame frame = linkType == LinkType.RAW_IP
                    ? MldFrame.rawIp(packet)
                    : new MldFrame(
                            Optional.of(new EthernetHeader(
                                    MldFrame.groupMac(packet.destination()),
                                    MAC,
                                    i % 2 == 0 ? EthernetHeader.NO_VLAN : i,
                                    EthernetHeader.ETHERTYPE_IPV6)),
                            packet);
            byte[] bytes = frame.encode();
            assertEquals(frame, MldFrame.decode(bytes, bytes.length, linkType));
        }
    }

    @Test
    void ethernetFramesGoToThe3333Mac() throws Exception {
        byte[] b = MldFrame.ethernet(MAC, MldPacket.of(HOST, new MldV1Report(Ip6.parse("ff3e::8000:1"))))
                .encode();
        assertEquals("333380000001" + "020000000002" + "86dd", HEX.formatHex(b, 0, 14));
        assertEquals(MacAddress.parse("33:33:00:00:00:16"), MldFrame.groupMac(Ip6.ALL_MLDV2_ROUTERS));
        assertThrows(IllegalArgumentException.class, () -> MldFrame.groupMac(HOST));
        // Ethernet padding past the IPv6 packet is not part of it.
        byte[] padded = java.util.Arrays.copyOf(b, b.length + 6);
        assertEquals(
                MldFrame.decode(b, b.length, LinkType.ETHERNET),
                MldFrame.decode(padded, padded.length, LinkType.ETHERNET));
    }

    @Test
    void everyFlippedBitOfTheMessageOrTheAddressesFailsTheChecksum() {
        byte[] good = MldPacket.of(HOST, new MldDone(GROUP)).encode();
        // Addresses (pseudo-header) 8..40, the ICMPv6 message 48..72; the Max Response Delay is exempt from nothing.
        for (int bit = 8 * 8; bit < 8 * good.length; bit++) {
            if (bit >= 8 * 40 && bit < 8 * 48) {
                continue;
            }
            byte[] broken = good.clone();
            broken[bit / 8] ^= (byte) (1 << (bit % 8));
            assertEquals(Reason.BAD_CHECKSUM, reason(broken), "bit " + bit);
        }
    }

    @Test
    void withoutTheHopByHopHeaderThereIsNoRouterAlert() throws Exception {
        MldV1Report report = new MldV1Report(GROUP);
        Ipv6Header header = new Ipv6Header(0, 0, 24, Ipv6Header.NEXT_HEADER_ICMPV6, 1, HOST, GROUP);
        MldPacket bare = new MldPacket(header, Optional.empty(), report);
        byte[] b = bare.encode();
        assertEquals(64, b.length);
        MldPacket decoded = MldPacket.decode(b, 0, b.length);
        assertEquals(bare, decoded);
        assertFalse(decoded.hasRouterAlert());
    }

    /** A packet with these options (hex, after next header and length) in its Hop-by-Hop header, checksum filled. */
    private static byte[] withOptions(String options) {
        String icmp = "83000000" + "00000000" + "ff150000000000000000000100020003";
        int hbh = 2 + options.length() / 2;
        byte[] message = HEX.parseHex(icmp);
        byte[] b = HEX.parseHex("60000000" + String.format("%04x", hbh + message.length) + "0001"
                + HEX.formatHex(HOST.toBytes()) + HEX.formatHex(GROUP.toBytes())
                + "3a" + String.format("%02x", hbh / 8 - 1) + options + icmp);
        MldMessageEncoder.fillChecksum(b, 40 + hbh, message.length, HOST, GROUP);
        return b;
    }

    @Test
    void hopByHopPaddingAndRouterAlert() throws Exception {
        // The bridge's form: RA then Pad1 Pad1.
        MldPacket bridge = MldPacket.decode(withOptions("050200000000"), 0, 56 + 24);
        assertEquals(
                List.of(Ipv6Option.ROUTER_ALERT, Ipv6Option.PAD1, Ipv6Option.PAD1),
                bridge.hopByHop().orElseThrow().options());
        assertTrue(bridge.hasRouterAlert());
        // A Router Alert for RSVP (value 1) is a Router Alert, but not MLD's.
        MldPacket rsvp = MldPacket.decode(withOptions("050200010100"), 0, 80);
        assertEquals(1, rsvp.hopByHop().orElseThrow().routerAlert().getAsInt());
        assertFalse(rsvp.hasRouterAlert());
        // Padding only: no Router Alert at all.
        assertFalse(MldPacket.decode(withOptions("010400000000"), 0, 80).hasRouterAlert());
        assertArrayEquals(withOptions("050200000000"), bridge.encode());
    }

    @Test
    void unknownOptionsFollowTheirActionBits() throws Exception {
        // RFC 8200 §4.2: 00 skip (and we keep it), 01 / 10 / 11 discard (we count it; we send no Parameter Problem).
        MldPacket skipped = MldPacket.decode(withOptions("1e02abcd" + "0100"), 0, 80);
        assertEquals(
                new Ipv6Option(0x1e, new byte[] {(byte) 0xab, (byte) 0xcd}),
                skipped.hopByHop().orElseThrow().options().get(0));
        assertFalse(skipped.hasRouterAlert());
        for (String type : new String[] {"5e", "9e", "de"}) {
            assertEquals(Reason.UNKNOWN_OPTION, reason(withOptions(type + "02abcd" + "0100")), type);
        }
    }

    @Test
    void malformedOptionsAreBadOptions() {
        assertEquals(Reason.BAD_OPTION, reason(withOptions("050300000000")), "RA of 3 octets");
        assertEquals(Reason.BAD_OPTION, reason(withOptions("050100000000")), "RA of 1 octet");
        assertEquals(Reason.BAD_OPTION, reason(withOptions("0502000001050000000000000000")), "option past the end");
        assertEquals(Reason.BAD_OPTION, reason(withOptions("0502000000" + "1e")), "last option without length");
        assertEquals(Reason.BAD_OPTION, reason(withOptions("010401000000")), "PadN with data");
        // 8 octets of padding in a row: Pad1 x 8 after 6 of RA and the header.
        assertEquals(
                Reason.BAD_OPTION, reason(withOptions("05020000" + "0000" + "0000000000000000")), "8 octets of Pad1");
        assertEquals(Reason.BAD_OPTION, reason(withOptions("01000106000000000000" + "0000")), "PadN after PadN over 7");
    }

    @Test
    void theCodecBuildsNoOptionsItWouldRefuse() {
        assertThrows(IllegalArgumentException.class, () -> new Ipv6Option(Ipv6Option.PADN_TYPE, new byte[] {1}));
        assertThrows(
                IllegalArgumentException.class,
                () -> new HopByHopOptions(58, List.of(Ipv6Option.padN(4), Ipv6Option.padN(4))));
        // RA + PadN(3) leaves 5 octets that writeTo pads: 10 in a row.
        assertThrows(
                IllegalArgumentException.class,
                () -> new HopByHopOptions(58, List.of(Ipv6Option.ROUTER_ALERT, Ipv6Option.padN(3))));
    }

    private static Reason reason(byte[] packet) {
        return assertThrows(MalformedMldException.class, () -> MldPacket.decode(packet, 0, packet.length))
                .reason();
    }
}
