package dev.mcgate.config;

import dev.mcgate.net.IpAddress;
import dev.mcgate.net.IpFamily;
import dev.mcgate.net.IpPrefix;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads the statements of the {@code kafka { }} block into the draft, reporting bad values at their line. */
final class KafkaStatements {

    static final Set<String> KEYWORDS = Set.of(
            "bootstrap-servers",
            "kafka-properties",
            "linger",
            "batch-size",
            "handoff-records",
            "handoff-bytes",
            "delivery-timeout",
            "max-block",
            "topic-pattern",
            "publish-mode",
            "kafka-publish",
            "kafka-subscribe");

    /** Statements that may be written more than once (each line adds one). */
    static final Set<String> REPEATABLE = Set.of("kafka-publish", "kafka-subscribe");

    /** Kafka's legal topic characters; 249 is its length limit. */
    private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    private static final String TOPIC_RULE = "(1 to 249 letters, digits, '.', '_', '-')";

    private static final Pattern HOST_PORT = Pattern.compile("(\\[[0-9a-fA-F:.]+]|[a-zA-Z0-9._-]+):(\\d{1,5})");

    private final ValueReader values;
    private final Problems problems;

    KafkaStatements(ValueReader values) {
        this.values = values;
        this.problems = values.problems();
    }

    void apply(ConfigLines.Line line, ConfigDraft.Kafka k) {
        int n = line.number();
        switch (line.keyword()) {
            case "kafka-publish" -> publish(line, k);
            case "kafka-subscribe" -> subscribe(line, k);
            case "bootstrap-servers" -> bootstrap(line, k);
            default -> {
                String value = values.single(line);
                if (value != null) {
                    single(n, line.keyword(), value, k);
                }
            }
        }
    }

    private void single(int n, String keyword, String value, ConfigDraft.Kafka k) {
        switch (keyword) {
            case "kafka-properties" -> propertiesFile(n, value, k);
            case "linger" -> {
                Duration d = values.duration(n, keyword, value, Duration.ZERO, Duration.ofSeconds(1));
                if (d != null) {
                    k.linger = new Sourced<>(d, n);
                }
            }
            case "batch-size" -> {
                long size = CaptureBuffer.parseSize(value);
                if (size < 0 || size > 16L << 20) {
                    problems.error(n, "batch-size must be a size from 0 to 16M (e.g. 16K), not '" + value + "'");
                } else {
                    k.batchSize = new Sourced<>((int) size, n);
                }
            }
            case "handoff-records" -> {
                Integer records = values.integer(n, keyword, value, 16, 1 << 20);
                if (records != null) {
                    k.handoffRecords = new Sourced<>(records, n);
                }
            }
            case "handoff-bytes" -> {
                long size = CaptureBuffer.parseSize(value);
                if (size < 64 << 10 || size > 1L << 30) {
                    problems.error(n, "handoff-bytes must be a size from 64K to 1024M (e.g. 8M), not '" + value + "'");
                } else {
                    k.handoffBytes = new Sourced<>(size, n);
                }
            }
            case "delivery-timeout" -> {
                Duration d = values.duration(n, keyword, value, Duration.ofSeconds(1), Duration.ofMinutes(10));
                if (d != null) {
                    k.deliveryTimeout = new Sourced<>(d, n);
                }
            }
            case "max-block" -> {
                Duration d = values.duration(n, keyword, value, Duration.ZERO, Duration.ofSeconds(10));
                if (d != null) {
                    k.maxBlock = new Sourced<>(d, n);
                }
            }
            case "topic-pattern" -> {
                String bare = value.replace("%group", "g").replace("%source", "s");
                if (!TOPIC.matcher(bare).matches() || !value.contains("%group")) {
                    problems.error(
                            n,
                            "topic-pattern must hold %group and otherwise only letters, digits, '.', '_' and '-', "
                                    + "not '" + value + "'");
                } else {
                    k.topicPattern = new Sourced<>(value, n);
                }
            }
            case "publish-mode" -> {
                switch (value) {
                    case "always" -> k.publishMode = new Sourced<>(KafkaPublishMode.ALWAYS, n);
                    case "while-consumed" -> k.publishMode = new Sourced<>(KafkaPublishMode.WHILE_CONSUMED, n);
                    default -> problems.error(n, "publish-mode must be always or while-consumed, not '" + value + "'");
                }
            }
            default -> throw new IllegalStateException(keyword);
        }
    }

    /** {@code bootstrap-servers HOST:PORT[,HOST:PORT...]}, commas or spaces between. */
    private void bootstrap(ConfigLines.Line line, ConfigDraft.Kafka k) {
        List<String> args = values.some(line);
        if (args == null) {
            return;
        }
        List<String> servers = new ArrayList<>();
        for (String arg : args) {
            for (String server : arg.split(",")) {
                if (server.isEmpty()) {
                    continue;
                }
                var m = HOST_PORT.matcher(server);
                if (!m.matches() || Integer.parseInt(m.group(2)) < 1 || Integer.parseInt(m.group(2)) > 65535) {
                    problems.error(
                            line.number(),
                            "bootstrap-servers: write HOST:PORT (kafka1.example.net:9093, [2001:db8::1]:9092), "
                                    + "not '" + server + "'");
                    return;
                }
                servers.add(server);
            }
        }
        k.bootstrapServers = new Sourced<>(String.join(",", servers), line.number());
    }

    /**
     * The file must be readable as Java properties now, so that a typo fails check-config rather than the relay's
     * start; it may hold a SASL password, hence the warning when others can read it.
     */
    private void propertiesFile(int n, String text, ConfigDraft.Kafka k) {
        if (!text.startsWith("/")) {
            problems.error(n, "kafka-properties must be an absolute path, not '" + text + "'");
            return;
        }
        Path path;
        try {
            path = Path.of(text);
        } catch (java.nio.file.InvalidPathException e) {
            problems.error(n, "kafka-properties is not a usable path: " + e.getReason());
            return;
        }
        try (Reader r = Files.newBufferedReader(path)) {
            new Properties().load(r);
        } catch (java.nio.file.NoSuchFileException e) {
            problems.error(n, "kafka-properties " + text + " cannot be read: no such file");
            return;
        } catch (java.nio.file.AccessDeniedException e) {
            problems.error(n, "kafka-properties " + text + " cannot be read: permission denied");
            return;
        } catch (IOException | IllegalArgumentException e) {
            problems.error(n, "kafka-properties " + text + " cannot be read: " + e.getMessage());
            return;
        }
        if (ReadableByOthers.check(path)) {
            problems.warn(
                    n,
                    "kafka-properties " + text + " can be read by any user (it may hold a SASL password): chown"
                            + " root:mcgate " + path + " && chmod 640 " + path);
        }
        k.propertiesFile = new Sourced<>(path, n);
    }

    /** {@code kafka-publish GROUP[/LEN] [source S] [topic T]}. */
    private void publish(ConfigLines.Line line, ConfigDraft.Kafka k) {
        int n = line.number();
        List<String> args = line.args();
        String usage = "write 'kafka-publish GROUP[/LEN] [source ADDRESS] [topic TOPIC]'";
        if (args.isEmpty() || args.size() % 2 != 1) {
            problems.error(n, usage);
            return;
        }
        List<IpPrefix> groups = values.groupPrefixes(n, "kafka-publish", List.of(args.get(0)));
        if (groups.isEmpty()) {
            return;
        }
        IpPrefix group = groups.get(0);
        Optional<IpAddress> source = Optional.empty();
        Optional<String> topic = Optional.empty();
        for (int i = 1; i < args.size(); i += 2) {
            String word = args.get(i);
            String value = args.get(i + 1);
            if (word.equals("source") && source.isEmpty()) {
                IpAddress s = address(n, "kafka-publish source", value);
                if (s == null) {
                    return;
                }
                if (s.isMulticast() || s.family() != group.family()) {
                    problems.error(
                            n, "kafka-publish source " + value + " must be a unicast address of the group's family");
                    return;
                }
                source = Optional.of(s);
            } else if (word.equals("topic") && topic.isEmpty()) {
                if (!TOPIC.matcher(value).matches()) {
                    problems.error(n, "kafka-publish topic: '" + value + "' is not a Kafka topic name " + TOPIC_RULE);
                    return;
                }
                topic = Optional.of(value);
            } else {
                problems.error(n, usage + ", not '" + word + "' here");
                return;
            }
        }
        k.publish.add(new Sourced<>(new KafkaPublishRule(group, source, topic), n));
    }

    /**
     * {@code kafka-subscribe topic T group-id G interfaces IF... [remap A B]... [ttl N] [pace original|none]}: the
     * interface list runs until the next keyword.
     */
    private void subscribe(ConfigLines.Line line, ConfigDraft.Kafka k) {
        int n = line.number();
        List<String> args = line.args();
        String usage = "write 'kafka-subscribe topic TOPIC group-id ID interfaces IF... [remap GROUP LOCAL-GROUP]"
                + " [ttl N] [pace original|none]'";
        String topic = null;
        String groupId = null;
        List<String> interfaces = new ArrayList<>();
        Map<IpAddress, IpAddress> remap = new LinkedHashMap<>();
        int ttl = 1;
        KafkaPacing pacing = KafkaPacing.NONE;
        Set<String> words = Set.of("topic", "group-id", "interfaces", "remap", "ttl", "pace");
        int i = 0;
        while (i < args.size()) {
            String word = args.get(i);
            if (!words.contains(word) || i + 1 >= args.size()) {
                problems.error(n, usage);
                return;
            }
            String value = args.get(i + 1);
            switch (word) {
                case "topic" -> {
                    if (!TOPIC.matcher(value).matches()) {
                        problems.error(
                                n, "kafka-subscribe topic: '" + value + "' is not a Kafka topic name " + TOPIC_RULE);
                        return;
                    }
                    topic = value;
                    i += 2;
                }
                case "group-id" -> {
                    groupId = value;
                    i += 2;
                }
                case "interfaces" -> {
                    i++;
                    while (i < args.size() && !words.contains(args.get(i))) {
                        String name = args.get(i++);
                        if (!NativeParser.validInterfaceName(name)) {
                            problems.error(n, "kafka-subscribe: '" + name + "' is not a valid interface name");
                            return;
                        }
                        interfaces.add(name);
                    }
                }
                case "remap" -> {
                    IpAddress[] pair = remapPair(n, args, i + 1);
                    if (pair == null) {
                        return;
                    }
                    if (remap.putIfAbsent(pair[0], pair[1]) != null) {
                        problems.error(n, "kafka-subscribe: " + pair[0] + " is remapped twice");
                        return;
                    }
                    i += 3;
                }
                case "ttl" -> {
                    Integer t = values.integer(n, "kafka-subscribe ttl", value, 1, 255);
                    if (t == null) {
                        return;
                    }
                    ttl = t;
                    i += 2;
                }
                case "pace" -> {
                    if (value.equals("original")) {
                        pacing = KafkaPacing.ORIGINAL;
                    } else if (value.equals("none")) {
                        pacing = KafkaPacing.NONE;
                    } else {
                        problems.error(n, "kafka-subscribe pace must be original or none, not '" + value + "'");
                        return;
                    }
                    i += 2;
                }
                default -> throw new IllegalStateException(word);
            }
        }
        if (topic == null || groupId == null || interfaces.isEmpty()) {
            problems.error(n, usage + ": topic, group-id and interfaces are required");
            return;
        }
        k.subscriptions.add(new Sourced<>(
                new KafkaSubscription(topic, groupId, interfaces, new java.util.TreeMap<>(remap), ttl, pacing), n));
    }

    private IpAddress[] remapPair(int n, List<String> args, int from) {
        if (from + 1 >= args.size()) {
            problems.error(n, "kafka-subscribe: write 'remap GROUP LOCAL-GROUP'");
            return null;
        }
        IpAddress[] pair = new IpAddress[2];
        for (int j = 0; j < 2; j++) {
            pair[j] = address(n, "kafka-subscribe remap", args.get(from + j));
            if (pair[j] == null) {
                return null;
            }
            if (!pair[j].isMulticast() || pair[j].isLinkLocalMulticast()) {
                problems.error(n, "kafka-subscribe remap: " + pair[j] + " is not a routable multicast group");
                return null;
            }
        }
        if (pair[0].family() != pair[1].family()) {
            problems.error(
                    n,
                    "kafka-subscribe remap: " + pair[0] + " and " + pair[1] + " are of different families (remap "
                            + "within " + IpFamily.IPV4 + " or within " + IpFamily.IPV6 + ")");
            return null;
        }
        return pair;
    }

    private IpAddress address(int n, String keyword, String text) {
        try {
            return IpAddress.parse(text);
        } catch (IllegalArgumentException e) {
            problems.error(n, keyword + ": '" + text + "' is not an IPv4 or IPv6 address");
            return null;
        }
    }
}
