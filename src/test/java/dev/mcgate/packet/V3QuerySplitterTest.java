package dev.mcgate.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.net.Ip4;
import dev.mcgate.net.MacAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 3376 §4.1.8: a query's source list is limited by the MTU. */
class V3QuerySplitterTest {

    private static final Ip4 G = Ip4.parse("239.1.2.3");

    private static V3Query query(int sources) {
        List<Ip4> list = new ArrayList<>();
        for (int i = 0; i < sources; i++) {
            list.add(new Ip4(0x0A00_0000 + i));
        }
        return new V3Query(G, 10, true, 2, 125, list);
    }

    @Test
    void theRfcExample366SourcesFitA1500OctetEthernet() {
        assertEquals(List.of(query(366)), V3QuerySplitter.split(query(366), 1500));
        assertEquals(1500, IgmpEncoder.ipPacket(Ip4.parse("10.0.0.1"), query(366)).length);
        assertEquals(2, V3QuerySplitter.split(query(367), 1500).size());
    }

    @Test
    void partsKeepEverythingButTheSourcesAndCoverThemAllInOrder() throws Exception {
        V3Query query = query(1000);
        List<byte[]> frames = IgmpEncoder.v3QueryEthernetFrames(
                MacAddress.parse("02:00:00:00:00:01"), Ip4.parse("10.0.0.1"), query, 1500);
        List<Ip4> seen = new ArrayList<>();
        for (byte[] frame : frames) {
            assertTrue(frame.length - EthernetHeader.LENGTH <= 1500);
            V3Query part = (V3Query) IgmpFrame.decode(frame, frame.length, LinkType.ETHERNET)
                    .packet()
                    .message();
            assertEquals(new V3Query(G, 10, true, 2, 125, part.sources()), part);
            seen.addAll(part.sources());
        }
        assertEquals(3, frames.size());
        assertEquals(query.sources(), seen);
        assertEquals(
                IgmpEncoder.v3QueryIpPackets(Ip4.parse("10.0.0.1"), query, 1500).size(), frames.size());
        assertThrows(IllegalArgumentException.class, () -> V3QuerySplitter.split(query, V3QuerySplitter.MIN_MTU - 1));
    }
}
