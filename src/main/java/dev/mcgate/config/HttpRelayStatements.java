package dev.mcgate.config;

import dev.mcgate.net.IpPrefix;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads the HTTP relay's global statements ({@code http-listen}, {@code http-allow}, ...) and resolves them. */
final class HttpRelayStatements {

    static final Set<String> KEYWORDS = Set.of(
            "http-listen",
            "http-allow",
            "http-linger",
            "http-max-clients",
            "http-max-clients-per-group",
            "http-client-queue",
            "http-client-queue-bytes",
            "http-max-clients-per-address",
            "http-join-rate",
            "http-first-datagram-timeout",
            "http-queue-budget");

    /** What the file said, each with its line. */
    static final class Draft {
        Sourced<ListenAddress> listen;
        final List<Sourced<IpPrefix>> allow = new ArrayList<>();
        Sourced<Duration> linger;
        Sourced<Integer> maxClients;
        Sourced<Integer> maxClientsPerGroup;
        Sourced<Integer> clientQueue;
        Sourced<Long> clientQueueBytes;
        Sourced<Integer> maxClientsPerAddress;
        Sourced<Integer> joinRate;
        Sourced<Duration> firstDatagramTimeout;
        Sourced<Long> queueBudget;
        /** The first line of any http-* statement, for the warning when http-listen is missing. */
        int firstLine;
    }

    private final Problems problems;
    private final ValueReader values;
    private final Map<String, Integer> seen = new HashMap<>();

    HttpRelayStatements(ValueReader values) {
        this.values = values;
        this.problems = values.problems();
    }

    /** One global http-* statement into the draft. */
    void apply(ConfigLines.Line line, Draft draft) {
        int n = line.number();
        String keyword = line.keyword();
        if (draft.firstLine == 0) {
            draft.firstLine = n;
        }
        if (keyword.equals("http-allow")) {
            List<String> args = values.some(line);
            if (args != null) {
                values.sourcePrefixes(n, keyword, args).forEach(p -> draft.allow.add(new Sourced<>(p, n)));
            }
            return;
        }
        Integer first = seen.putIfAbsent(keyword, n);
        if (first != null) {
            problems.error(n, "'" + keyword + "' is already set at line " + first);
            return;
        }
        String value = values.single(line);
        if (value == null) {
            return;
        }
        switch (keyword) {
            case "http-listen" -> listen(n, value).ifPresent(a -> draft.listen = new Sourced<>(a, n));
            case "http-linger" -> {
                Duration d = values.duration(n, keyword, value, Duration.ZERO, Duration.ofMinutes(10));
                if (d != null) {
                    draft.linger = new Sourced<>(d, n);
                }
            }
            case "http-max-clients" -> draft.maxClients = count(n, keyword, value, 1, 100_000);
            case "http-max-clients-per-group" -> draft.maxClientsPerGroup = count(n, keyword, value, 1, 100_000);
            case "http-client-queue" -> draft.clientQueue = count(n, keyword, value, 16, 1_000_000);
            case "http-client-queue-bytes" -> {
                Long b = size(n, keyword, value, 16 * 1024, 1L << 30);
                if (b != null) {
                    draft.clientQueueBytes = new Sourced<>(b, n);
                }
            }
            case "http-max-clients-per-address" -> draft.maxClientsPerAddress = count(n, keyword, value, 1, 100_000);
            case "http-join-rate" -> draft.joinRate = count(n, keyword, value, 1, 100_000);
            case "http-first-datagram-timeout" -> {
                Duration d = values.duration(n, keyword, value, Duration.ofMillis(100), Duration.ofMinutes(1));
                if (d != null) {
                    draft.firstDatagramTimeout = new Sourced<>(d, n);
                }
            }
            case "http-queue-budget" -> {
                // At least one client's default queue; at most what a 64-bit JVM's heap may sensibly be given.
                Long b = size(n, keyword, value, 256 * 1024, 64L << 30);
                if (b != null) {
                    draft.queueBudget = new Sourced<>(b, n);
                }
            }
            default -> throw new IllegalStateException(keyword);
        }
    }

    private Sourced<Integer> count(int line, String keyword, String text, int min, int max) {
        Integer v = values.integer(line, keyword, text, min, max);
        return v == null ? null : new Sourced<>(v, line);
    }

    /** A byte size: a whole number with an optional unit K, KB, M, MB, G or GB (powers of 1024), in range. */
    private Long size(int line, String keyword, String text, long min, long max) {
        java.util.regex.Matcher m = SIZE.matcher(text.toUpperCase(java.util.Locale.ROOT));
        Long number = m.matches() && m.group(1).length() <= 12 ? Long.valueOf(m.group(1)) : null;
        if (number == null) {
            problems.error(line, keyword + ": '" + text + "' is not a size (262144, 256KB, 2MB)");
            return null;
        }
        long unit = m.group(2) == null
                ? 1
                : switch (m.group(2).charAt(0)) {
                    case 'K' -> 1024L;
                    case 'M' -> 1024L * 1024;
                    default -> 1024L * 1024 * 1024;
                };
        long value = number * unit;
        if (value < min || value > max) {
            problems.error(line, keyword + " " + text + " is out of range " + min + ".." + max + " bytes");
            return null;
        }
        return value;
    }

    private static final java.util.regex.Pattern SIZE = java.util.regex.Pattern.compile("(\\d+)([KMG]B?)?");

    /** {@code PORT} (on 127.0.0.1) or {@code ADDRESS:PORT}. */
    private Optional<ListenAddress> listen(int line, String value) {
        Integer port = ValueReader.parseInt(value);
        Optional<ListenAddress> a = port != null && port >= 1 && port <= 65535
                ? Optional.of(new ListenAddress("127.0.0.1", port))
                : ListenAddress.parse(value);
        if (a.isEmpty()) {
            problems.error(
                    line,
                    "http-listen must be PORT (on 127.0.0.1) or ADDRESS:PORT with an IP address and a port 1..65535"
                            + " (8080, 0.0.0.0:8080, [::]:8080), not '" + value + "'");
        }
        return a;
    }

    /** The relay's configuration, or empty if {@code http-listen} is not written (the relay is off). */
    static Optional<HttpRelayConfig> resolve(Draft d, Problems problems) {
        if (d.listen == null) {
            if (d.firstLine != 0) {
                problems.warn(d.firstLine, "http-* settings without http-listen: the HTTP relay is off");
            }
            return Optional.empty();
        }
        ListenAddress listen = d.listen.value();
        boolean loopback = listen.host().startsWith("127.") || listen.host().equals("::1");
        List<IpPrefix> allow = d.allow.stream().map(Sourced::value).toList();
        if (allow.isEmpty() && !loopback) {
            // An operator who binds the relay to a LAN address means to serve that LAN, as udpxy does.
            problems.warn(
                    d.listen.line(),
                    "http-listen " + listen + " without http-allow: any client that reaches it may stream");
        }
        HttpRelayConfig c = new HttpRelayConfig(
                listen,
                !allow.isEmpty()
                        ? allow
                        : loopback ? HttpRelayConfig.DEFAULT_ALLOW_LOOPBACK : HttpRelayConfig.DEFAULT_ALLOW_ANY,
                !allow.isEmpty(),
                d.linger == null ? HttpRelayConfig.DEFAULT_LINGER : d.linger.value(),
                d.maxClients == null ? HttpRelayConfig.DEFAULT_MAX_CLIENTS : d.maxClients.value(),
                d.maxClientsPerGroup == null
                        ? HttpRelayConfig.DEFAULT_MAX_CLIENTS_PER_GROUP
                        : d.maxClientsPerGroup.value(),
                d.clientQueue == null ? HttpRelayConfig.DEFAULT_CLIENT_QUEUE : d.clientQueue.value(),
                d.clientQueueBytes == null ? HttpRelayConfig.DEFAULT_CLIENT_QUEUE_BYTES : d.clientQueueBytes.value(),
                d.maxClientsPerAddress == null
                        ? HttpRelayConfig.DEFAULT_MAX_CLIENTS_PER_ADDRESS
                        : d.maxClientsPerAddress.value(),
                d.joinRate == null ? HttpRelayConfig.DEFAULT_JOIN_RATE : d.joinRate.value(),
                d.firstDatagramTimeout == null
                        ? HttpRelayConfig.DEFAULT_FIRST_DATAGRAM_TIMEOUT
                        : d.firstDatagramTimeout.value(),
                d.queueBudget == null ? HttpRelayConfig.DEFAULT_QUEUE_BUDGET : d.queueBudget.value());
        if (c.maxClientsPerGroup() > c.maxClients()) {
            problems.warn(
                    d.maxClientsPerGroup.line(),
                    "http-max-clients-per-group " + c.maxClientsPerGroup() + " is more than http-max-clients "
                            + c.maxClients() + ": the total limit applies first");
        }
        if (c.queueBudget() < c.clientQueueBytes()) {
            problems.warn(
                    d.queueBudget.line(),
                    "http-queue-budget " + c.queueBudget() + " is less than http-client-queue-bytes "
                            + c.clientQueueBytes() + ": a client that falls behind is cut by the budget"
                            + " (http_relay_budget_cuts) before it counts as slow");
        }
        return Optional.of(c);
    }
}
