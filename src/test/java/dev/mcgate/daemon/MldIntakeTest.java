package dev.mcgate.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.io.InterfacePort;
import dev.mcgate.net.Ip6;
import dev.mcgate.net.MacAddress;
import dev.mcgate.packet.HopByHopOptions;
import dev.mcgate.packet.Ipv6Header;
import dev.mcgate.packet.LinkType;
import dev.mcgate.packet.MalformedMldException;
import dev.mcgate.packet.MldDone;
import dev.mcgate.packet.MldFrame;
import dev.mcgate.packet.MldMessage;
import dev.mcgate.packet.MldPacket;
import dev.mcgate.packet.MldV1Report;
import dev.mcgate.packet.MldV2Query;
import dev.mcgate.packet.MldV2Report;
import dev.mcgate.packet.MulticastAddressRecord;
import dev.mcgate.packet.RecordType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The capture-thread side of MLD: MLD taken out of the stream, counted, checked by the input rules, handed on. */
class MldIntakeTest {

    private static final Ip6 OWN = Ip6.parse("fe80::1");
    private static final Ip6 HOST = Ip6.parse("fe80::10");
    private static final Ip6 G = Ip6.parse("ff15::1");
    private static final MacAddress MAC = MacAddress.parse("02:00:00:00:00:10");

    private final List<String> heard = new ArrayList<>();
    private final List<byte[]> data = new ArrayList<>();
    private final MldIntake intake = new MldIntake(
            OWN::equals,
            (port, source, message) ->
                    heard.add(source + " " + message.getClass().getSimpleName()),
            (p, f, l) -> data.add(f),
            () -> 0L);
    private final InterfacePort port = RecordingPort.ethernet("down1", MAC);

    private static byte[] frame(Ip6 source, MldMessage message) {
        return MldFrame.ethernet(MAC, MldPacket.of(source, message)).encode();
    }

    /** The same message, but with the given hop limit and Router Alert present or not. */
    private static byte[] frame(Ip6 source, MldMessage message, int hopLimit, boolean routerAlert) {
        MldPacket standard = MldPacket.of(source, message);
        Ipv6Header h = standard.header();
        int optionsLength = routerAlert ? HopByHopOptions.MLD_ROUTER_ALERT.length() : 0;
        Ipv6Header header = new Ipv6Header(
                0,
                0,
                h.payloadLength() - (HopByHopOptions.MLD_ROUTER_ALERT.length() - optionsLength),
                routerAlert ? Ipv6Header.NEXT_HEADER_HOP_BY_HOP : Ipv6Header.NEXT_HEADER_ICMPV6,
                hopLimit,
                source,
                h.destination());
        MldPacket packet = new MldPacket(
                header, routerAlert ? Optional.of(HopByHopOptions.MLD_ROUTER_ALERT) : Optional.empty(), message);
        return MldFrame.ethernet(MAC, packet).encode();
    }

    private void feed(byte[]... frames) {
        for (byte[] f : frames) {
            intake.onFrame(port, f, f.length);
        }
    }

    @Test
    void validMldIsHandedOnAndCountedByKind() {
        feed(
                frame(
                        HOST,
                        new MldV2Report(
                                List.of(new MulticastAddressRecord(RecordType.CHANGE_TO_EXCLUDE_MODE, G, List.of())))),
                frame(HOST, new MldV1Report(G)),
                frame(HOST, new MldDone(G)),
                frame(Ip6.parse("fe80::2"), MldV2Query.general(10_000, 2, 125)));
        assertEquals(
                List.of("fe80::10 MldV2Report", "fe80::10 MldV1Report", "fe80::10 MldDone", "fe80::2 MldV2Query"),
                heard);
        assertEquals(1, intake.count("down1", MldKind.V2_REPORT));
        assertEquals(1, intake.count("down1", MldKind.DONE));
        assertTrue(data.isEmpty(), "MLD never reaches the data plane");
    }

    @Test
    void everyOtherFrameGoesToTheDataPlaneUntouched() {
        byte[] udp = frame(HOST, new MldV1Report(G));
        // The Hop-by-Hop header's next header says UDP now: not MLD.
        udp[14 + 40] = 17;
        byte[] ipv4 = new byte[60];
        ipv4[12] = 0x08;
        feed(udp, ipv4);
        assertEquals(2, data.size());
        assertTrue(heard.isEmpty());
    }

    @Test
    void ourOwnMessagesAreCountedAndDropped() {
        feed(frame(OWN, MldV2Query.general(10_000, 2, 125)));
        assertTrue(heard.isEmpty());
        assertEquals(1, intake.count("down1", MldKind.OWN));
    }

    @Test
    void theInputRulesDropWhatWasRoutedForgedOrFromAHostWithoutAnAddress() {
        feed(
                frame(HOST, new MldV1Report(G), 2, true),
                frame(HOST, new MldV1Report(G), 1, false),
                frame(Ip6.parse("2001:db8::10"), new MldV1Report(G)),
                frame(
                        Ip6.UNSPECIFIED,
                        new MldV2Report(
                                List.of(new MulticastAddressRecord(RecordType.CHANGE_TO_EXCLUDE_MODE, G, List.of())))),
                frame(Ip6.parse("2001:db8::1"), MldV2Query.general(10_000, 2, 125)));
        assertTrue(heard.isEmpty(), heard.toString());
        assertEquals(1, intake.count("down1", MldInputCounter.HOP_LIMIT_NOT_1));
        assertEquals(1, intake.count("down1", MldInputCounter.NO_ROUTER_ALERT));
        assertEquals(2, intake.count("down1", MldInputCounter.SOURCE_NOT_LINK_LOCAL));
        assertEquals(1, intake.count("down1", MldInputCounter.REPORT_FROM_UNSPECIFIED));
    }

    @Test
    void aQueryFromTheUnspecifiedAddressPassesForTheRouterToCount() {
        feed(frame(Ip6.UNSPECIFIED, MldV2Query.general(10_000, 2, 125)));
        assertEquals(List.of(":: MldV2Query"), heard);
    }

    @Test
    void malformedMldIsCountedByReason() {
        byte[] corrupt = frame(HOST, new MldV1Report(G));
        corrupt[corrupt.length - 1] ^= 0x55;
        feed(corrupt);
        assertTrue(heard.isEmpty());
        assertEquals(1, intake.malformed("down1", MalformedMldException.Reason.BAD_CHECKSUM));
        assertEquals(1, intake.count("down1", MldKind.MALFORMED));
        assertFalse(MldFrame.isMld(new byte[10], 10, LinkType.ETHERNET), "a runt frame is not MLD, and no exception");
    }
}
