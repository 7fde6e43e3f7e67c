package dev.mcgate.packet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.net.Ip4;
import dev.mcgate.net.MacAddress;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Decodes frames the Linux kernel sent as an IGMP host and as a bridge querier (see golden/README.md) to the exact messages
 * the lab set up, and checks that our encoder produces the kernel's bytes.
 */
class GoldenCaptureTest {

    // The lab (golden/record.sh): host 10.99.0.2 with MAC 02:00:00:00:00:02, bridge querier 10.99.0.1 with MAC
    // 02:00:00:00:00:01 on the veth, group 239.1.2.3 (232.1.2.3 for the SSM join), source 10.99.0.7.
    private static final Ip4 HOST = Ip4.parse("10.99.0.2");
    private static final Ip4 QUERIER = Ip4.parse("10.99.0.1");
    private static final MacAddress HOST_MAC = MacAddress.parse("02:00:00:00:00:02");
    private static final MacAddress QUERIER_MAC = MacAddress.parse("02:00:00:00:00:01");
    private static final Ip4 GROUP = Ip4.parse("239.1.2.3");
    private static final Ip4 SSM_GROUP = Ip4.parse("232.1.2.3");
    private static final Ip4 SOURCE = Ip4.parse("10.99.0.7");
    /** Bridge defaults: query response interval 10 s; set by the lab: last member interval 0.2 s, query interval 30 s. */
    private static final int QUERY_RESPONSE_INTERVAL = 100;

    private static final int LAST_MEMBER_INTERVAL = 2;
    private static final int QUERY_INTERVAL_SECONDS = 30;
    private static final int ROBUSTNESS = 2;

    /** What one captured frame must decode to. */
    record Expected(MacAddress sourceMac, Ip4 source, Ip4 destination, IgmpMessage message) {}

    private static Expected fromHost(IgmpMessage message) {
        return new Expected(HOST_MAC, HOST, message.destination(), message);
    }

    private static GroupRecord record(RecordType type, Ip4 group, Ip4... sources) {
        return new GroupRecord(type, group, List.of(sources));
    }

    private static V3MembershipReport v3(GroupRecord record) {
        return new V3MembershipReport(List.of(record));
    }

    static Stream<Arguments> captures() {
        V3MembershipReport toEx = v3(record(RecordType.CHANGE_TO_EXCLUDE_MODE, GROUP));
        V3MembershipReport toIn = v3(record(RecordType.CHANGE_TO_INCLUDE_MODE, GROUP));
        V3MembershipReport ssmAllow = v3(record(RecordType.ALLOW_NEW_SOURCES, SSM_GROUP, SOURCE));
        V3MembershipReport ssmBlock = v3(record(RecordType.BLOCK_OLD_SOURCES, SSM_GROUP, SOURCE));
        V3MembershipReport allow = v3(record(RecordType.ALLOW_NEW_SOURCES, GROUP, SOURCE));
        V3MembershipReport isIn = v3(record(RecordType.MODE_IS_INCLUDE, GROUP, SOURCE));
        V3MembershipReport block = v3(record(RecordType.BLOCK_OLD_SOURCES, GROUP, SOURCE));
        V2Query v2General = new V2Query(Ip4.ANY, QUERY_RESPONSE_INTERVAL);
        // The Linux bridge sends its group-specific queries to 224.0.0.1, not to the group
        // (br_ip4_multicast_alloc_query).
        Expected v2GroupQuery =
                new Expected(QUERIER_MAC, QUERIER, Ip4.ALL_SYSTEMS, new V2Query(GROUP, LAST_MEMBER_INTERVAL));
        V3Query v3General = V3Query.general(QUERY_RESPONSE_INTERVAL, ROBUSTNESS, QUERY_INTERVAL_SECONDS);
        V3Query v3GroupSource =
                new V3Query(GROUP, LAST_MEMBER_INTERVAL, false, ROBUSTNESS, QUERY_INTERVAL_SECONDS, List.of(SOURCE));
        return Stream.of(
                Arguments.of("host-v1-join", List.of(fromHost(new V1MembershipReport(GROUP)))),
                Arguments.of(
                        "host-v2-join-leave",
                        List.of(fromHost(new V2MembershipReport(GROUP)), fromHost(new LeaveGroup(GROUP)))),
                Arguments.of(
                        "host-v3-join-leave", List.of(fromHost(toEx), fromHost(toEx), fromHost(toIn), fromHost(toIn))),
                Arguments.of(
                        "host-v3-source-join-leave",
                        List.of(fromHost(ssmAllow), fromHost(ssmAllow), fromHost(ssmBlock), fromHost(ssmBlock))),
                Arguments.of(
                        "querier-v2",
                        List.of(
                                new Expected(QUERIER_MAC, QUERIER, Ip4.ALL_SYSTEMS, v2General),
                                fromHost(new V2MembershipReport(GROUP)),
                                fromHost(new LeaveGroup(GROUP)),
                                v2GroupQuery,
                                new Expected(QUERIER_MAC, QUERIER, Ip4.ALL_SYSTEMS, v2General))),
                Arguments.of(
                        "querier-v3",
                        List.of(
                                new Expected(QUERIER_MAC, QUERIER, Ip4.ALL_SYSTEMS, v3General),
                                fromHost(allow),
                                fromHost(isIn),
                                fromHost(allow),
                                fromHost(block),
                                fromHost(block),
                                new Expected(QUERIER_MAC, QUERIER, GROUP, v3GroupSource))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("captures")
    void decodesEveryFrameToTheExpectedMessage(String name, List<Expected> expected) throws Exception {
        List<PcapReader.Frame> frames = read(name);
        assertEquals(expected.size(), frames.size(), "frames in " + name);
        for (int i = 0; i < frames.size(); i++) {
            PcapReader.Frame frame = frames.get(i);
            Expected want = expected.get(i);
            assertEquals(frame.originalLength(), frame.data().length, "the capture kept whole frames");
            IgmpFrame decoded =
                    IgmpFrame.decode(frame.data(), frame.data().length, LinkType.fromPcap(frame.pcapLinkType()));
            String where = name + " frame " + i;
            assertEquals(want.message(), decoded.packet().message(), where);
            assertEquals(want.source(), decoded.packet().source(), where);
            assertEquals(want.destination(), decoded.packet().destination(), where);
            Ipv4Header ip = decoded.packet().header();
            assertEquals(1, ip.ttl(), where);
            assertEquals(0xc0, ip.tos(), where);
            assertTrue(ip.hasRouterAlert(), where);
            EthernetHeader ethernet = decoded.ethernet().orElseThrow();
            assertEquals(want.sourceMac(), ethernet.source(), where);
            assertEquals(MacAddress.forGroup(want.destination()), ethernet.destination(), where);
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
                    IgmpFrame.decode(bytes, bytes.length, LinkType.ETHERNET).encode(),
                    name + " frame " + i);
        }
    }

    /** Our encoder, given only the message and the sender, writes what the kernel wrote (when it sends to the RFC's address). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("captures")
    void encoderWritesTheKernelsBytes(String name, List<Expected> expected) throws Exception {
        List<PcapReader.Frame> frames = read(name);
        int compared = 0;
        for (int i = 0; i < frames.size(); i++) {
            Expected want = expected.get(i);
            if (!want.destination().equals(want.message().destination())) {
                continue;
            }
            assertArrayEquals(
                    frames.get(i).data(),
                    IgmpEncoder.ethernetFrame(want.sourceMac(), want.source(), want.message()),
                    name + " frame " + i);
            compared++;
        }
        assertTrue(compared > 0);
    }

    private static List<PcapReader.Frame> read(String name) throws IOException {
        try (InputStream in = GoldenCaptureTest.class.getResourceAsStream("/golden/" + name + ".pcap")) {
            assertNotNull(in, name);
            return PcapReader.read(in);
        }
    }
}
