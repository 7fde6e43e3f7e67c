package dev.mcgate.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.config.ConfigLoader;
import dev.mcgate.config.Format;
import dev.mcgate.config.McgateConfig;
import dev.mcgate.forward.Forwarder;
import dev.mcgate.proxy.ProxyCore;
import dev.mcgate.time.Loop;
import dev.mcgate.time.RandomSource;
import dev.mcgate.time.Timer;
import dev.mcgate.tunnel.TunnelStatus;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15's rule for the tunnels: no thread holds a lock while it waits for the loop. A loop that looks at the
 * calling thread's monitors and locks at every {@code call} watches {@link Tunnels} start, reload (a tunnel added,
 * changed in place, reopened, removed), retry one that could not open, and close, with real UDP sockets on the
 * loopback.
 */
class TunnelsLoopContractTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @TempDir
    Path dir;

    /** A {@link ManualLoop} that records, at every call, what the calling thread holds while it waits. */
    private static final class LockWatchingLoop implements Loop {
        final ManualLoop inner = new ManualLoop();
        final List<String> heldWhileWaiting = new ArrayList<>();
        int calls;

        @Override
        public long nanoTime() {
            return inner.nanoTime();
        }

        @Override
        public Timer schedule(Duration delay, Runnable task) {
            return inner.schedule(delay, task);
        }

        @Override
        public boolean post(String name, Runnable event) {
            return inner.post(name, event);
        }

        @Override
        public <T> T call(String name, Callable<T> request, Duration timeout) throws Exception {
            calls++;
            ThreadInfo self = ManagementFactory.getThreadMXBean()
                    .getThreadInfo(new long[] {Thread.currentThread().getId()}, true, true)[0];
            if (self.getLockedMonitors().length > 0 || self.getLockedSynchronizers().length > 0) {
                StackTraceElement[] stack = self.getStackTrace();
                // Past the MXBean's and this method's own frames: who called.
                heldWhileWaiting.add(Arrays.toString(self.getLockedMonitors())
                        + Arrays.toString(self.getLockedSynchronizers()) + " in "
                        + Arrays.toString(
                                Arrays.copyOfRange(stack, Math.min(3, stack.length), Math.min(6, stack.length))));
            }
            return inner.call(name, request, timeout);
        }
    }

    private static int freePort() throws Exception {
        try (DatagramChannel c = DatagramChannel.open()) {
            c.bind(new InetSocketAddress(LOOPBACK, 0));
            return ((InetSocketAddress) c.getLocalAddress()).getPort();
        }
    }

    private McgateConfig config(String tunnels) throws Exception {
        return ConfigLoader.parse("""
                interface up0 {
                    role upstream
                }
                interface down1 {
                    role downstream
                }
                """ + tunnels, "mcgate.conf", Format.NATIVE).config();
    }

    private String tunnel(String name, String role, int local, int peer, String extra) {
        return """
                tunnel %s {
                    role %s
                    local 127.0.0.1:%d
                    peer 127.0.0.1:%d
                    key-file %s
                %s
                }
                """.formatted(name, role, local, peer, dir.resolve("t.key"), extra);
    }

    @Test
    void noThreadHoldsALockWhileItWaitsForTheLoop() throws Exception {
        Files.writeString(dir.resolve("t.key"), Base64.getEncoder().encodeToString(new byte[32]) + "\n");
        int p1 = freePort();
        int p2 = freePort();
        int p3 = freePort();
        int peer = freePort();
        LockWatchingLoop loop = new LockWatchingLoop();
        McgateConfig first = config(tunnel("t1", "downstream", p1, peer, "") + tunnel("t2", "upstream", p2, peer, ""));
        ForwardingPlane forwarding = new ForwardingPlane(first, loop, new Forwarder(loop::nanoTime));
        ProxyCore proxy = new ProxyCore(first, loop, RandomSource.seeded(7), forwarding::onMemberships);
        // t3's port is taken at first: it is not open until a retry after the squatter leaves.
        DatagramChannel squatter = DatagramChannel.open().bind(new InetSocketAddress(LOOPBACK, p3));
        try (Tunnels tunnels = new Tunnels(first, loop, forwarding, proxy, proxy::snapshot, Runnable::run)) {
            assertEquals(2, tunnels.start());
            loop.inner.scheduler.runDue();

            Tunnels.Reconfigured changed = tunnels.reconfigure(
                    config(tunnel("t1", "downstream", p1, peer, "    keepalive 200ms")
                            + tunnel("t2", "upstream", freePort(), peer, "")
                            + tunnel("t3", "downstream", p3, peer, "")),
                    () -> List.of("between"));
            assertEquals(List.of("between"), changed.between());
            assertEquals(3, changed.tunnels().size(), changed.toString());
            assertEquals(
                    TunnelStatus.PeerState.NOT_OPEN, tunnels.statuses().get(2).state());

            squatter.close();
            loop.inner.scheduler.advance(Tunnels.RETRY_INTERVAL);
            assertEquals(
                    List.of(
                            TunnelStatus.PeerState.CONNECTING,
                            TunnelStatus.PeerState.CONNECTING,
                            TunnelStatus.PeerState.CONNECTING),
                    tunnels.statuses().stream().map(TunnelStatus::state).toList(),
                    "t3 opened on the retry");

            Tunnels.Reconfigured removed = tunnels.reconfigure(config(""), null);
            assertEquals(3, removed.tunnels().size(), removed.toString());
            assertEquals(List.of(), tunnels.statuses());
        } finally {
            squatter.close();
        }
        assertTrue(loop.calls >= 8, "the loop was asked " + loop.calls + " times");
        assertEquals(List.of(), loop.heldWhileWaiting);
    }
}
