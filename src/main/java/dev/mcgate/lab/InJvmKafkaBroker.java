package dev.mcgate.lab;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * One Apache Kafka node in this JVM, for the Kafka relay's tests and {@code lab bench}'s Kafka rows: in KRaft mode (broker and controller in one process, a single static voter), on
 * localhost ports chosen once: it can be stopped and started again on the same ports and log directory, as a broker
 * that goes down and comes back does.
 */
public final class InJvmKafkaBroker implements AutoCloseable {

    private static final int NODE_ID = 1;
    private static final String CONTROLLER = "CONTROLLER";

    private final Path logDir;
    /** The address clients reach the broker at (its controller stays on the loopback). */
    private final String host;

    private final int brokerPort;
    private final int controllerPort;
    private KafkaRaftServer server;

    private InJvmKafkaBroker(Path logDir, String host, int brokerPort, int controllerPort) {
        this.logDir = logDir;
        this.host = host;
        this.brokerPort = brokerPort;
        this.controllerPort = controllerPort;
    }

    /** Formats {@code logDir} (an empty directory) as a new cluster and starts the node on two free ports. */
    public static InJvmKafkaBroker start(Path logDir) throws Exception {
        return start(logDir, "127.0.0.1");
    }

    /**
     * As {@link #start(Path)}, with the broker's listener on {@code host} (an address of this thread's namespace):
     * started from a thread inside a network namespace, the node binds there and its threads are born there.
     */
    public static InJvmKafkaBroker start(Path logDir, String host) throws Exception {
        InJvmKafkaBroker broker = new InJvmKafkaBroker(logDir, host, freePort(), freePort());
        broker.format();
        broker.start();
        return broker;
    }

    /** host:port for bootstrap.servers. */
    public String bootstrapServers() {
        return host + ":" + brokerPort;
    }

    /** Starts the node again after {@link #stop()}, on the same ports and log directory (records kept). */
    public synchronized void start() {
        if (server != null) {
            throw new IllegalStateException("already running");
        }
        KafkaRaftServer next = new KafkaRaftServer(new KafkaConfig(properties()), Time.SYSTEM);
        next.startup();
        server = next;
    }

    /** Stops the node (a controlled shutdown) and waits until its ports are closed. */
    public synchronized void stop() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    private void format() throws Exception {
        new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setNodeId(NODE_ID)
                .setClusterId(Uuid.randomUuid().toString())
                .setDirectories(List.of(logDir.toString()))
                .setMetadataLogDirectory(logDir.toString())
                .setControllerListenerName(CONTROLLER)
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                .run();
    }

    private Properties properties() {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        p.put("controller.listener.names", CONTROLLER);
        p.put(
                "listeners",
                "PLAINTEXT://" + host + ":" + brokerPort + "," + CONTROLLER + "://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://" + host + ":" + brokerPort);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER + ":PLAINTEXT");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", logDir.toString());
        // One node: every internal topic has one replica, and one partition where that is allowed, so that the group
        // coordinator and the idempotent producer's state are ready sooner.
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("num.partitions", "1");
        // Small heap footprint for a test node: fewer threads and smaller segments.
        p.put("num.network.threads", "1");
        p.put("num.io.threads", "2");
        p.put("background.threads", "2");
        p.put("log.segment.bytes", String.valueOf(16 * 1024 * 1024));
        return p;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
