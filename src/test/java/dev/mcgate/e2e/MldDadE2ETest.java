package dev.mcgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.lab.LabTopology;
import dev.mcgate.net.Ip6;
import dev.mcgate.packet.MldPacket;
import dev.mcgate.packet.MldV2Query;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A downstream that gets its only link-local address while mcgate runs: no MLD message leaves from it while Duplicate
 * Address Detection is under way (RFC 4862 §5.4: a tentative address is not the interface's), and the MLD router
 * starts once DAD has finished (the kernel announces the end of DAD; the reading that follows no longer marks the
 * address tentative).
 */
@EndToEnd
class MldDadE2ETest {

    private static final Ip6 ADDRESS = Ip6.parse("fe80::d1");
    /** Probes DAD sends, one a second (RetransTimer): three seconds in which mcgate must not use the address. */
    private static final int DAD_TRANSMITS = 3;

    @TempDir
    Path dir;

    @Test
    void mldStartsOnlyOnceDadHasFinishedOnTheLinkLocalAddress() throws Exception {
        try (TestLab lab = TestLab.up()) {
            String router = lab.topology().router();
            String down1 = LabTopology.RX1_LINK.routerIf();
            Ipv6Capture wire = Ipv6Capture.start(lab, lab.topology().receiver(1), LabTopology.HOST_IF, dir, "rx1");
            sysctl(router, "net.ipv6.conf." + down1 + ".accept_dad=1");
            sysctl(router, "net.ipv6.conf." + down1 + ".dad_transmits=" + DAD_TRANSMITS);
            TestLab.run("ip", "-n", router, "-6", "addr", "flush", "dev", down1, "scope", "link");
            Path config = dir.resolve("mcgate.conf");
            Files.writeString(config, """
                    interface up0 {
                        role upstream
                    }
                    interface down1 {
                        role downstream
                    }
                    interface down2 {
                        role downstream
                    }
                    """);
            Path log = dir.resolve("mcgate.log");
            lab.startMcgate(router, log, "run", "-c", config.toString());
            TestLab.awaitText(log, "running; stop with SIGTERM", 20_000);
            TestLab.awaitText(log, "down1: no IPv6 link-local address (yet); MLD starts when it has one", 5000);

            // The address comes while mcgate runs, as at boot when a link comes up after the daemon: the kernel
            // announces it at once, tentative, and again when DAD has finished.
            long addedMillis = System.currentTimeMillis();
            TestLab.run("ip", "-n", router, "-6", "addr", "add", ADDRESS + "/64", "dev", down1);
            assertTrue(tentative(router, down1), "DAD runs on " + ADDRESS);
            // The last moment the address was seen tentative, on the capture's clock (microseconds since the epoch).
            long lastTentativeMicros = System.currentTimeMillis() * 1000;
            while (tentative(router, down1)) {
                lastTentativeMicros = System.currentTimeMillis() * 1000;
                Thread.sleep(20);
            }
            long dadDoneMillis = System.currentTimeMillis();
            wire.awaitMld(
                    "mcgate's first MLD query from " + ADDRESS,
                    5000,
                    l -> l.stream().anyMatch(MldDadE2ETest::fromAddress));
            long after = wire.mld(lastTentativeMicros).stream()
                    .filter(MldDadE2ETest::fromAddress)
                    .count();
            long before = wire.mld().stream().filter(MldDadE2ETest::fromAddress).count() - after;
            System.out.printf(
                    "figures: DAD on %s took %d ms; MLD queries from it: %d before its end, %d after%n",
                    ADDRESS, dadDoneMillis - addedMillis, before, after);
            assertEquals(0, before, "MLD messages from a tentative source");
            String logText = Files.readString(log);
            assertTrue(logText.contains("down1: MLDv2 router on " + ADDRESS), logText);
        }
    }

    private static void sysctl(String ns, String setting) throws Exception {
        TestLab.run("ip", "netns", "exec", ns, "sysctl", "-qw", setting);
    }

    private static boolean fromAddress(MldPacket p) {
        return p.source().equals(ADDRESS) && p.message() instanceof MldV2Query;
    }

    private static boolean tentative(String ns, String ifName) throws Exception {
        return TestLab.run("ip", "-n", ns, "-6", "addr", "show", "dev", ifName, "scope", "link")
                .contains("tentative");
    }
}
