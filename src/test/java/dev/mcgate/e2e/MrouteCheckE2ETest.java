package dev.mcgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mcgate.io.linux.MrouteCheck;
import dev.mcgate.io.linux.Netns;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The check for another multicast router against the real kernel: a python process holding MRT_INIT in the router
 * namespace stands in for igmpproxy. Skipped, with the reason, on a kernel without multicast routing, where no other
 * process can hold it; there the last test checks that mcgate says so in one line and starts.
 */
@EndToEnd
class MrouteCheckE2ETest {

    private static final String HOLD_MRT_INIT = """
            import socket, struct, sys
            s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_IGMP)
            s.setsockopt(socket.IPPROTO_IP, 200, struct.pack('i', 1))
            print('held', flush=True)
            sys.stdin.read()
            """;

    private static TestLab lab;

    @BeforeAll
    static void up() throws Exception {
        lab = TestLab.up();
    }

    @AfterAll
    static void down() throws Exception {
        if (lab != null) {
            lab.close();
        }
    }

    private static void assumeMulticastRouting() {
        assumeTrue(
                MrouteCheck.kernelHasMulticastRouting(),
                "this kernel has no multicast routing (CONFIG_IP_MROUTE "
                        + "unset, no /proc/net/ip_mr_vif): no process can hold MRT_INIT, so there is no other router to detect");
    }

    @Test
    void detectsAnotherHolderByNameAndReportsFreeOtherwise() throws Exception {
        assumeMulticastRouting();
        String router = lab.topology().router();
        MrouteCheck.Result free = Netns.call(router, () -> new MrouteCheck().check());
        assertEquals(MrouteCheck.State.FREE, free.state(), free.message());

        // If the check had not given MRT_INIT back, this would fail with EADDRINUSE.
        Process holder = new ProcessBuilder("ip", "netns", "exec", router, "python3", "-c", HOLD_MRT_INIT)
                .redirectErrorStream(true)
                .start();
        try {
            BufferedReader out =
                    new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("held", out.readLine(), "python could not take MRT_INIT");

            MrouteCheck.Result held = Netns.call(router, () -> new MrouteCheck().check());
            assertTrue(held.held(), held.message());
            assertTrue(held.message().contains("(pid " + holder.pid() + ")"), held.message());
            assertTrue(held.message().contains("python"), held.message());

            MrouteCheck.Result elsewhere = Netns.call(lab.topology().receiver(1), () -> new MrouteCheck().check());
            assertEquals(MrouteCheck.State.FREE, elsewhere.state(), "another namespace: " + elsewhere.message());
        } finally {
            holder.getOutputStream().close();
            if (!holder.waitFor(5, TimeUnit.SECONDS)) {
                holder.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }

        MrouteCheck.Result again = Netns.call(router, () -> new MrouteCheck().check());
        assertEquals(MrouteCheck.State.FREE, again.state(), again.message());
    }

    @Test
    void runRefusesToStartBesideAnotherMulticastRouter(@TempDir Path dir) throws Exception {
        assumeMulticastRouting();
        String router = lab.topology().router();
        Process holder = new ProcessBuilder("ip", "netns", "exec", router, "python3", "-c", HOLD_MRT_INIT)
                .redirectErrorStream(true)
                .start();
        try {
            BufferedReader out =
                    new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("held", out.readLine(), "python could not take MRT_INIT");
            Path log = dir.resolve("mcgate.log");

            Process mcgate = lab.startMcgate(
                    router, log, "run", "-c", lab.topology().routerConfigFile().toString());

            assertTrue(mcgate.waitFor(20, TimeUnit.SECONDS), "mcgate kept running beside another mroute holder");
            String said = Files.readString(log);
            assertEquals(69, mcgate.exitValue(), said);
            assertTrue(said.contains("python") && said.contains("(pid " + holder.pid() + ")"), said);
            assertTrue(!said.contains("up0 (upstream): opened"), "no interface is opened: " + said);
        } finally {
            holder.getOutputStream().close();
            if (!holder.waitFor(5, TimeUnit.SECONDS)) {
                holder.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void runSaysInOneLineThatTheKernelHasNoMulticastRoutingAndStarts(@TempDir Path dir) throws Exception {
        assumeTrue(
                !MrouteCheck.kernelHasMulticastRouting(),
                "this kernel has multicast routing: the tests above " + "cover it");
        String router = lab.topology().router();
        MrouteCheck.Result result = Netns.call(router, () -> new MrouteCheck().check());
        assertEquals(MrouteCheck.State.NO_MULTICAST_ROUTING, result.state(), result.message());

        Path log = dir.resolve("mcgate.log");
        Process mcgate = lab.startMcgate(
                router, log, "run", "-c", lab.topology().routerConfigFile().toString());
        try {
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (System.nanoTime() < deadline && !Files.readString(log).contains("up0 (upstream): opened")) {
                assertTrue(mcgate.isAlive(), "mcgate stopped: " + Files.readString(log));
                Thread.sleep(50);
            }
            String said = Files.readString(log);
            assertTrue(said.contains("up0 (upstream): opened"), said);
            long lines =
                    said.lines().filter(l -> l.contains("no multicast routing")).count();
            assertEquals(1, lines, said);
            assertTrue(
                    said.lines().filter(l -> l.contains("no multicast routing")).allMatch(l -> l.contains("INFO")),
                    said);
        } finally {
            mcgate.destroy();
            mcgate.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
