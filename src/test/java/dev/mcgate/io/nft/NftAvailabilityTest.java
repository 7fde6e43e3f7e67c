package dev.mcgate.io.nft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.io.NetInterface;
import dev.mcgate.net.Ip4;
import dev.mcgate.net.Ip4Prefix;
import dev.mcgate.net.MacAddress;
import dev.mcgate.packet.LinkType;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** When the nft engine falls back to user-space forwarding, and the reason it gives. */
class NftAvailabilityTest {

    private static NetInterface nif(String name, MacAddress mac) {
        Ip4 a = Ip4.parse("10.0.0.1");
        return new NetInterface(
                name,
                7,
                Optional.ofNullable(mac),
                List.of(new NetInterface.InterfaceAddress(a, Ip4Prefix.containing(a, 24))),
                1500,
                new NetInterface.Flags(true, true, true, false, false));
    }

    @Test
    void theEngineRunsWhenNftIsThereAndTheProbeLoads() {
        assertEquals(Optional.empty(), NftAvailability.engineRefusal(true, Optional.empty()));
    }

    @Test
    void noBinaryNoEngine() {
        assertEquals(
                Optional.of("no nft binary (apt-get install nftables)"),
                NftAvailability.engineRefusal(false, Optional.empty()));
    }

    @Test
    void aKernelWithoutNetdevDupOrFwdIsNamed() {
        String refusal = NftAvailability.engineRefusal(
                        true, Optional.of("Error: Could not process rule: Operation not supported"))
                .orElseThrow();
        assertTrue(refusal.startsWith("the kernel refuses nftables netdev rules with dup/fwd"), refusal);
        assertTrue(NftAvailability.engineRefusal(
                        true, Optional.of("Error: Could not process rule: Operation not permitted"))
                .orElseThrow()
                .startsWith("not permitted"));
        assertEquals(
                Optional.of("nft refused the netdev dup/fwd probe: Error: syntax error"),
                NftAvailability.engineRefusal(true, Optional.of("Error: syntax error")));
    }

    @Test
    void rawIpInterfacesAndUnquotableNamesAreLeftToUserSpace() {
        MacAddress mac = MacAddress.parse("02:00:00:00:00:01");
        assertEquals(Optional.empty(), NftAvailability.interfaceRefusal(nif("eth0.100", mac), LinkType.ETHERNET));
        assertEquals(
                Optional.of("not Ethernet (raw IP)"),
                NftAvailability.interfaceRefusal(nif("tun0", null), LinkType.RAW_IP));
        assertEquals(
                Optional.of("not Ethernet (no MAC)"),
                NftAvailability.interfaceRefusal(nif("odd0", null), LinkType.ETHERNET));
        assertEquals(
                Optional.of("a name nft cannot quote"),
                NftAvailability.interfaceRefusal(nif("a\"b", mac), LinkType.ETHERNET));
    }
}
