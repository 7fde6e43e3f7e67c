package dev.mcgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.net.Ip4;
import dev.mcgate.net.IpAddress;
import dev.mcgate.net.IpPrefix;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kafka block: values and defaults, errors at file:line, what check-config prints reads back, the sample. */
class KafkaConfigTest {

    @TempDir
    Path dir;

    private Path properties;

    @BeforeEach
    void properties() throws Exception {
        properties = dir.resolve("kafka.properties");
        Files.writeString(properties, "security.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\n");
        Files.setPosixFilePermissions(properties, PosixFilePermissions.fromString("rw-r-----"));
    }

    private static final String INTERFACES = """
            interface lan0 {
                role upstream
            }
            interface down1 {
                role downstream
            }
            """;

    private static final String K = INTERFACES + """
            kafka {
                bootstrap-servers kafka1.example.net:9093,kafka2.example.net:9093
                kafka-properties PROPS
                linger 2ms
                batch-size 64K
                handoff-records 4096
                handoff-bytes 4M
                delivery-timeout 30s
                max-block 50ms
                topic-pattern md.%group.%source
                publish-mode while-consumed
                kafka-publish 239.100.0.0/16 source 10.1.0.5 topic exchange-feed
                kafka-publish ff3e::/16
                kafka-subscribe topic exchange-feed group-id floor interfaces down1 down2 remap 239.100.0.1 239.1.1.1 ttl 4 pace original
            }
            """;

    private McgateConfig parse(String text) throws ConfigException {
        return ConfigLoader.parse(text.replace("PROPS", properties.toString()), "t.conf", Format.NATIVE)
                .config();
    }

    /** Every error as "file:line: message", one per line. */
    private String errors(String text) {
        ConfigException e = assertThrows(ConfigException.class, () -> parse(text));
        return e.errors().stream().map(ConfigError::toString).collect(Collectors.joining("\n"));
    }

    @Test
    void everyStatementIsRead() throws Exception {
        KafkaRelayConfig k = parse(K).kafka().orElseThrow();
        assertEquals("kafka1.example.net:9093,kafka2.example.net:9093", k.bootstrapServers());
        assertEquals(Optional.of(properties), k.propertiesFile());
        assertEquals(Duration.ofMillis(2), k.linger());
        assertEquals(64 * 1024, k.batchSize());
        assertEquals(4096, k.handoffRecords());
        assertEquals(4L << 20, k.handoffBytes());
        assertEquals(Duration.ofSeconds(30), k.deliveryTimeout());
        assertEquals(Duration.ofMillis(50), k.maxBlock());
        assertEquals(KafkaPublishMode.WHILE_CONSUMED, k.publishMode());
        assertEquals(
                List.of(
                        new KafkaPublishRule(
                                IpPrefix.parse("239.100.0.0/16"),
                                Optional.of(Ip4.parse("10.1.0.5")),
                                Optional.of("exchange-feed")),
                        new KafkaPublishRule(IpPrefix.parse("ff3e::/16"), Optional.empty(), Optional.empty())),
                k.publish());
        KafkaSubscription s = k.subscriptions().get(0);
        assertEquals("exchange-feed", s.topic());
        assertEquals("floor", s.groupId());
        assertEquals(List.of("down1", "down2"), s.interfaces());
        assertEquals(Map.of(Ip4.parse("239.100.0.1"), Ip4.parse("239.1.1.1")), s.remap());
        assertEquals(4, s.ttl());
        assertEquals(KafkaPacing.ORIGINAL, s.pacing());
    }

    @Test
    void theTopicOfARuleWithoutOneComesFromThePattern() throws Exception {
        KafkaRelayConfig k = parse(K).kafka().orElseThrow();
        IpAddress source = IpAddress.parse("2001:db8::5");
        IpAddress group = IpAddress.parse("ff3e::1:2");
        KafkaPublishRule rule = k.publishRule(source, group).orElseThrow();
        assertEquals("md.ff3e--1-2.2001-db8--5", k.topicFor(rule, source, group));
        KafkaPublishRule feed =
                k.publishRule(Ip4.parse("10.1.0.5"), Ip4.parse("239.100.7.7")).orElseThrow();
        assertEquals("exchange-feed", k.topicFor(feed, Ip4.parse("10.1.0.5"), Ip4.parse("239.100.7.7")));
        assertEquals(Optional.empty(), k.publishRule(Ip4.parse("10.1.0.6"), Ip4.parse("239.100.7.7")));
    }

    @Test
    void defaultsAreLowLatencyAndBounded() throws Exception {
        McgateConfig c = parse(INTERFACES + "kafka {\n    bootstrap-servers 127.0.0.1:9092\n"
                + "    kafka-subscribe topic t group-id g interfaces down1\n}\n");
        KafkaRelayConfig k = c.kafka().orElseThrow();
        assertEquals(Duration.ofMillis(1), k.linger());
        assertEquals(Duration.ofMillis(100), k.maxBlock());
        assertEquals(Duration.ofSeconds(10), k.deliveryTimeout());
        assertEquals(8192, k.handoffRecords());
        assertEquals(8L << 20, k.handoffBytes());
        assertEquals("mcgate.%group", k.topicPattern());
        assertEquals(KafkaPublishMode.ALWAYS, k.publishMode());
        KafkaSubscription s = k.subscriptions().get(0);
        assertEquals(1, s.ttl());
        assertEquals(KafkaPacing.NONE, s.pacing());
        assertEquals(Ip4.parse("239.9.9.9"), s.localGroup(Ip4.parse("239.9.9.9")));
    }

    @Test
    void noKafkaBlockNoRelay() throws Exception {
        assertEquals(Optional.empty(), parse(INTERFACES).kafka());
    }

    @Test
    void badStatementsAreErrorsAtTheirLine() {
        String text = INTERFACES + """
                kafka {
                    kafka-publish 10.0.0.0/8 topic x
                    kafka-publish 239.1.0.0/16 topic bad/topic
                    kafka-publish 239.2.0.0/16 source 239.1.1.1
                    kafka-subscribe topic t group-id g
                    kafka-subscribe topic t group-id g interfaces down1 remap 239.1.1.1 ff3e::1
                    kafka-subscribe topic t group-id g interfaces down1 ttl 0
                    kafka-subscribe topic t group-id g interfaces down1 pace exact
                    publish-mode sometimes
                    linger 2s
                    topic-pattern feed
                    bootstrap-servers kafka1
                    acks all
                }
                """;
        String errors = errors(text);
        for (String expected : List.of(
                "t.conf:8: kafka-publish 10.0.0.0/8 is not a multicast group range",
                "t.conf:9: kafka-publish topic: 'bad/topic' is not a Kafka topic name",
                "t.conf:10: kafka-publish source 239.1.1.1 must be a unicast address",
                "t.conf:11: write 'kafka-subscribe topic TOPIC group-id ID interfaces IF...",
                "t.conf:12: kafka-subscribe remap: 239.1.1.1 and ff3e::1 are of different families",
                "t.conf:13: kafka-subscribe ttl 0 is out of range 1..255",
                "t.conf:14: kafka-subscribe pace must be original or none, not 'exact'",
                "t.conf:15: publish-mode must be always or while-consumed, not 'sometimes'",
                "t.conf:16: linger 2s is out of range 0s..1s",
                "t.conf:17: topic-pattern must hold %group",
                "t.conf:18: bootstrap-servers: write HOST:PORT",
                "t.conf:19: unknown keyword 'acks' in the kafka block")) {
            assertTrue(errors.contains(expected), expected + " in\n" + errors);
        }
        assertTrue(errors.contains("t.conf:7: the kafka block needs bootstrap-servers"), errors);
    }

    @Test
    void rulesBetweenStatementsAreChecked() {
        String twice = errors(INTERFACES + """
                kafka {
                    bootstrap-servers 127.0.0.1:9092
                    kafka-subscribe topic t group-id g interfaces down1
                    kafka-subscribe topic t group-id g interfaces down2
                    linger 1ms
                    linger 2ms
                }
                """);
        assertTrue(
                twice.contains("t.conf:10: kafka-subscribe: topic t with group-id g is already read at line 9"), twice);
        assertTrue(twice.contains("t.conf:12: 'linger' is already set at line 11 in the kafka block"), twice);
        String second = errors(INTERFACES + "kafka {\n}\nkafka {\n}\n");
        assertTrue(second.contains("t.conf:9: the kafka block is already given at line 7"), second);
        String timeout = errors(
                INTERFACES + "kafka {\n    bootstrap-servers h:1\n    linger 500ms\n" + "    delivery-timeout 1s\n}\n");
        assertTrue(timeout.contains("t.conf:10: delivery-timeout must be at least 1s more than linger"), timeout);
    }

    @Test
    void thePropertiesFileMustBeReadableAndPrivate() throws Exception {
        String missing = errors(K.replace("PROPS", "/nonexistent/kafka.properties"));
        assertTrue(
                missing.contains(
                        "t.conf:9: kafka-properties /nonexistent/kafka.properties cannot be read: no such file"),
                missing);
        Files.setPosixFilePermissions(properties, PosixFilePermissions.fromString("rw-r--r--"));
        LoadedConfig loaded = ConfigLoader.parse(K.replace("PROPS", properties.toString()), "t.conf", Format.NATIVE);
        assertTrue(
                loaded.warnings().stream()
                        .anyMatch(w ->
                                w.startsWith("t.conf:9: kafka-properties ") && w.contains("can be read by any user")),
                loaded.warnings().toString());
    }

    @Test
    void whatCheckConfigPrintsReadsBackAsTheSameConfiguration() throws Exception {
        McgateConfig c = parse(K);
        String text = EffectiveConfigRenderer.render(c);
        assertTrue(
                text.contains("    kafka-subscribe topic exchange-feed group-id floor interfaces down1 down2 remap "
                        + "239.100.0.1 239.1.1.1 ttl 4 pace original\n"),
                text);
        assertTrue(text.contains("    linger 0.002s\n"), text);
        assertEquals(c, ConfigLoader.parse(text, "rendered", Format.NATIVE).config());
    }

    @Test
    void igmpproxyConfHasNoKafka() {
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> ConfigLoader.parse(
                        "phyint eth0 upstream\nphyint eth1 downstream\nkafka {\n}\n",
                        "igmpproxy.conf",
                        Format.IGMPPROXY));
        assertTrue(e.getMessage().contains("igmpproxy.conf:3"), e.getMessage());
    }

    @Test
    void aRangeToPublishIsWarnedAboutItCannotBeJoined() throws Exception {
        LoadedConfig loaded = ConfigLoader.parse(
                "interface up0 {\n role upstream\n}\nkafka {\n bootstrap-servers k:9092\n"
                        + " kafka-publish 239.100.0.0/16\n kafka-publish 239.100.0.1/32\n}\n",
                "r.conf",
                Format.NATIVE);
        assertEquals(1, loaded.warnings().size(), loaded.warnings().toString());
        assertTrue(loaded.warnings().get(0).startsWith("r.conf:6: kafka-publish 239.100.0.0/16 is a range"));
        assertEquals(
                java.util.Optional.of("relay:kafka"),
                loaded.config().kafkaRelayInterface().map(i -> i.name()),
                "the publisher is a downstream of its own");
    }

    @Test
    void theSampleParses() throws Exception {
        LoadedConfig loaded = ConfigLoader.load(Path.of("conf/exchange-kafka.conf"), Format.AUTO);
        KafkaRelayConfig k = loaded.config().kafka().orElseThrow();
        assertEquals(3, k.publish().size());
        assertEquals(List.of(), loaded.warnings());
    }
}
