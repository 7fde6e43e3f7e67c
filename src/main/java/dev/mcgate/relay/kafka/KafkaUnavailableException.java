package dev.mcgate.relay.kafka;

/** A Kafka relay is configured but the Kafka client is not installed beside mcgate's jar. */
public final class KafkaUnavailableException extends Exception {

    private static final long serialVersionUID = 1L;

    KafkaUnavailableException(String message) {
        super(message);
    }
}
