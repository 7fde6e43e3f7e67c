package dev.mcgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.io.NetInterface;
import dev.mcgate.io.linux.MulticastFilter;
import dev.mcgate.io.linux.Netns;
import dev.mcgate.net.MacAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link MulticastFilter} on a real interface: what {@code ip maddr} and the ALLMULTI flag show, and the restore. */
@EndToEnd
class MulticastFilterE2ETest {

    @Test
    void addsAndRemovesMacsAndAllMultiAndTheKernelForgetsThemOnClose() throws Exception {
        try (TestLab lab = TestLab.up()) {
            String rtr = lab.topology().router();
            NetInterface down2 = lab.netInterface(rtr, "down2");
            MacAddress group = MacAddress.parse("01:00:5e:01:02:03");
            // Opened inside the namespace: the packet socket belongs to it for its whole life.
            MulticastFilter filter = Netns.call(rtr, () -> MulticastFilter.open("down2", down2.index()));
            try {
                assertFalse(ip(rtr, "maddr", "show", "dev", "down2").contains("01:00:5e:01:02:03"));
                filter.add(group);
                filter.add(MulticastFilter.ALL_IGMPV3_ROUTERS);
                filter.add(group); // twice is once
                String added = ip(rtr, "maddr", "show", "dev", "down2");
                assertTrue(added.contains("01:00:5e:01:02:03") && added.contains("01:00:5e:00:00:16"), added);
                filter.remove(group);
                assertFalse(ip(rtr, "maddr", "show", "dev", "down2").contains("01:00:5e:01:02:03"));

                // ALLMULTI taken by a socket counts in "allmulti N" of ip -d link (the flag list shows only the
                // administrator's own, as with promiscuity).
                assertTrue(ip(rtr, "-d", "link", "show", "dev", "down2").contains(" allmulti 0 "));
                filter.allMulti(true);
                assertTrue(ip(rtr, "-d", "link", "show", "dev", "down2").contains(" allmulti 1 "));
                filter.allMulti(false);
                assertTrue(ip(rtr, "-d", "link", "show", "dev", "down2").contains(" allmulti 0 "));
                filter.allMulti(true);
            } finally {
                filter.close();
            }
            assertFalse(ip(rtr, "maddr", "show", "dev", "down2").contains("01:00:5e:00:00:16"));
            assertTrue(ip(rtr, "-d", "link", "show", "dev", "down2").contains(" allmulti 0 "));
        }
    }

    private static String ip(String ns, String... args) throws Exception {
        String[] command = new String[args.length + 3];
        command[0] = "ip";
        command[1] = "-n";
        command[2] = ns;
        System.arraycopy(args, 0, command, 3, args.length);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
