package dev.mcgate.relay.kafka;

import dev.mcgate.counters.CounterRecorder;
import dev.mcgate.counters.CounterSource;
import java.util.concurrent.atomic.LongAdder;

/** One subscription's counters: written by its thread, read by any. */
public final class SubscribeStats implements CounterSource {

    private final String topic;
    private final String groupId;
    private final LongAdder sent = new LongAdder();
    private final LongAdder malformed = new LongAdder();
    private final LongAdder sendFailed = new LongAdder();
    private final LongAdder commitFailed = new LongAdder();

    public SubscribeStats(String topic, String groupId) {
        this.topic = topic;
        this.groupId = groupId;
    }

    void sent() {
        sent.increment();
    }

    void malformed() {
        malformed.increment();
    }

    void sendFailed() {
        sendFailed.increment();
    }

    void commitFailed() {
        commitFailed.increment();
    }

    public long sentCount() {
        return sent.sum();
    }

    public long malformedCount() {
        return malformed.sum();
    }

    public long sendFailedCount() {
        return sendFailed.sum();
    }

    public long commitFailedCount() {
        return commitFailed.sum();
    }

    @Override
    public void recordInto(CounterRecorder out) {
        out.record(KafkaCounter.SUBSCRIBED, sent.sum(), topic, groupId);
        out.record(KafkaCounter.SUBSCRIBE_DROPS, malformed.sum(), topic, groupId, "malformed");
        out.record(KafkaCounter.SUBSCRIBE_DROPS, sendFailed.sum(), topic, groupId, "send-failed");
        out.record(KafkaCounter.SUBSCRIBE_DROPS, commitFailed.sum(), topic, groupId, "commit-failed");
    }
}
