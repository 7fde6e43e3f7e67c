package dev.mcgate.daemon;

import dev.mcgate.config.HttpRelayConfig;
import dev.mcgate.config.InterfaceConfig;
import dev.mcgate.config.McgateConfig;
import dev.mcgate.control.DaemonSnapshot;
import dev.mcgate.counters.CounterRecorder;
import dev.mcgate.igmp.MembershipListener;
import dev.mcgate.proxy.InterfaceFilter;
import dev.mcgate.relay.LocalMemberships;
import dev.mcgate.relay.RelayPort;
import dev.mcgate.relay.http.HttpRelayServer;
import dev.mcgate.relay.http.RelayStatus;
import dev.mcgate.time.Loop;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP relay wired into the daemon ({@code http-listen}): a virtual downstream interface ({@code relay:http})
 * whose port the forwarding plane sends the wanted flows into, whose membership book tells the proxy what the clients
 * joined, and the HTTP server in front of it. Started with the daemon if configured, started, changed or stopped by a
 * reload, stopped before the interfaces (its groups are withdrawn, so the upstream hears the leaves).
 *
 * <p>Threads: the port's attachment and the book are the loop's (changed in loop tasks); binding, rebinding and
 * closing the server run on one thread of their own ({@code mcgate-http-io}), one job at a time, which waits for the
 * loop holding no lock. The counters are read from any thread.
 */
public final class HttpRelay implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpRelay.class);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);
    /** No MTU limit of its own: the relay takes whatever the forwarder would forward. */
    private static final int MTU = 65535;

    /** The relay while it runs. */
    private record Running(
            HttpRelayConfig config,
            InterfaceConfig asInterface,
            RelayPort port,
            LocalMemberships book,
            HttpRelayServer server) {}

    private final Loop loop;
    private final ForwardingPlane forwarding;
    private final MembershipListener proxy;
    private final SerialThread io = new SerialThread("mcgate-http-io");
    /** Written on the I/O thread only; read by the counters. */
    private volatile Running running;

    public HttpRelay(Loop loop, ForwardingPlane forwarding, MembershipListener proxy) {
        this.loop = loop;
        this.forwarding = forwarding;
        this.proxy = proxy;
    }

    /** Starts the relay if {@code config} has one. Off the loop; waits. */
    public void start(McgateConfig config) {
        io.callAndWait("http relay", () -> {
            startNow(config).forEach(line -> LOG.info("{}", line));
            return null;
        });
    }

    /** A reload: the relay follows {@code next}. Off the loop; waits. @return one line per change */
    public List<String> reconfigure(McgateConfig next) {
        return io.callAndWait("http relay", () -> {
            Running r = running;
            if (r == null) {
                return startNow(next);
            }
            if (next.global().httpRelay().isEmpty()) {
                stopNow();
                return List.of("http relay: stopped, its groups withdrawn");
            }
            HttpRelayConfig c = next.global().httpRelay().get();
            InterfaceConfig ic = next.httpRelayInterface().orElseThrow();
            List<String> lines = new ArrayList<>();
            if (!c.listen().equals(r.config().listen())) {
                try {
                    r.server().rebind(c.listen());
                    lines.add("http relay: listens on " + c.listen() + " (was "
                            + r.config().listen() + "); clients kept");
                } catch (IOException e) {
                    lines.add("http relay: NOT rebound, still on " + r.config().listen() + ": " + e.getMessage());
                    c = c.withListen(r.config().listen());
                }
            }
            r.server()
                    .settings(new HttpRelayServer.Settings(
                            c, InterfaceFilter.of(ic), ic.limits().maxGroups()));
            Duration linger = c.linger();
            loop.post("http:linger", () -> r.book().linger(linger));
            if (c.queueBudget() != r.config().queueBudget()) {
                lines.add("http relay: http-queue-budget " + c.queueBudget() + " bytes (was "
                        + r.config().queueBudget() + "), from now on for all clients");
            }
            if (!c.equals(r.config()) && lines.isEmpty()) {
                lines.add("http relay: settings changed (new clients take them)");
            }
            running = new Running(c, ic, r.port(), r.book(), r.server());
            return lines;
        });
    }

    /** I/O thread. */
    private List<String> startNow(McgateConfig config) throws Exception {
        if (config.global().httpRelay().isEmpty()) {
            return List.of();
        }
        HttpRelayConfig c = config.global().httpRelay().get();
        InterfaceConfig ic = config.httpRelayInterface().orElseThrow();
        RelayPort port = new RelayPort(HttpRelayConfig.INTERFACE_NAME, MTU, System::nanoTime);
        LocalMemberships book = new LocalMemberships(ic.name(), loop, proxy, port, c.linger());
        // The port is in the table before any client can join through the server, and leaves it if the server
        // cannot bind: no join is ever made for a relay that is not running.
        try {
            WholeCall.run(
                    loop,
                    "http:attach",
                    () -> {
                        forwarding.portOpened(ic, port);
                        return null;
                    },
                    CALL_TIMEOUT);
        } catch (Exception e) {
            LOG.error("http relay not started: the loop did not take its port: {}", e.toString());
            return List.of("http relay NOT started: the loop did not take its port");
        }
        HttpRelayServer server;
        try {
            server = HttpRelayServer.start(
                    loop,
                    book,
                    new HttpRelayServer.Settings(
                            c, InterfaceFilter.of(ic), ic.limits().maxGroups()));
        } catch (IOException e) {
            detach(ic, port, book);
            LOG.error("http relay not started: {}", e.getMessage());
            return List.of("http relay NOT started: " + e.getMessage());
        }
        running = new Running(c, ic, port, book, server);
        return List.of("http relay: listening on " + c.listen() + ", clients from "
                + c.allow().stream()
                        .map(Object::toString)
                        .reduce((a, b) -> a + " " + b)
                        .orElse("nowhere"));
    }

    /** I/O thread: server closed, groups withdrawn, port detached, in that order. */
    private void stopNow() {
        Running r = running;
        if (r == null) {
            return;
        }
        running = null;
        r.server().close();
        detach(r.asInterface(), r.port(), r.book());
    }

    /** I/O thread: the relay's groups withdrawn and its port out of the table, then closed. */
    private void detach(InterfaceConfig ic, RelayPort port, LocalMemberships book) {
        try {
            loop.call(
                    "http:detach",
                    () -> {
                        book.withdrawAll();
                        forwarding.portClosing(ic, port);
                        return null;
                    },
                    CALL_TIMEOUT);
        } catch (Exception e) {
            LOG.debug("http relay: groups not withdrawn at stop: {}", e.toString());
        }
        port.close();
    }

    /** What {@code status} shows of the relay; empty while it does not run. Any thread. */
    public Optional<DaemonSnapshot.HttpRelay> view() {
        Running r = running;
        if (r == null) {
            return Optional.empty();
        }
        RelayStatus st = r.server().status();
        return Optional.of(new DaemonSnapshot.HttpRelay(
                r.config().listen().toString(),
                st.clients().size(),
                st.totals().getOrDefault("queued_bytes", 0L),
                st.groups().stream()
                        .map(g -> new DaemonSnapshot.HttpGroup(g.group(), g.clients(), g.bitsPerSecond()))
                        .toList()));
    }

    /** The relay's port and server counters, if it runs. Any thread. */
    public void recordInto(CounterRecorder out) {
        Running r = running;
        if (r != null) {
            r.port().recordInto(out);
            r.server().recordInto(out);
        }
    }

    /** Stops the relay (its groups withdrawn while the upstream is still open) and its I/O thread. Idempotent. */
    @Override
    public void close() {
        try {
            io.callAndWait("http relay", () -> {
                stopNow();
                return null;
            });
        } catch (RuntimeException e) {
            LOG.debug("http relay: {}", e.toString());
        }
        io.close();
    }
}
