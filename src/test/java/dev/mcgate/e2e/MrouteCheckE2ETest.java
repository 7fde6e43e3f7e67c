package dev.mcgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The check for another multicast router against the real kernel: a python process holding MRT_INIT in the router
 * namespace stands in for igmpproxy.
 */
@Tag("e2e")
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

    @Test
    void detectsAnotherHolderByNameAndReportsFreeOtherwise() throws Exception {
        String router = lab.topology().router();
        MrouteCheck.Result free = Netns.call(router, () -> new MrouteCheck().check());
        assertEquals(MrouteCheck.State.FREE, free.state(), free.message());

        // If the check had not given MRT_INIT back, this would fail with EADDRINUSE.
        Process holder = new ProcessBuilder("ip", "netns", "exec", router, "python3", "-c", HOLD_MRT_INIT)
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(),
                    StandardCharsets.UTF_8));
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
        String router = lab.topology().router();
        Process holder = new ProcessBuilder("ip", "netns", "exec", router, "python3", "-c", HOLD_MRT_INIT)
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(),
                    StandardCharsets.UTF_8));
            assertEquals("held", out.readLine(), "python could not take MRT_INIT");
            Path log = dir.resolve("mcgate.log");

            Process mcgate = lab.startMcgate(router, log, "run", "-c", lab.topology().routerConfigFile().toString());

            assertTrue(mcgate.waitFor(20, TimeUnit.SECONDS), "mcgate kept running beside another mroute holder");
            String said = Files.readString(log);
            assertEquals(69, mcgate.exitValue(), said);
            assertTrue(said.contains("python") && said.contains("(pid " + holder.pid() + ")"), said);
            assertTrue(!said.contains("opened up0"), "no interface is opened: " + said);
        } finally {
            holder.getOutputStream().close();
            if (!holder.waitFor(5, TimeUnit.SECONDS)) {
                holder.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }
}
