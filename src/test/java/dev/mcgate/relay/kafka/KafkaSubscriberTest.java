package dev.mcgate.relay.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mcgate.config.KafkaPacing;
import dev.mcgate.config.KafkaSubscription;
import dev.mcgate.net.Ip4;
import dev.mcgate.net.Ip6;
import dev.mcgate.net.IpAddress;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/**
 * The subscriber on Kafka's MockConsumer, a recording MulticastOut and a hand-moved clock, without its thread: order,
 * remapping, commits after the poll's sends, drops counted, pacing waits.
 */
class KafkaSubscriberTest {

    private static final String TOPIC = "exchange-feed";
    private static final TopicPartition TP = new TopicPartition(TOPIC, 0);
    private static final Ip4 SOURCE = Ip4.parse("10.1.0.5");
    private static final Ip4 FEED = Ip4.parse("239.100.0.1");
    private static final Ip4 LOCAL_FEED = Ip4.parse("239.1.1.1");
    private static final Ip4 NEWS = Ip4.parse("239.100.0.2");

    /**
     * MockConsumer, with commits that fail while {@code failCommits} is set (a rebalance, a broker away), and a wakeup
     * that the next commit raises once, as a real consumer's pending wakeup does.
     */
    private static final class Consumer extends MockConsumer<byte[], byte[]> {
        boolean failCommits;
        boolean wakeupPending;

        Consumer() {
            super("earliest");
        }

        @Override
        public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {
            if (wakeupPending) {
                wakeupPending = false;
                throw new WakeupException();
            }
            if (failCommits) {
                throw new CommitFailedException();
            }
            super.commitSync(offsets, timeout);
        }
    }

    private final Consumer consumer = new Consumer();
    private long offset;

    /** The committed offset each time a datagram was sent. */
    private final List<Long> committedAtSend = new ArrayList<>();

    /** What was sent where, as "iface group:port payload". */
    private final List<String> sent = new ArrayList<>();

    private final class Recorder implements MulticastOut {
        final String name;
        boolean failing;
        Runnable afterSend = () -> {};

        Recorder(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void send(IpAddress group, int port, ByteBuffer payload) throws IOException {
            if (failing) {
                throw new IOException("Network is unreachable");
            }
            committedAtSend.add(committed());
            sent.add(name + " " + group + ":" + port + " " + StandardCharsets.US_ASCII.decode(payload));
            afterSend.run();
        }

        @Override
        public void close() {}
    }

    /** A clock that only moves when the subscriber waits on it. */
    private static final class FakeClock implements PaceClock {
        long now = 1_000;
        final List<Long> waits = new ArrayList<>();

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void sleepUntil(long deadline) {
            if (deadline > now) {
                waits.add(deadline - now);
                now = deadline;
            }
        }
    }

    private final FakeClock clock = new FakeClock();
    private final Recorder down1 = new Recorder("down1");
    private final Recorder down2 = new Recorder("down2");

    private KafkaSubscriber subscriber(KafkaPacing pacing) {
        KafkaSubscription s = new KafkaSubscription(
                TOPIC, "floor", List.of("down1", "down2"), new TreeMap<>(Map.of(FEED, LOCAL_FEED)), 4, pacing);
        consumer.subscribe(List.of(TOPIC));
        consumer.rebalance(List.of(TP));
        consumer.updateBeginningOffsets(Map.of(TP, 0L));
        return new KafkaSubscriber(s, consumer, List.of(down1, down2), new SubscribeStats(TOPIC, "floor"), clock);
    }

    private void record(byte[] key, String payload, long arrivalNanos) {
        RecordHeaders h = new RecordHeaders();
        h.add(RelayHeaders.ARRIVAL_NS, RelayHeaders.longValue(arrivalNanos));
        consumer.addRecord(new ConsumerRecord<>(
                TOPIC,
                0,
                offset++,
                0L,
                TimestampType.CREATE_TIME,
                key == null ? -1 : key.length,
                payload.length(),
                key,
                payload.getBytes(StandardCharsets.US_ASCII),
                h,
                Optional.empty()));
    }

    private static byte[] key(Ip4 group, int port) {
        return new RelayFlow(SOURCE, group, port).toKey();
    }

    private long committed() {
        OffsetAndMetadata m = consumer.committed(Set.of(TP)).get(TP);
        return m == null ? -1 : m.offset();
    }

    @Test
    void recordsGoOutInOrderOnEveryInterfaceRemappedThenTheyAreCommitted() {
        KafkaSubscriber sub = subscriber(KafkaPacing.NONE);
        record(key(FEED, 5000), "t1", 0);
        record(key(NEWS, 5001), "n1", 0);
        record(key(FEED, 5000), "t2", 0);
        assertEquals(3, sub.pollOnce(Duration.ZERO));
        assertEquals(
                List.of(
                        "down1 239.1.1.1:5000 t1",
                        "down2 239.1.1.1:5000 t1",
                        "down1 239.100.0.2:5001 n1",
                        "down2 239.100.0.2:5001 n1",
                        "down1 239.1.1.1:5000 t2",
                        "down2 239.1.1.1:5000 t2"),
                sent);
        assertEquals(3, committed(), "the next offset to read after a restart");
        assertEquals(List.of(-1L, -1L, -1L, -1L, -1L, -1L), committedAtSend, "committed once the poll was sent");
        assertEquals(3, sub.stats().sentCount());
        assertEquals(List.of(), clock.waits, "pace none never waits");
    }

    @Test
    void aRecordForALinkLocalGroupOrPortZeroIsNeverSent() {
        KafkaSubscriber sub = subscriber(KafkaPacing.NONE);
        record(new RelayFlow(Ip4.parse("192.0.2.10"), Ip4.parse("224.0.0.22"), 5000).toKey(), "igmp", 0);
        record(new RelayFlow(Ip6.parse("2001:db8::10"), Ip6.parse("ff02::16"), 5000).toKey(), "mld", 0);
        record(key(NEWS, 0), "zero", 0);
        record(key(NEWS, 5001), "n1", 0);
        sub.pollOnce(Duration.ZERO);
        assertEquals(3, sub.stats().malformedCount());
        assertEquals(List.of("down1 239.100.0.2:5001 n1", "down2 239.100.0.2:5001 n1"), sent);
    }

    @Test
    void aRecordWithoutAFlowKeyIsCountedAndTheRestGoOn() {
        KafkaSubscriber sub = subscriber(KafkaPacing.NONE);
        record("not a flow".getBytes(StandardCharsets.US_ASCII), "x", 0);
        record(null, "y", 0);
        record(key(NEWS, 5001), "n1", 0);
        sub.pollOnce(Duration.ZERO);
        assertEquals(2, sub.stats().malformedCount());
        assertEquals(List.of("down1 239.100.0.2:5001 n1", "down2 239.100.0.2:5001 n1"), sent);
        assertEquals(3, committed(), "a malformed record is not read again and again");
    }

    @Test
    void anInterfaceThatFailsIsCountedAndTheOthersStillGetEveryDatagram() {
        KafkaSubscriber sub = subscriber(KafkaPacing.NONE);
        down1.failing = true;
        record(key(FEED, 5000), "t1", 0);
        record(key(FEED, 5000), "t2", 0);
        sub.pollOnce(Duration.ZERO);
        assertEquals(List.of("down2 239.1.1.1:5000 t1", "down2 239.1.1.1:5000 t2"), sent);
        assertEquals(2, sub.stats().sendFailedCount());
    }

    @Test
    void aFailedCommitIsCountedAndTheSubscriptionGoesOn() {
        KafkaSubscriber sub = subscriber(KafkaPacing.NONE);
        record(key(FEED, 5000), "t1", 0);
        consumer.failCommits = true;
        sub.pollOnce(Duration.ZERO);
        assertEquals(1, sub.stats().commitFailedCount());
        assertEquals(-1, committed());
        consumer.failCommits = false;
        record(key(FEED, 5000), "t2", 0);
        sub.pollOnce(Duration.ZERO);
        assertEquals(2, committed());
    }

    @Test
    void aStopInTheMiddleOfAPollSendsNoMoreAndCommitsWhatWasSent() {
        KafkaSubscriber sub = subscriber(KafkaPacing.NONE);
        for (int i = 1; i <= 5; i++) {
            record(key(FEED, 5000), "t" + i, 0);
        }
        down2.afterSend = () -> {
            if (sent.size() == 4) {
                sub.stopSending(); // the stop arrives while the second record goes out
            }
        };
        assertEquals(5, sub.pollOnce(Duration.ZERO));
        assertEquals(
                List.of(
                        "down1 239.1.1.1:5000 t1",
                        "down2 239.1.1.1:5000 t1",
                        "down1 239.1.1.1:5000 t2",
                        "down2 239.1.1.1:5000 t2"),
                sent);
        assertEquals(2, committed(), "a restart resumes with t3: nothing sent twice, nothing skipped");
    }

    @Test
    void aWakeupThatLandsInTheCommitStillCommitsThenEndsTheThread() {
        KafkaSubscriber sub = subscriber(KafkaPacing.NONE);
        record(key(FEED, 5000), "t1", 0);
        record(key(FEED, 5000), "t2", 0);
        consumer.wakeupPending = true;
        assertThrows(WakeupException.class, () -> sub.pollOnce(Duration.ZERO));
        assertEquals(2, committed(), "both were sent, so both are committed");
        assertEquals(0, sub.stats().commitFailedCount());
    }

    @Test
    void paceOriginalWaitsTheFlowsOwnGaps() {
        KafkaSubscriber sub = subscriber(KafkaPacing.ORIGINAL);
        long t0 = 1_733_500_000_000_000_000L;
        record(key(FEED, 5000), "t1", t0);
        record(key(FEED, 5000), "t2", t0 + 2_000_000);
        record(key(NEWS, 5001), "n1", t0 + 2_500_000); // another flow: its first record is not held back
        record(key(FEED, 5000), "t3", t0 + 5_000_000);
        record(key(FEED, 5000), "t4", t0 + 5_000_000 + 3_000_000_000L); // a 3 s silence is not reproduced
        sub.pollOnce(Duration.ZERO);
        assertEquals(List.of(2_000_000L, 3_000_000L), clock.waits);
        assertEquals(10, sent.size());
    }
}
