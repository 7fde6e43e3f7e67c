package dev.mcgate.control;

import dev.mcgate.config.ListenAddress;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The optional Prometheus endpoint ({@code metrics-listen}): an HTTP server on one daemon thread
 * ({@code mcgate-metrics}) serving {@code /metrics} from a registry of its own, with mcgate's families and the JVM's.
 */
public final class MetricsEndpoint implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsEndpoint.class);

    private final HTTPServer server;

    private MetricsEndpoint(HTTPServer server) {
        this.server = server;
    }

    /**
     * Binds and starts serving.
     *
     * @throws IOException naming the address when it cannot be bound (in use, not local, not permitted)
     */
    public static MetricsEndpoint start(ListenAddress listen, Supplier<DaemonSnapshot> snapshots) throws IOException {
        return start(listen.host(), listen.port(), snapshots);
    }

    /** As {@link #start(ListenAddress, Supplier)}; port 0 picks a free port (tests). */
    public static MetricsEndpoint start(String host, int port, Supplier<DaemonSnapshot> snapshots) throws IOException {
        String where = (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        // A registry of its own, not the global default: tests and a second daemon in one JVM stay apart.
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(new MetricsCollector(snapshots));
        JvmMetrics.builder().register(registry);
        // One thread: scrapes are rare, and each asks the loop once.
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "mcgate-metrics");
            t.setDaemon(true);
            return t;
        });
        try {
            HTTPServer server = HTTPServer.builder()
                    .inetAddress(InetAddress.getByName(host))
                    .port(port)
                    .registry(registry)
                    .executorService(executor)
                    .buildAndStart();
            LOG.info("metrics on http://{}/metrics", new ListenAddress(host, server.getPort()));
            return new MetricsEndpoint(server);
        } catch (IOException | RuntimeException e) {
            executor.shutdownNow();
            throw new IOException("metrics-listen " + where + ": cannot listen there (" + e.getMessage() + ")", e);
        }
    }

    /** The port bound (the configured one, or the one chosen for port 0 in tests). */
    public int port() {
        return server.getPort();
    }

    @Override
    public void close() {
        server.close();
    }
}
