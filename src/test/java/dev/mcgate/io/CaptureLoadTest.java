package dev.mcgate.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.net.Ip4;
import dev.mcgate.net.Ip4Prefix;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Default capture buffers: so many ring slots per load, each slot sized as libpcap sizes it for the MTU. */
class CaptureLoadTest {

    @Test
    void aSlotIsTheSnapLengthAndLibpcapsHeaderAlignedTo16() {
        // snaplen 1564 (MTU 1500 + 64) behind macoff 70: TPACKET_ALIGN(1634) = 1648.
        assertEquals(1564, CaptureLoad.snapLength(1500));
        assertEquals(1648, CaptureLoad.slotBytes(1500));
        // Below IPv4's minimum MTU the snap length stays at 576 + 64.
        assertEquals(CaptureLoad.slotBytes(576), CaptureLoad.slotBytes(100));
        assertEquals(0, CaptureLoad.slotBytes(9000) % 16);
    }

    @Test
    void aBurstAtTheForwardersCapacityDuringAPauseFitsTheUpstream() {
        // 300 k frames/s for 8 ms.
        assertEquals(2400, CaptureLoad.STREAMS.frames());
        assertEquals(2400 * 1648, CaptureLoad.STREAMS.bufferBytes(1500));
        assertTrue(CaptureLoad.MEMBERSHIP.bufferBytes(1500) <= 1 << 20, "a downstream's stays within 1 MiB");
        assertTrue(CaptureLoad.MEMBERSHIP.frames() >= 32_000 * 8 / 1000, "8 ms of 32 000 IGMP reports/s");
    }

    @Test
    void theSizeFollowsTheMtuSoAJumboLinkHoldsAsManyFrames() {
        int jumbo = CaptureLoad.STREAMS.bufferBytes(9000);
        assertEquals(2400, jumbo / CaptureLoad.slotBytes(9000));
        assertTrue(jumbo > 5 * CaptureLoad.STREAMS.bufferBytes(1500));
    }

    @Test
    void withoutASizeAPortGetsTheLoadItsFilterImplies() throws Exception {
        assertEquals(CaptureLoad.STREAMS, CaptureLoad.of(CaptureFilter.IGMP_AND_MULTICAST));
        assertEquals(CaptureLoad.MEMBERSHIP, CaptureLoad.of(CaptureFilter.IGMP));
        assertEquals(CaptureLoad.NOTHING, CaptureLoad.of(CaptureFilter.NOTHING));
        SimulatedLan lan = new SimulatedLan().wire("a", "s");
        NetInterface a = new NetInterface(
                "a",
                1,
                Optional.empty(),
                List.of(new NetInterface.InterfaceAddress(Ip4.parse("192.0.2.1"), Ip4Prefix.parse("192.0.2.0/24"))),
                1500,
                new NetInterface.Flags(true, true, true, false, false));
        assertEquals(
                600 * 1648, lan.open(a, CaptureFilter.IGMP, (p, f, l) -> {}).captureBufferBytes());
        assertEquals(
                3 << 20,
                lan.open(a, CaptureFilter.IGMP, 3 << 20, (p, f, l) -> {}).captureBufferBytes());
    }
}
