/**
 * The Kafka relay (issue 18): publishes selected multicast datagrams to Kafka topics and sends topics' records as
 * multicast again. {@link dev.mcgate.relay.kafka.KafkaRelays} is the only entry: the Kafka client is an optional
 * classpath entry, loaded only when a kafka block is configured.
 *
 * <p>Threads: {@link dev.mcgate.relay.kafka.KafkaPublisher#offer} runs on any receiving thread and never blocks (a
 * bounded hand-off); one {@code kafka-publish} thread drives the producer, whose own I/O thread runs the
 * acknowledgements. Each subscription has one {@code kafka-sub-TOPIC} thread that owns its consumer. Counters are
 * {@link java.util.concurrent.atomic.LongAdder}s that any thread may read.
 */
package dev.mcgate.relay.kafka;
