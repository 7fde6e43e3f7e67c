package dev.mcgate.io.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** The 8021q module's table, as /proc/net/vlan/config prints it: the header lines name no parent. */
class VlanDevicesTest {

    @Test
    void theParentsOfTheTablesRows() {
        String table = """
                VLAN Dev name	 | VLAN ID
                Name-Type: VLAN_NAME_TYPE_RAW_PLUS_VID_NO_PAD
                eth0.100       | 100  | eth0
                trunk.7        | 7  | bond0
                eth0.200       | 200  | eth0
                """;
        assertEquals(Set.of("eth0", "bond0"), VlanDevices.parents(table));
    }

    @Test
    void anEmptyTableNamesNone() {
        assertEquals(
                Set.of(),
                VlanDevices.parents("VLAN Dev name\t | VLAN ID\nName-Type: VLAN_NAME_TYPE_RAW_PLUS_VID_NO_PAD\n"));
    }
}
