package dev.mcgate.relay.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The lean packaging: mcgate's own classes without the Kafka client on the classpath (a class loader that sees only
 * target/classes), as a box without lib/kafka-clients.jar runs them.
 */
class KafkaRelaysTest {

    /** mcgate's classes alone: no Kafka client, no other dependency. */
    private static URLClassLoader withoutKafka() {
        URL classes = KafkaRelays.class.getProtectionDomain().getCodeSource().getLocation();
        return new URLClassLoader(new URL[] {classes}, ClassLoader.getPlatformClassLoader());
    }

    @Test
    void theClientIsFoundWhereItIsAndNotWhereItIsNot() throws Exception {
        assertTrue(KafkaRelays.clientAvailable(KafkaRelays.class.getClassLoader()));
        try (URLClassLoader lean = withoutKafka()) {
            assertFalse(KafkaRelays.clientAvailable(lean));
        }
    }

    @Test
    void theCountersAreRegisteredWithoutTheClient() throws Exception {
        try (URLClassLoader lean = withoutKafka()) {
            Object registry = lean.loadClass("dev.mcgate.daemon.CounterCatalog")
                    .getMethod("newRegistry")
                    .invoke(null);
            List<?> families =
                    (List<?>) registry.getClass().getMethod("families").invoke(registry);
            assertTrue(families.stream().anyMatch(c -> c.toString().equals("PUBLISH_DROPS")), families.toString());
        }
    }

    @Test
    void aRelayAskedForWithoutTheClientFailsWithOneLineThatSaysWhatToInstall() throws Exception {
        try (URLClassLoader lean = withoutKafka()) {
            Class<?> relays = lean.loadClass(KafkaRelays.class.getName());
            Method publisher = relays.getMethod("publisher", lean.loadClass("dev.mcgate.config.KafkaRelayConfig"));
            InvocationTargetException e =
                    assertThrows(InvocationTargetException.class, () -> publisher.invoke(null, (Object) null));
            Throwable cause = e.getCause();
            assertEquals(
                    KafkaUnavailableException.class.getName(), cause.getClass().getName());
            assertFalse(cause.getMessage().contains("\n"));
            assertTrue(cause.getMessage().contains("kafka-clients.jar"), cause.getMessage());
        }
    }

    @Test
    void theMessageNamesTheDirectoryBesideTheJar() {
        assertEquals(
                "the kafka block needs the Kafka client, which is not installed: copy target/lib/{kafka-clients.jar,"
                        + "zstd-jni.jar,lz4-java.jar,snappy-java.jar} from the build into /usr/lib/mcgate/lib/ (beside"
                        + " /usr/lib/mcgate/mcgate.jar)",
                KafkaRelays.missingClientMessage(Path.of("/usr/lib/mcgate/mcgate.jar")));
    }
}
