package dev.mcgate.control;

import dev.mcgate.counters.CounterReading;
import dev.mcgate.counters.CounterReadings;
import dev.mcgate.relay.kafka.KafkaCounter;
import java.util.List;

/** The Kafka relay's line of {@code mcgate status}, from its counters alone (present only with a kafka block). */
final class KafkaStatusLine {

    private KafkaStatusLine() {}

    static void append(StringBuilder out, CounterReadings c) {
        if (c == null || c.of(KafkaCounter.STARTS).isEmpty()) {
            return;
        }
        out.append("\nkafka relay: ");
        if (c.value(KafkaCounter.STARTS) <= c.value(KafkaCounter.STOPS)) {
            out.append("not running (")
                    .append(c.value(KafkaCounter.START_FAILURES))
                    .append(" failed starts: the log says why; a reload tries again)\n");
            return;
        }
        List<CounterReading> subscribed = c.of(KafkaCounter.SUBSCRIBED);
        out.append("publishing ")
                .append(c.value(KafkaCounter.PUBLISH_JOINS) - c.value(KafkaCounter.PUBLISH_LEAVES))
                .append(" groups, ")
                .append(sum(c.of(KafkaCounter.PUBLISHED)))
                .append(" published, ")
                .append(sum(c.of(KafkaCounter.PUBLISH_DROPS)))
                .append(" dropped; ")
                .append(subscribed.size())
                .append(" subscribers, ")
                .append(sum(subscribed))
                .append(" sent, ")
                .append(sum(c.of(KafkaCounter.SUBSCRIBE_DROPS).stream()
                        // a failed commit is not a record lost: those records may come again
                        .filter(r -> !r.label("reason").equals("commit-failed"))
                        .toList()))
                .append(" not sent")
                .append(
                        c.value(KafkaCounter.SUBSCRIBE_START_FAILURES) > 0
                                ? "; " + c.value(KafkaCounter.SUBSCRIBE_START_FAILURES)
                                        + " subscriptions failed to start (see the log)"
                                : "")
                .append('\n');
    }

    private static long sum(List<CounterReading> readings) {
        return readings.stream().mapToLong(CounterReading::value).sum();
    }
}
