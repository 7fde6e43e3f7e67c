package dev.mcgate.config;

import java.util.Locale;

/** When the Kafka relay publishes: always, or only while some consumer group reads the topic. */
public enum KafkaPublishMode {
    /** Every selected datagram is published. */
    ALWAYS,
    /** Only while a consumer group has members reading the topic; otherwise counted as not-consumed. */
    WHILE_CONSUMED;

    public String keyword() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
