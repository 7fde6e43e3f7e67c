package dev.mcgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.io.NetInterface;
import dev.mcgate.io.linux.Netns;
import dev.mcgate.io.linux.SystemInterfaces;
import dev.mcgate.net.Ip4;
import dev.mcgate.net.MacAddress;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Interface discovery against what iproute2 says of the same namespace: every link (with or without an address, with
 * or without a MAC), ifindex, MAC, MTU, flags, and addresses including those under an alias label.
 */
@EndToEnd
class InterfaceDiscoveryE2ETest {

    @Test
    void discoveryAgreesWithIproute2() throws Exception {
        try (TestLab lab = TestLab.up()) {
            String rtr = lab.topology().router();
            TestLab.run("ip", "-n", rtr, "tuntap", "add", "dev", "tun0", "mode", "tun");
            TestLab.run("ip", "-n", rtr, "link", "set", "tun0", "up");
            TestLab.run("ip", "-n", rtr, "link", "set", "down2", "mtu", "1400");
            TestLab.run("ip", "-n", rtr, "addr", "add", "198.51.100.50/25", "label", "down1:1", "dev", "down1");
            TestLab.run("ip", "-n", rtr, "link", "add", "bare0", "type", "veth", "peer", "name", "bare1");

            Map<String, NetInterface> found = Netns.call(rtr, () -> new SystemInterfaces().list()).stream()
                    .collect(Collectors.toMap(NetInterface::name, Function.identity()));

            String links = TestLab.run("ip", "-n", rtr, "-o", "link", "show");
            Matcher m = Pattern.compile("^(\\d+): ([^:@]+)[:@].*?mtu (\\d+).*?link/(\\S+) ?(\\S*)", Pattern.MULTILINE)
                    .matcher(links);
            int count = 0;
            while (m.find()) {
                count++;
                NetInterface nif = found.get(m.group(2));
                assertTrue(nif != null, m.group(2) + " not discovered: " + found.keySet());
                assertEquals(Integer.parseInt(m.group(1)), nif.index(), "ifindex of " + nif.name());
                assertEquals(Integer.parseInt(m.group(3)), nif.mtu(), "mtu of " + nif.name());
                if (m.group(4).equals("ether")) {
                    assertEquals(MacAddress.parse(m.group(5)), nif.mac().orElseThrow(), "mac of " + nif.name());
                } else {
                    assertTrue(nif.mac().isEmpty(), nif.name() + " (" + m.group(4) + ") has no MAC");
                }
            }
            assertEquals(count, found.size(), "as many interfaces as iproute2 lists");
            assertEquals(
                    List.of(Ip4.parse("198.51.100.1"), Ip4.parse("198.51.100.50")),
                    found.get("down1").addresses().stream()
                            .map(NetInterface.InterfaceAddress::address)
                            .toList());
            assertEquals(25, found.get("down1").addresses().get(1).subnet().length());
            assertTrue(found.get("bare0").addresses().isEmpty());
            assertFalse(found.get("bare0").flags().up());
            assertTrue(found.get("down1").flags().up()
                    && found.get("down1").flags().multicast());
            assertTrue(found.get("lo").flags().loopback());
        }
    }
}
