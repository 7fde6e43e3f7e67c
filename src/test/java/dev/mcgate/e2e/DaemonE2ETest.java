package dev.mcgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.lab.LabTopology;
import dev.mcgate.net.Ip4;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mcgate run} as a process in the lab's router namespace: it opens the configured interfaces, hears the
 * receivers' kernels, follows interfaces that come and go, and stops cleanly on SIGTERM.
 */
@EndToEnd
class DaemonE2ETest {

    private static final long START_MS = 20_000;

    @Test
    void opensTheConfiguredInterfacesHearsReportsAndStopsCleanlyOnSigterm(@TempDir Path dir) throws Exception {
        try (TestLab lab = TestLab.up()) {
            Path log = dir.resolve("mcgate.log");
            Process mcgate = lab.startMcgate(
                    lab.topology().router(),
                    log,
                    "run",
                    "-c",
                    lab.topology().routerConfigFile().toString());
            String started = TestLab.awaitText(log, "running; stop with SIGTERM", START_MS);
            for (String ifName : new String[] {"up0", "down1", "down2"}) {
                assertTrue(
                        started.contains(ifName + " (") && started.contains("opened " + ifName + " (ifindex"), started);
            }
            assertTrue(started.contains("3 of 3 configured interfaces open"), started);

            lab.join(1, Ip4.of(239, 3, 3, 3), 5001, Optional.empty());
            Thread.sleep(300);
            mcgate.destroy(); // SIGTERM

            assertTrue(mcgate.waitFor(10, TimeUnit.SECONDS), "mcgate did not stop within 10 s of SIGTERM");
            String all = Files.readString(log);
            assertEquals(0, mcgate.exitValue(), all);
            assertTrue(all.contains("down1 v3-report="), all);
            assertTrue(all.contains("stopped"), all);
            assertTrue(!all.contains("Exception"), all);
        }
    }

    @Test
    void aPendingInterfaceIsOpenedWhenItAppearsAndClosedWhenItGoes(@TempDir Path dir) throws Exception {
        try (TestLab lab = TestLab.up()) {
            String rtr = lab.topology().router();
            Path config = dir.resolve("mcgate.conf");
            Files.writeString(config, """
                    interface up0 {
                        role upstream
                    }
                    interface down1 {
                        role downstream
                    }
                    interface late0 {
                        role downstream
                    }
                    """);
            Path log = dir.resolve("mcgate.log");
            lab.startMcgate(rtr, log, "run", "-c", config.toString(), "--interface-poll", "100");
            String started = TestLab.awaitText(log, "running; stop with SIGTERM", START_MS);
            assertTrue(started.contains("late0 (downstream): not present; waiting for it to appear"), started);
            assertTrue(started.contains("2 of 3 configured interfaces open"), started);

            TestLab.run("ip", "-n", rtr, "link", "add", "late0", "type", "veth", "peer", "name", "late0p");
            TestLab.run("ip", "-n", rtr, "link", "set", "late0", "up");
            TestLab.run("ip", "-n", rtr, "link", "set", "late0p", "up");
            TestLab.awaitText(log, "late0 (downstream): opened late0", 5000);

            TestLab.run("ip", "-n", rtr, "addr", "add", "192.0.2.77/32", "dev", "up0");
            TestLab.awaitText(log, "up0: changed: up0", 5000);

            TestLab.run("ip", "-n", rtr, "link", "del", "late0");
            TestLab.awaitText(log, "late0 (downstream): disappeared; waiting for it to come back", 5000);
        }
    }

    @Test
    void anInterfaceThatCannotBeOpenedIsReportedAndTheOthersStillRun(@TempDir Path dir) throws Exception {
        try (TestLab lab = TestLab.up()) {
            Path log = dir.resolve("mcgate.log");
            Path config = dir.resolve("mcgate.conf");
            // lo has no multicast and is no Ethernet: mcgate must say so and carry on with the rest.
            Files.writeString(
                    config,
                    "interface " + LabTopology.UPSTREAM_IF + " {\n    role upstream\n}\n"
                            + "interface down1 {\n    role downstream\n}\ninterface lo {\n    role downstream\n}\n");
            lab.startMcgate(lab.topology().router(), log, "run", "-c", config.toString());
            String started = TestLab.awaitText(log, "running; stop with SIGTERM", START_MS);
            assertTrue(started.contains("lo: no MULTICAST flag"), started);
            assertTrue(started.contains("opened down1"), started);
        }
    }
}
