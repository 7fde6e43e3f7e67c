package dev.mcgate.relay.kafka;

import java.util.Set;

/** One look at the cluster: the topics that members of stable consumer groups are assigned partitions of. */
@FunctionalInterface
interface ConsumedTopics extends AutoCloseable {

    Set<String> read() throws Exception;

    /** Releases the client that asks; nothing by default. */
    @Override
    default void close() {}
}
