package dev.mcgate.relay.kafka;

/** Why a datagram offered to the publisher never reached the broker; each has a value of {@code kafka_publish_drops}. */
public enum PublishDrop {
    /** The hand-off to the publisher thread was full (in datagrams or bytes): the producer is not keeping up. */
    HANDOFF_FULL("handoff-full"),
    /** The producer had no metadata for the topic within max-block: no broker answered. */
    BROKER_UNREACHABLE("broker-unreachable"),
    /** The producer's own buffer stayed full for max-block. */
    PRODUCER_BUFFER_FULL("producer-buffer-full"),
    /** Handed to the producer but not acknowledged within delivery-timeout (the broker was down or slow). */
    EXPIRED("expired"),
    /** Refused by the producer or the broker for another reason (too large, not authorized, ...). */
    SEND_FAILED("send-failed"),
    /** Not published on purpose: publish-mode while-consumed, and no consumer group reads the topic. */
    NOT_CONSUMED("not-consumed"),
    /** Still in the hand-off when the publisher stopped. */
    STOPPED("stopped");

    private final String label;

    PublishDrop(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
