package dev.mcgate.daemon;

import dev.mcgate.config.McgateConfig;
import dev.mcgate.control.ControlDispatcher;
import dev.mcgate.control.ControlServer;
import dev.mcgate.control.DaemonSnapshot;
import dev.mcgate.control.MetricsEndpoint;
import dev.mcgate.control.Reloading;
import dev.mcgate.forward.Forwarder;
import dev.mcgate.io.linux.PrivilegeDrop;
import dev.mcgate.proxy.ProxyCore;
import dev.mcgate.time.EventLoop;
import dev.mcgate.tunnel.TunnelStatus;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What operators reach the running daemon through: the control socket and, if configured, the Prometheus endpoint,
 * both answered from {@link StatusGatherer} snapshots. Started before any interface is opened, so that a second
 * mcgate on the same socket refuses to start before it touches anything; closed first on stop, which removes the
 * socket file.
 */
public final class ControlPlane implements AutoCloseable {

    private final StatusGatherer gatherer;
    private final ControlServer server;
    private final Optional<MetricsEndpoint> metrics;

    /** The control socket or the metrics endpoint could not be started; the message is for the operator. */
    public static final class StartException extends Exception {
        StartException(String message, Throwable cause) {
            super(message, cause, false, false);
        }
    }

    private ControlPlane(StatusGatherer gatherer, ControlServer server, Optional<MetricsEndpoint> metrics) {
        this.gatherer = gatherer;
        this.server = server;
        this.metrics = metrics;
    }

    /**
     * @param controlSocket replaces the configuration's control-socket unless null ({@code run --control-socket})
     * @param tunnels       the tunnels' statuses now, callable from any thread ({@code Tunnels::statuses})
     */
    public static ControlPlane start(
            McgateConfig config,
            java.nio.file.Path controlSocket,
            EventLoop loop,
            InterfaceRegistry interfaces,
            ProxyCore proxy,
            Forwarder forwarder,
            String version,
            Reloading reloading,
            Supplier<List<TunnelStatus>> tunnels)
            throws StartException {
        return start(
                config,
                controlSocket,
                loop,
                interfaces,
                proxy,
                forwarder,
                version,
                reloading,
                tunnels,
                EngineStatus.userSpace(config.global().packetIo().keyword()));
    }

    /** As above, with the packet I/O engine's status (the nft engine's kernel routes and counters). */
    public static ControlPlane start(
            McgateConfig config,
            java.nio.file.Path controlSocket,
            EventLoop loop,
            InterfaceRegistry interfaces,
            ProxyCore proxy,
            Forwarder forwarder,
            String version,
            Reloading reloading,
            Supplier<List<TunnelStatus>> tunnels,
            EngineStatus engine)
            throws StartException {
        StatusGatherer gatherer =
                new StatusGatherer(loop, interfaces, proxy, forwarder, version, System::nanoTime, tunnels);
        gatherer.engine(engine);
        ControlServer server = null;
        try {
            server = ControlServer.start(
                    controlSocket != null ? controlSocket : config.global().controlSocket(),
                    new ControlDispatcher(gatherer::gather, reloading),
                    ControlServer.Limits.DEFAULTS,
                    PrivilegeDrop::effectiveUserName);
            gatherer.counters().add(server);
            Optional<MetricsEndpoint> metrics = Optional.empty();
            if (config.global().metricsListen().isPresent()) {
                metrics = Optional.of(
                        MetricsEndpoint.start(config.global().metricsListen().get(), () -> snapshotOrThrow(gatherer)));
            }
            return new ControlPlane(gatherer, server, metrics);
        } catch (Exception e) {
            if (server != null) {
                server.close();
            }
            gatherer.close();
            throw new StartException(e instanceof IOException ? e.getMessage() : e.toString(), e);
        }
    }

    private static DaemonSnapshot snapshotOrThrow(StatusGatherer gatherer) {
        try {
            return gatherer.gather();
        } catch (Exception e) {
            throw new IllegalStateException("the daemon did not answer: " + e.getMessage(), e);
        }
    }

    /** Where the status's relay sections come from (any thread). */
    public void relays(Supplier<DaemonSnapshot.Relays> source) {
        gatherer.relays(source);
    }

    /** The registry the counters command and the metrics read; the daemon's other parts add their sources to it. */
    public dev.mcgate.counters.CounterRegistry counters() {
        return gatherer.counters();
    }

    public ControlServer server() {
        return server;
    }

    public Optional<MetricsEndpoint> metrics() {
        return metrics;
    }

    @Override
    public void close() {
        metrics.ifPresent(MetricsEndpoint::close);
        server.close();
        gatherer.close();
    }
}
