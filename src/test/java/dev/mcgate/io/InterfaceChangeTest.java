package dev.mcgate.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mcgate.io.NetInterface.Flags;
import dev.mcgate.io.NetInterface.InterfaceAddress;
import dev.mcgate.net.Ip4;
import dev.mcgate.net.Ip4Prefix;
import dev.mcgate.net.MacAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InterfaceChangeTest {

    private static NetInterface nif(String name, int index, String address, boolean up) {
        List<InterfaceAddress> addrs = address == null
                ? List.of()
                : List.of(new InterfaceAddress(Ip4.parse(address), Ip4Prefix.containing(Ip4.parse(address), 24)));
        return new NetInterface(
                name,
                index,
                Optional.of(new MacAddress(0x020000000000L | index)),
                addrs,
                1500,
                new Flags(up, up, true, false, false));
    }

    @Test
    void nothingChangesWhenTheReadingsAreEqualThoughNotTheSameObjects() {
        assertEquals(
                List.of(),
                InterfaceChange.between(
                        List.of(nif("eth0", 2, "10.0.0.1", true)), List.of(nif("eth0", 2, "10.0.0.1", true))));
    }

    @Test
    void appearedDisappearedAndChangedAreToldApart() {
        List<NetInterface> before = List.of(nif("eth0", 2, "10.0.0.1", true), nif("ppp0", 5, "100.64.0.1", true));
        List<NetInterface> after = List.of(nif("eth0", 2, "10.0.0.2", true), nif("vlan7", 6, null, false));

        List<InterfaceChange> changes = InterfaceChange.between(before, after);

        assertEquals(
                List.of("eth0:CHANGED", "vlan7:APPEARED", "ppp0:DISAPPEARED"),
                changes.stream().map(c -> c.name() + ":" + c.kind()).toList());
        assertEquals(
                Optional.of(Ip4.parse("10.0.0.2")),
                changes.get(0).after().orElseThrow().primaryAddress());
    }

    @Test
    void goingDownAndARecreatedInterfaceAreChanges() {
        List<InterfaceChange> down = InterfaceChange.between(
                List.of(nif("eth0", 2, "10.0.0.1", true)), List.of(nif("eth0", 2, "10.0.0.1", false)));
        List<InterfaceChange> recreated =
                InterfaceChange.between(List.of(nif("tun0", 7, null, true)), List.of(nif("tun0", 9, null, true)));

        assertEquals(InterfaceChange.Kind.CHANGED, down.get(0).kind());
        assertEquals(9, recreated.get(0).after().orElseThrow().index());
    }
}
