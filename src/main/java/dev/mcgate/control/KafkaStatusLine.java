package dev.mcgate.control;

import dev.mcgate.counters.CounterReading;
import dev.mcgate.counters.CounterReadings;
import dev.mcgate.relay.kafka.KafkaCounter;
import java.util.List;

/** The Kafka relay's line of {@code mcgate status}, from its counters alone (present only with a kafka block). */
final class KafkaStatusLine {

    private KafkaStatusLine() {}

    /** The line, with the publisher's latency over its last window where the snapshot has it. */
    static void append(StringBuilder out, CounterReadings c, java.util.Optional<DaemonSnapshot.KafkaPublish> publish) {
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
                .append(" dropped")
                .append(recent(publish))
                .append("; ")
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

    /** ", to the broker's ack in the last 5 s: p50 X ms, p99 Y ms" where records were acknowledged then. */
    private static String recent(java.util.Optional<DaemonSnapshot.KafkaPublish> publish) {
        if (publish.isEmpty() || publish.get().recent().acknowledged() == 0) {
            return "";
        }
        DaemonSnapshot.KafkaPublish p = publish.get();
        return String.format(
                java.util.Locale.ROOT,
                " (arrival to broker ack over the last %.0f s: p50 %.1f ms, p99 %.1f ms)",
                p.recentSeconds(),
                p.recent().p50Micros() / 1000.0,
                p.recent().p99Micros() / 1000.0);
    }

    private static long sum(List<CounterReading> readings) {
        return readings.stream().mapToLong(CounterReading::value).sum();
    }
}
