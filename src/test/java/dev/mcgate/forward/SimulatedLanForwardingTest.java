package dev.mcgate.forward;

import static dev.mcgate.forward.Lab.GROUP;
import static dev.mcgate.forward.Lab.REMOTE_SOURCE;
import static dev.mcgate.forward.Lab.SOURCE_MAC;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mcgate.io.CaptureFilter;
import dev.mcgate.io.InterfacePort;
import dev.mcgate.io.SimulatedLan;
import dev.mcgate.net.Subscription;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The forwarder on simulated LANs, wired as the daemon will wire it: a port per interface with the forwarder as its
 * handler. Includes a bridged loop, where our own copies come back in on another interface.
 */
class SimulatedLanForwardingTest {

    private long now = 1_000_000_000L;

    @Test
    void forwardsFromTheSourceLanToTheReceiverLans() throws Exception {
        SimulatedLan lan =
                new SimulatedLan().wire("up0", "src").wire("down1", "rx1").wire("down2", "rx2");
        Forwarder forwarder = new Forwarder(() -> now);
        for (var nif : new dev.mcgate.io.NetInterface[] {Lab.UP0, Lab.DOWN1, Lab.DOWN2}) {
            forwarder.attach(lan.open(nif, CaptureFilter.IGMP_AND_MULTICAST, forwarder));
        }
        forwarder.publish(Lab.standard()
                .membership("down1", Map.of(GROUP, Subscription.ANY_SOURCE))
                .build());

        lan.inject("src", Frames.udp(SOURCE_MAC, REMOTE_SOURCE, GROUP, 5, 64, 1));
        lan.deliverPending();

        assertEquals(1, lan.log("rx1").size());
        assertEquals(4, Frames.ttl(lan.log("rx1").get(0), Frames.ETH));
        assertEquals(0, lan.log("rx2").size());
        assertEquals(1, lan.log("src").size(), "nothing sent back to the source LAN");
    }

    @Test
    void aBridgedLoopDoesNotMultiplyFrames() throws Exception {
        // down1 and down2 are bridged together outside the router: what we send on one arrives on the other.
        SimulatedLan lan =
                new SimulatedLan().wire("up0", "src").wire("down1", "bridge").wire("down2", "bridge");
        Forwarder forwarder = new Forwarder(() -> now);
        InterfacePort[] ports = new InterfacePort[3];
        int i = 0;
        for (var nif : new dev.mcgate.io.NetInterface[] {Lab.UP0, Lab.DOWN1, Lab.DOWN2}) {
            ports[i] = lan.open(nif, CaptureFilter.IGMP_AND_MULTICAST, forwarder);
            forwarder.attach(ports[i++]);
        }
        forwarder.publish(Lab.standard()
                .membership("down1", Map.of(GROUP, Subscription.ANY_SOURCE))
                .membership("down2", Map.of(GROUP, Subscription.ANY_SOURCE))
                .build());

        lan.inject("src", Frames.udp(SOURCE_MAC, REMOTE_SOURCE, GROUP, 64, 64, 1));
        int delivered = lan.deliverPending();

        // One copy each from down1 and down2 onto the bridge, each seen by the other port and dropped as ours.
        assertEquals(2, lan.log("bridge").size());
        assertEquals(3, delivered);
        ForwardingCounters c = forwarder.counters();
        assertEquals(1, c.interfaceNamed("down1").orElseThrow().dropped(DropReason.OWN_FRAME));
        assertEquals(1, c.interfaceNamed("down2").orElseThrow().dropped(DropReason.OWN_FRAME));
    }
}
