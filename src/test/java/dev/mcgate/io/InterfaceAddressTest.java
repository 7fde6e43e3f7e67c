package dev.mcgate.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.io.NetInterface.InterfaceAddress;
import dev.mcgate.net.Ip4;
import dev.mcgate.net.Ip4Prefix;
import org.junit.jupiter.api.Test;

/** An address as the kernel lists it: IFA_LOCAL, and IFA_ADDRESS with the prefix length (the peer's on a tunnel). */
class InterfaceAddressTest {

    private static final Ip4 LOCAL = Ip4.parse("10.9.0.1");
    private static final Ip4 PEER = Ip4.parse("10.9.0.2");

    @Test
    void onABroadcastLinkTheSubnetHoldsTheAddress() {
        InterfaceAddress a = InterfaceAddress.of(Ip4.parse("192.0.2.1"), Ip4.parse("192.0.2.1"), 24);
        assertEquals(Ip4Prefix.parse("192.0.2.0/24"), a.subnet());
        assertEquals("192.0.2.1/24", a.toString());
    }

    @Test
    void withAPeerAddressTheSubnetIsThePeersPrefix() {
        // ip addr add 10.9.0.1 peer 10.9.0.2/32 dev tun0
        InterfaceAddress a = InterfaceAddress.of(LOCAL, PEER, 32);
        assertEquals(LOCAL, a.address());
        assertEquals(Ip4Prefix.parse("10.9.0.2/32"), a.subnet());
        assertTrue(a.subnet().contains(PEER));
        assertFalse(a.subnet().contains(LOCAL));
        assertEquals("10.9.0.1 peer 10.9.0.2/32", a.toString());
    }

    @Test
    void aPeerPrefixCoversTheNetworkBehindThePeer() {
        // ip addr add 10.9.0.1 peer 172.16.0.0/16 dev wg0: the far site's LAN is reached directly over the tunnel
        InterfaceAddress a = InterfaceAddress.of(LOCAL, Ip4.parse("172.16.0.0"), 16);
        assertTrue(a.subnet().contains(Ip4.parse("172.16.5.9")));
        assertEquals("10.9.0.1 peer 172.16.0.0/16", a.toString());
    }
}
