package dev.mcgate.daemon;

import dev.mcgate.config.InterfaceConfig;
import dev.mcgate.config.KafkaRelayConfig;
import dev.mcgate.config.KafkaSubscription;
import dev.mcgate.config.McgateConfig;
import dev.mcgate.control.DaemonSnapshot;
import dev.mcgate.counters.CounterRecorder;
import dev.mcgate.igmp.MembershipListener;
import dev.mcgate.relay.LocalMemberships;
import dev.mcgate.relay.RelayDatagram;
import dev.mcgate.relay.RelayPort;
import dev.mcgate.relay.kafka.KafkaCounter;
import dev.mcgate.relay.kafka.KafkaPublisher;
import dev.mcgate.relay.kafka.KafkaRelays;
import dev.mcgate.relay.kafka.KafkaSubscriber;
import dev.mcgate.relay.kafka.KafkaUnavailableException;
import dev.mcgate.relay.kafka.PublishDrop;
import dev.mcgate.relay.kafka.PublishJoins;
import dev.mcgate.relay.kafka.PublishStats;
import dev.mcgate.relay.kafka.SubscribeStats;
import dev.mcgate.time.Loop;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka relay wired into the daemon (the {@code kafka} block): the publisher behind a virtual downstream interface
 * ({@code relay:kafka}) that joins the {@code kafka-publish} groups like a local receiver, and one subscriber per
 * {@code kafka-subscribe} line. Started with the daemon, followed by reloads, stopped before the interfaces (its groups
 * are withdrawn, the producer flushed for at most {@link #FLUSH}, the consumers closed after their last commit).
 *
 * <p>A relay that cannot start (the Kafka client is not installed, no bootstrap server resolves) is logged in one line,
 * counted as not running, and tried again at the next reload; the rest of the daemon runs without it.
 *
 * <p>Threads: the port's attachment, the book and the joins are the loop's; building and closing the Kafka clients
 * run on {@code mcgate-kafka-io}, one job at a time, which waits for the loop holding no lock. The counters are read
 * from any thread.
 */
public final class KafkaRelay implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaRelay.class);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);
    /** The longest a stop waits for the producer to deliver what it holds; the rest is counted as it fails. */
    static final Duration FLUSH = Duration.ofSeconds(2);
    /** No MTU limit of its own: the relay takes whatever the forwarder would forward. */
    private static final int MTU = 65535;

    /** The publisher's side while it runs: its interface, port and book, and the joins (loop-owned). */
    private record Publishing(InterfaceConfig asInterface, RelayPort port, LocalMemberships book, PublishJoins joins) {}

    /** Subscribers by their line's key (topic and group id), with the line each runs. */
    private record Subscribed(KafkaSubscription line, KafkaSubscriber subscriber) {}

    private final Loop loop;
    private final ForwardingPlane forwarding;
    private final MembershipListener proxy;
    private final SerialThread io = new SerialThread("mcgate-kafka-io");

    /** The configuration the clients run with; null: not running. I/O thread writes. */
    private volatile KafkaRelayConfig running;
    /** The kafka block last followed, running or not (what status names); null without one. I/O thread writes. */
    private volatile KafkaRelayConfig attempted;
    /** The producer side; the port's consumer reads it on capture threads (a restart swaps it). */
    private volatile KafkaPublisher publisher;

    private volatile Publishing publishing;
    private final Map<String, Subscribed> subscribers = new LinkedHashMap<>();
    /** The subscribers with their lines, for the counters and the status: read by any thread. */
    private volatile List<Subscribed> subscribedView = List.of();
    /** Whether a kafka block is configured but its clients could not start (until a reload starts them). */
    private volatile boolean failed;

    private final AtomicLong starts = new AtomicLong();
    private final AtomicLong stops = new AtomicLong();
    private final AtomicLong startFailures = new AtomicLong();
    private final AtomicLong subscribeStartFailures = new AtomicLong();
    private final AtomicLong joins = new AtomicLong();
    private final AtomicLong leaves = new AtomicLong();

    public KafkaRelay(Loop loop, ForwardingPlane forwarding, MembershipListener proxy) {
        this.loop = loop;
        this.forwarding = forwarding;
        this.proxy = proxy;
    }

    /** Starts the relay if {@code config} has a kafka block. Off the loop; waits. */
    public void start(McgateConfig config) {
        io.callAndWait("kafka relay", () -> follow(config)).forEach(line -> LOG.info("{}", line));
    }

    /** A reload: the relay follows {@code next}; a relay that could not start is tried again. Off the loop; waits. */
    public List<String> reconfigure(McgateConfig next) {
        return io.callAndWait("kafka relay", () -> follow(next));
    }

    /** I/O thread: from whatever runs now to what {@code next} says. @return one line per change */
    private List<String> follow(McgateConfig next) {
        List<String> lines = new ArrayList<>();
        KafkaRelayConfig was = running;
        attempted = next.kafka().orElse(null);
        if (next.kafka().isEmpty()) {
            failed = false;
            if (was != null) {
                stopAll();
                lines.add("kafka relay: stopped, its groups withdrawn");
            }
            return lines;
        }
        KafkaRelayConfig k = next.kafka().get();
        if (was != null && !was.clientSettings().equals(k.clientSettings())) {
            // The cluster, the properties or the producer's settings: every client starts again with them.
            stopAll();
            lines.add("kafka relay: cluster or client settings changed, clients restarted");
        }
        try {
            followPublisher(next, k, lines);
            followSubscribers(k, lines);
        } catch (KafkaUnavailableException | IOException e) {
            stopAll();
            failed = true;
            startFailures.incrementAndGet();
            LOG.error("kafka relay not running: {}", e.getMessage());
            lines.add("kafka relay NOT running: " + e.getMessage() + " (a reload tries again)");
            return lines;
        }
        failed = false;
        if (running == null) {
            starts.incrementAndGet();
        }
        running = k;
        return lines;
    }

    /** I/O thread: the producer and the joins, as the publish lines say. */
    private void followPublisher(McgateConfig next, KafkaRelayConfig k, List<String> lines)
            throws KafkaUnavailableException, IOException {
        if (k.publish().isEmpty()) {
            if (publisher != null) {
                stopPublisher();
                lines.add("kafka relay: publishes nothing now");
            }
            return;
        }
        if (publisher == null) {
            KafkaPublisher p = KafkaRelays.publisher(k, this::consumedChanged);
            p.start();
            publisher = p;
            Publishing attached = attach(next.kafkaRelayInterface().orElseThrow(), k);
            if (attached == null) {
                stopPublisher();
                throw new IOException("the loop did not take the publisher's port");
            }
            publishing = attached;
            lines.add("kafka relay: publishing " + k.publish().size() + " lines to " + k.bootstrapServers() + " ("
                    + k.publishMode().keyword() + ")");
            return;
        }
        if (!k.publish().equals(running == null ? null : running.publish())) {
            publisher.rules(k.publish());
            Publishing p = publishing;
            loop.post("kafka:publish-lines", () -> p.joins().follow(k));
            lines.add("kafka relay: publish lines changed (" + k.publish().size() + " now)");
        }
    }

    /** I/O thread: subscribers of removed lines closed, of new lines started, of changed lines restarted. */
    private void followSubscribers(KafkaRelayConfig k, List<String> lines) throws KafkaUnavailableException {
        Map<String, KafkaSubscription> wanted = new LinkedHashMap<>();
        k.subscriptions().forEach(s -> wanted.put(key(s), s));
        for (String key : List.copyOf(subscribers.keySet())) {
            KafkaSubscription now = wanted.get(key);
            if (now == null || !now.equals(subscribers.get(key).line())) {
                subscribers.remove(key).subscriber().close();
                if (now == null) {
                    lines.add("kafka relay: no longer subscribes to " + key);
                }
            }
        }
        for (Map.Entry<String, KafkaSubscription> e : wanted.entrySet()) {
            if (!subscribers.containsKey(e.getKey())) {
                KafkaSubscriber s;
                try {
                    s = KafkaRelays.subscriber(k, e.getValue());
                } catch (IOException failure) {
                    // One line that cannot start (an interface without an address) does not stop the others.
                    subscribeStartFailures.incrementAndGet();
                    LOG.error("kafka relay: NOT subscribed to {}: {}", e.getKey(), failure.getMessage());
                    lines.add("kafka relay: NOT subscribed to " + e.getKey() + ": " + failure.getMessage()
                            + " (a reload tries again)");
                    continue;
                }
                s.start();
                subscribers.put(e.getKey(), new Subscribed(e.getValue(), s));
                lines.add("kafka relay: subscribes to " + e.getKey() + " on "
                        + String.join(" ", e.getValue().interfaces()));
            }
        }
        subscribedView = List.copyOf(subscribers.values());
    }

    private static String key(KafkaSubscription s) {
        return "topic " + s.topic() + " group-id " + s.groupId();
    }

    /**
     * I/O thread: the port into the forwarding table, then the joins (the publisher is ready to take what they bring).
     * Null if the loop did not take it.
     */
    private Publishing attach(InterfaceConfig ic, KafkaRelayConfig k) {
        RelayPort port = new RelayPort(KafkaRelayConfig.INTERFACE_NAME, MTU, KafkaRelay::epochNanos);
        LocalMemberships book = new LocalMemberships(ic.name(), loop, proxy, port, Duration.ZERO);
        try {
            return WholeCall.run(
                    loop,
                    "kafka:attach",
                    () -> {
                        forwarding.portOpened(ic, port);
                        return new Publishing(ic, port, book, new PublishJoins(book, this::offer, k, joins, leaves));
                    },
                    CALL_TIMEOUT);
        } catch (Exception e) {
            LOG.error("kafka relay: the loop did not take its port: {}", e.toString());
            port.close();
            return null;
        }
    }

    /** Capture thread: one datagram of a joined group to the publisher that runs now. */
    private void offer(RelayDatagram d) {
        KafkaPublisher p = publisher;
        if (p != null) {
            p.offer(d.source(), d.group(), d.sourcePort(), d.destinationPort(), d.payload(), d.arrivalNanos());
        }
    }

    /** The watch's thread ({@code while-consumed}): the joins follow the consumed topics, on the loop. */
    private void consumedChanged(Set<String> topics) {
        loop.post("kafka:consumed", () -> {
            Publishing p = publishing;
            if (p != null) {
                p.joins().consumed(topics);
            }
        });
    }

    /** I/O thread: the groups left and the port out of the table first, then the producer flushed and closed. */
    private void stopPublisher() {
        Publishing p = publishing;
        publishing = null;
        if (p != null) {
            try {
                loop.call(
                        "kafka:detach",
                        () -> {
                            p.joins().leaveAll();
                            p.book().withdrawAll();
                            forwarding.portClosing(p.asInterface(), p.port());
                            return null;
                        },
                        CALL_TIMEOUT);
            } catch (Exception e) {
                LOG.debug("kafka relay: groups not withdrawn at stop: {}", e.toString());
            }
            p.port().close();
        }
        KafkaPublisher pub = publisher;
        publisher = null;
        if (pub != null) {
            pub.close(FLUSH);
        }
    }

    /** I/O thread: everything stopped; the configuration forgotten. */
    private void stopAll() {
        if (running != null) {
            stops.incrementAndGet();
        }
        stopPublisher();
        subscribers.values().forEach(s -> s.subscriber().close());
        subscribers.clear();
        subscribedView = List.of();
        running = null;
    }

    /** What {@code status} shows of the relay; empty without a kafka block. Any thread. */
    public Optional<DaemonSnapshot.KafkaRelay> view() {
        KafkaRelayConfig k = running;
        KafkaRelayConfig configured = attempted;
        if (k == null && !failed || configured == null) {
            return Optional.empty();
        }
        KafkaPublisher p = publisher;
        Optional<DaemonSnapshot.KafkaPublish> publish = Optional.empty();
        if (p != null) {
            PublishStats s = p.stats();
            Map<String, Long> drops = new LinkedHashMap<>();
            for (PublishDrop reason : PublishDrop.values()) {
                drops.put(reason.label(), s.drops(reason));
            }
            publish = Optional.of(new DaemonSnapshot.KafkaPublish(
                    s.offeredCount(),
                    s.published(),
                    drops,
                    p.queued(),
                    latency(s.latency()),
                    latency(s.recentLatency()),
                    PublishStats.WINDOW.toMillis() / 1000.0));
        }
        List<DaemonSnapshot.KafkaSubscribe> subscribed = new ArrayList<>();
        for (Subscribed s : subscribedView) {
            SubscribeStats st = s.subscriber().stats();
            subscribed.add(new DaemonSnapshot.KafkaSubscribe(
                    s.line().topic(),
                    s.line().groupId(),
                    s.line().interfaces(),
                    st.sentCount(),
                    st.malformedCount(),
                    st.sendFailedCount(),
                    st.commitFailedCount()));
        }
        long left = leaves.get(); // first: a join and its leave between the two reads must not make this negative
        return Optional.of(new DaemonSnapshot.KafkaRelay(
                k != null, configured.bootstrapServers(), joins.get() - left, publish, subscribed));
    }

    private static DaemonSnapshot.PublishLatency latency(PublishStats.Latency l) {
        return new DaemonSnapshot.PublishLatency(l.count(), l.p50Micros(), l.p99Micros(), l.maxMicros());
    }

    /** The relay's counters, if a kafka block is configured. Any thread. */
    public void recordInto(CounterRecorder out) {
        if (running == null && !failed && starts.get() == 0) {
            return;
        }
        out.record(KafkaCounter.STARTS, starts.get());
        out.record(KafkaCounter.STOPS, stops.get());
        out.record(KafkaCounter.START_FAILURES, startFailures.get());
        out.record(KafkaCounter.SUBSCRIBE_START_FAILURES, subscribeStartFailures.get());
        out.record(KafkaCounter.PUBLISH_JOINS, joins.get());
        out.record(KafkaCounter.PUBLISH_LEAVES, leaves.get());
        Publishing p = publishing;
        if (p != null) {
            p.port().recordInto(out);
        }
        KafkaPublisher pub = publisher;
        if (pub != null) {
            pub.stats().recordInto(out);
        }
        subscribedView.forEach(s -> s.subscriber().stats().recordInto(out));
    }

    /** Stops the relay (its groups withdrawn while the upstream is still open) and its I/O thread. Idempotent. */
    @Override
    public void close() {
        try {
            io.callAndWait("kafka relay", () -> {
                stopAll();
                failed = false;
                return null;
            });
        } catch (RuntimeException e) {
            LOG.debug("kafka relay: {}", e.toString());
        }
        io.close();
    }

    /** Nanoseconds since the epoch (microseconds on Linux): the clock of the records' arrival-ns header. */
    private static long epochNanos() {
        Instant t = Instant.now();
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }
}
