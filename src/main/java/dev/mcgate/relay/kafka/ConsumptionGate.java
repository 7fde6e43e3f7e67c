package dev.mcgate.relay.kafka;

/** Whether a topic is published now: always, or while some consumer group reads it ({@code publish-mode}). */
interface ConsumptionGate extends AutoCloseable {

    /** Called for every record, on the publisher thread: must be cheap. */
    boolean open(String topic);

    default void start() {}

    @Override
    default void close() {}

    ConsumptionGate ALWAYS = topic -> true;
}
