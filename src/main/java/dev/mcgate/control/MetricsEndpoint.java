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
 * The optional Prometheus endpoint ({@code metrics-listen}): an HTTP server on {@value #WORKERS} daemon threads
 * ({@code mcgate-metrics-N}) serving {@code /metrics} from a registry of its own, with mcgate's families and the
 * JVM's. It has no authentication: a listen address other than loopback is warned about, and a client gets
 * {@value #REQUEST_SECONDS} s to send its request and {@value #RESPONSE_SECONDS} s to read the answer.
 */
public final class MetricsEndpoint implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsEndpoint.class);
    /** Two: one client that reads slowly must not keep the next scrape waiting. */
    static final int WORKERS = 2;
    /**
     * From accepting a connection to having its request headers; a silent or trickling client is cut off after (the
     * JDK checks once a second among other timers: measured, a silent client was closed after 20 s).
     */
    static final int REQUEST_SECONDS = 10;
    /** For the client to read the response. */
    static final int RESPONSE_SECONDS = 30;

    static {
        // The JDK's HttpServer reads these once, when its first server is made, and has no timeout without them.
        // An operator's own -D values win.
        setIfAbsent("sun.net.httpserver.maxReqTime", REQUEST_SECONDS);
        setIfAbsent("sun.net.httpserver.maxRspTime", RESPONSE_SECONDS);
    }

    private static void setIfAbsent(String property, int seconds) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, Integer.toString(seconds));
        }
    }

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
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(WORKERS, r -> {
            Thread t = new Thread(r, "mcgate-metrics-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            InetAddress address = InetAddress.getByName(host);
            exposure(address).ifPresent(warning -> LOG.warn("metrics-listen {}: {}", where, warning));
            HTTPServer server = HTTPServer.builder()
                    .inetAddress(address)
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

    /**
     * What is wrong with serving on {@code address}, if anything: the endpoint has no authentication nor TLS, so
     * anything but loopback shows the daemon's interfaces, groups and counters to whoever can reach the address.
     */
    static java.util.Optional<String> exposure(InetAddress address) {
        if (address.isLoopbackAddress()) {
            return java.util.Optional.empty();
        }
        String who = address.isAnyLocalAddress() ? "every address of this host" : "a non-loopback address";
        return java.util.Optional.of("serving metrics on " + who + ", without authentication: anyone who can reach it "
                + "reads the interfaces, groups and counters; prefer 127.0.0.1 (or ::1) behind a proxy, or firewall "
                + "the port");
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
