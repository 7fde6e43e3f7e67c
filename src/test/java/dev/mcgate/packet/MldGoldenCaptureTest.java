package dev.mcgate.packet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.net.Ip6;
import dev.mcgate.net.MacAddress;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Decodes MLD frames that Linux 6.18.44 sent as a host forced to MLDv1 / MLDv2 and as a bridge querier (see mld/README.md;
 * re-record with mld/record.sh) to the exact messages the lab set up, and checks that our encoder produces the kernel's
 * bytes for the host's messages.
 */
class MldGoldenCaptureTest {

    // The lab: host fe80::ff:fe00:2 (MAC 02:00:00:00:00:02), bridge querier fe80::ff:fe00:1 (MAC 02:00:00:00:00:01),
    // any-source group ff15::1:2:3, SSM group ff3e::8000:1, source 2001:db8::7.
    private static final Ip6 HOST = Ip6.parse("fe80::ff:fe00:2");
    private static final Ip6 QUERIER = Ip6.parse("fe80::ff:fe00:1");
    private static final MacAddress HOST_MAC = MacAddress.parse("02:00:00:00:00:02");
    private static final MacAddress QUERIER_MAC = MacAddress.parse("02:00:00:00:00:01");
    private static final Ip6 GROUP = Ip6.parse("ff15::1:2:3");
    private static final Ip6 SSM_GROUP = Ip6.parse("ff3e::8000:1");
    private static final Ip6 SOURCE = Ip6.parse("2001:db8::7");
    /** The host's solicited-node address, which it reports when asked in a general query. */
    private static final Ip6 SOLICITED_NODE = Ip6.parse("ff02::1:ff00:2");
    /** Set by the lab: query response interval 1 s, last member interval 0.2 s, query interval 30 s; robustness 2. */
    private static final int QUERY_RESPONSE_MS = 1000;

    private static final int LAST_LISTENER_MS = 200;
    private static final int QUERY_INTERVAL_SECONDS = 30;
    private static final int ROBUSTNESS = 2;

    /** What one captured frame must decode to; the Router Alert padding is the sender's own (Linux hosts PadN, the bridge Pad1 Pad1). */
    record Expected(MacAddress sourceMac, Ip6 source, Ip6 destination, MldMessage message) {}

    private static Expected fromHost(MldMessage message) {
        return new Expected(HOST_MAC, HOST, message.destination(), message);
    }

    private static Expected fromQuerier(Ip6 destination, MldMessage message) {
        return new Expected(QUERIER_MAC, QUERIER, destination, message);
    }

    private static MldV2Report v2(RecordType type, Ip6 group, Ip6... sources) {
        return new MldV2Report(List.of(new MulticastAddressRecord(type, group, List.of(sources))));
    }

    static Stream<Arguments> captures() {
        MldV2Report toEx = v2(RecordType.CHANGE_TO_EXCLUDE_MODE, GROUP);
        MldV2Report toIn = v2(RecordType.CHANGE_TO_INCLUDE_MODE, GROUP);
        MldV2Report ssmAllow = v2(RecordType.ALLOW_NEW_SOURCES, SSM_GROUP, SOURCE);
        MldV2Report ssmBlock = v2(RecordType.BLOCK_OLD_SOURCES, SSM_GROUP, SOURCE);
        MldV2Report allow = v2(RecordType.ALLOW_NEW_SOURCES, GROUP, SOURCE);
        MldV2Report block = v2(RecordType.BLOCK_OLD_SOURCES, GROUP, SOURCE);
        MldV2Report isExSolicitedNode = v2(RecordType.MODE_IS_EXCLUDE, SOLICITED_NODE);
        MldV2Query v2General = MldV2Query.general(QUERY_RESPONSE_MS, ROBUSTNESS, QUERY_INTERVAL_SECONDS);
        MldV2Query v2AddressAndSource =
                new MldV2Query(GROUP, LAST_LISTENER_MS, false, ROBUSTNESS, QUERY_INTERVAL_SECONDS, List.of(SOURCE));
        return Stream.of(
                Arguments.of(
                        "host-mldv1-join-done",
                        List.of(
                                fromHost(new MldV1Report(GROUP)),
                                fromHost(new MldV1Report(GROUP)),
                                fromHost(new MldDone(GROUP)))),
                Arguments.of(
                        "host-mldv2-join-leave",
                        List.of(fromHost(toEx), fromHost(toEx), fromHost(toIn), fromHost(toIn))),
                Arguments.of(
                        "host-mldv2-source-join-leave",
                        List.of(fromHost(ssmAllow), fromHost(ssmAllow), fromHost(ssmBlock), fromHost(ssmBlock))),
                Arguments.of(
                        "querier-mldv2",
                        List.of(
                                fromQuerier(Ip6.ALL_NODES, v2General),
                                fromHost(isExSolicitedNode),
                                fromHost(allow),
                                fromHost(allow),
                                fromHost(block),
                                fromQuerier(GROUP, v2AddressAndSource),
                                fromHost(block),
                                fromQuerier(GROUP, v2AddressAndSource))),
                Arguments.of(
                        "querier-mldv1",
                        List.of(
                                fromHost(new MldV1Report(GROUP)),
                                fromHost(new MldV1Report(GROUP)),
                                fromHost(new MldDone(GROUP)),
                                // The bridge sends its MLDv1 address-specific query to ff02::1, not to the address as
                                // RFC 2710 §5 says (its MLDv2 ones do go to the address): a router must accept both.
                                fromQuerier(Ip6.ALL_NODES, new MldV1Query(GROUP, LAST_LISTENER_MS)),
                                fromQuerier(Ip6.ALL_NODES, new MldV1Query(Ip6.UNSPECIFIED, QUERY_RESPONSE_MS)),
                                fromHost(new MldV1Report(SOLICITED_NODE)))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("captures")
    void decodesEveryFrameToTheExpectedMessage(String name, List<Expected> expected) throws Exception {
        List<PcapReader.Frame> frames = read(name);
        assertEquals(expected.size(), frames.size(), "frames in " + name);
        for (int i = 0; i < frames.size(); i++) {
            PcapReader.Frame frame = frames.get(i);
            Expected want = expected.get(i);
            String where = name + " frame " + i;
            assertEquals(frame.originalLength(), frame.data().length, "the capture kept whole frames");
            MldFrame decoded =
                    MldFrame.decode(frame.data(), frame.data().length, LinkType.fromPcap(frame.pcapLinkType()));
            assertEquals(want.message(), decoded.packet().message(), where);
            assertEquals(want.source(), decoded.packet().source(), where);
            assertEquals(want.destination(), decoded.packet().destination(), where);
            assertEquals(1, decoded.packet().header().hopLimit(), where);
            assertTrue(decoded.packet().hasRouterAlert(), where);
            EthernetHeader ethernet = decoded.ethernet().orElseThrow();
            assertEquals(want.sourceMac(), ethernet.source(), where);
            assertEquals(MldFrame.groupMac(want.destination()), ethernet.destination(), where);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("captures")
    void reencodingGivesTheCapturedBytes(String name, List<Expected> expected) throws Exception {
        List<PcapReader.Frame> frames = read(name);
        for (int i = 0; i < frames.size(); i++) {
            byte[] bytes = frames.get(i).data();
            assertArrayEquals(
                    bytes,
                    MldFrame.decode(bytes, bytes.length, LinkType.ETHERNET).encode(),
                    name + " frame " + i);
        }
    }

    /** Our encoder, given only the message and the sender, writes what the kernel's MLD host code wrote. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("captures")
    void encoderWritesTheHostKernelsBytes(String name, List<Expected> expected) throws Exception {
        List<PcapReader.Frame> frames = read(name);
        int compared = 0;
        for (int i = 0; i < frames.size(); i++) {
            Expected want = expected.get(i);
            if (!want.source().equals(HOST)) {
                // The bridge pads its Router Alert with Pad1 Pad1 where hosts (and we) use PadN: same meaning.
                continue;
            }
            assertArrayEquals(
                    frames.get(i).data(),
                    MldFrame.ethernet(want.sourceMac(), MldPacket.of(want.source(), want.message()))
                            .encode(),
                    name + " frame " + i);
            compared++;
        }
        assertTrue(compared > 0);
    }

    private static List<PcapReader.Frame> read(String name) throws IOException {
        try (InputStream in = MldGoldenCaptureTest.class.getResourceAsStream("mld/" + name + ".pcap")) {
            assertNotNull(in, name);
            return PcapReader.read(in);
        }
    }
}
