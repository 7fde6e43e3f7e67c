package dev.mcgate.relay.kafka;

import dev.mcgate.config.KafkaRelayConfig;
import dev.mcgate.config.KafkaSubscription;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The only way into the Kafka relay: checks that the Kafka client is installed, then builds publishers and
 * subscribers. Nothing here names a Kafka class, so a daemon without a kafka block, or without the client, never
 * loads one (the client is an optional Class-Path entry of mcgate's jar: {@code lib/kafka-clients.jar}).
 */
public final class KafkaRelays {

    /** The jars the relay needs, as the build leaves them in target/lib/ and the jar's manifest names them. */
    public static final List<String> JARS =
            List.of("kafka-clients.jar", "zstd-jni.jar", "lz4-java.jar", "snappy-java.jar");

    static final String PROBE_CLASS = "org.apache.kafka.clients.producer.KafkaProducer";

    private KafkaRelays() {}

    /** Whether the Kafka client can be loaded through this loader (without initializing anything). */
    static boolean clientAvailable(ClassLoader loader) {
        try {
            Class.forName(PROBE_CLASS, false, loader);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** The publisher for a kafka block with publish lines; start it with {@link KafkaPublisher#start()}. */
    public static KafkaPublisher publisher(KafkaRelayConfig config) throws KafkaUnavailableException, IOException {
        return publisher(config, topics -> {});
    }

    /**
     * The publisher, and with {@code publish-mode while-consumed}, {@code consumedChanged} told the topics consumer
     * groups read each time that set changes (on the watch's thread), so that the joins can follow it.
     */
    public static KafkaPublisher publisher(KafkaRelayConfig config, Consumer<Set<String>> consumedChanged)
            throws KafkaUnavailableException, IOException {
        requireClient();
        return KafkaClients.publisher(config, consumedChanged);
    }

    /**
     * A subscriber for one subscribe line, sending through a kernel UDP socket on each of its interfaces; start it
     * with {@link KafkaSubscriber#start()}.
     */
    public static KafkaSubscriber subscriber(KafkaRelayConfig config, KafkaSubscription subscription)
            throws KafkaUnavailableException, IOException {
        requireClient();
        return KafkaClients.subscriber(config, subscription);
    }

    private static void requireClient() throws KafkaUnavailableException {
        if (!clientAvailable(KafkaRelays.class.getClassLoader())) {
            throw new KafkaUnavailableException(missingClientMessage(ownJar()));
        }
    }

    /** One line that says which files to put where. */
    static String missingClientMessage(Path jar) {
        Path lib = (jar.getParent() == null ? Path.of("lib") : jar.getParent().resolve("lib"));
        return "the kafka block needs the Kafka client, which is not installed: copy target/lib/{"
                + String.join(",", JARS) + "} from the build into " + lib + "/ (beside " + jar + ")";
    }

    private static Path ownJar() {
        try {
            return Path.of(KafkaRelays.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
        } catch (Exception e) {
            return Path.of("/usr/lib/mcgate/mcgate.jar");
        }
    }
}
