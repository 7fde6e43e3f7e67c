package dev.mcgate.config;

import dev.mcgate.net.IpPrefix;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The native statements that may stand in a {@code defaults} block or an interface block (everything an interface
 * inherits), with their value ranges.
 */
final class SettingStatements {

    static final Set<String> KEYWORDS = Set.of(
            "igmp-version",
            "robustness",
            "query-interval",
            "query-response-interval",
            "last-member-query-interval",
            "last-member-query-count",
            "startup-query-interval",
            "startup-query-count",
            "fast-leave",
            "ttl-threshold",
            "allow-group",
            "deny-group",
            "allow-source",
            "deny-source",
            "boundary",
            "repair-udp-checksum",
            "capture-buffer",
            "max-groups",
            "max-sources",
            "max-hosts",
            "igmp-rate-limit",
            "max-adopted-robustness",
            "max-adopted-query-interval",
            "ipv4",
            "ipv6",
            "mld-version",
            "mld-robustness",
            "mld-query-interval",
            "mld-query-response-interval",
            "mld-last-member-query-interval",
            "mld-last-member-query-count",
            "mld-startup-query-interval",
            "mld-startup-query-count");

    /** QQIC's largest value, (0xF | 0x10) << (7 + 3) seconds (RFC 3376 §4.1.7). */
    static final Duration MAX_QUERY_INTERVAL = Duration.ofSeconds(31744);
    /** Max Resp Code's largest value, 31744 tenths of a second (RFC 3376 §4.1.1). */
    static final Duration MAX_RESPONSE_TIME = Duration.ofMillis(3_174_400);

    static final Duration TENTH = Duration.ofMillis(100);
    /** The Robustness Variable travels in the 3-bit QRV field (RFC 3376 §4.1.6). */
    static final int MAX_ROBUSTNESS = 7;

    private final ValueReader values;

    SettingStatements(ValueReader values) {
        this.values = values;
    }

    /** Applies one statement whose keyword is in {@link #KEYWORDS}. */
    void apply(ConfigLines.Line line, ConfigDraft.Settings s) {
        String keyword = line.keyword();
        int n = line.number();
        switch (keyword) {
            case "igmp-version" -> s.igmpVersion = sourced(igmpVersion(line), n);
            case "robustness" -> s.robustness = sourced(robustness(line), n);
            case "query-interval" -> s.queryInterval = sourced(queryInterval(line), n);
            case "query-response-interval" -> s.queryResponseInterval = sourced(responseTime(line), n);
            case "last-member-query-interval" -> s.lastMemberQueryInterval = sourced(responseTime(line), n);
            case "last-member-query-count" -> s.lastMemberQueryCount = sourced(count(line), n);
            case "startup-query-interval" ->
                s.startupQueryInterval = sourced(duration(line, TENTH, MAX_QUERY_INTERVAL), n);
            case "startup-query-count" -> s.startupQueryCount = sourced(count(line), n);
            case "fast-leave" -> s.fastLeave = sourced(bool(line), n);
            case "repair-udp-checksum" -> s.repairUdpChecksum = sourced(bool(line), n);
            case "capture-buffer" -> s.captureBuffer = sourced(captureBuffer(line), n);
            case "max-groups" -> s.maxGroups = sourced(limit(line, MembershipLimits.MAX_GROUPS), n);
            case "max-sources" -> s.maxSources = sourced(limit(line, MembershipLimits.MAX_SOURCES), n);
            case "max-hosts" -> s.maxHosts = sourced(limit(line, MembershipLimits.MAX_HOSTS), n);
            case "igmp-rate-limit" -> s.igmpRate = sourced(limit(line, MembershipLimits.MAX_IGMP_RATE), n);
            case "max-adopted-robustness" -> s.maxAdoptedRobustness = sourced(adoptedRobustness(line), n);
            case "max-adopted-query-interval" -> s.maxAdoptedQueryInterval = sourced(queryInterval(line), n);
            case "ipv4" -> s.ipv4 = sourced(bool(line), n);
            case "ipv6" -> s.ipv6 = sourced(bool(line), n);
            case "mld-version" -> s.mldVersion = sourced(mldVersion(line), n);
            // The IPv6 overrides of the shared timers: the same values and ranges as the IGMP keyword they override.
            case "mld-robustness" -> s.mldRobustness = sourced(robustness(line), n);
            case "mld-query-interval" -> s.mldQueryInterval = sourced(queryInterval(line), n);
            case "mld-query-response-interval" -> s.mldQueryResponseInterval = sourced(responseTime(line), n);
            case "mld-last-member-query-interval" -> s.mldLastMemberQueryInterval = sourced(responseTime(line), n);
            case "mld-last-member-query-count" -> s.mldLastMemberQueryCount = sourced(count(line), n);
            case "mld-startup-query-interval" ->
                s.mldStartupQueryInterval = sourced(duration(line, TENTH, MAX_QUERY_INTERVAL), n);
            case "mld-startup-query-count" -> s.mldStartupQueryCount = sourced(count(line), n);
            case "ttl-threshold" ->
                s.ttlThreshold = sourced(ttlThreshold(line.number(), keyword, values.single(line)), n);
            case "allow-group" -> s.allowGroups = list(line, s.allowGroups, true);
            case "deny-group" -> s.denyGroups = list(line, s.denyGroups, true);
            case "boundary" -> s.boundaries = list(line, s.boundaries, true);
            case "allow-source" -> s.allowSources = list(line, s.allowSources, false);
            case "deny-source" -> s.denySources = list(line, s.denySources, false);
            default -> throw new IllegalArgumentException("not a setting: " + keyword);
        }
    }

    /** The TTL threshold, shared with igmpproxy's {@code threshold}. */
    Integer ttlThreshold(int line, String keyword, String text) {
        return text == null ? null : values.integer(line, keyword, text, 1, 255);
    }

    private Integer igmpVersion(ConfigLines.Line line) {
        String text = values.single(line);
        if (text == null) {
            return null;
        }
        Integer v = ValueReader.parseInt(text);
        if (v == null || v < 1 || v > 3) {
            values.problems().error(line.number(), "igmp-version " + text + " is not supported: must be 1, 2 or 3");
            return null;
        }
        return v;
    }

    /** MLDv1 or MLDv2, held as the generation the state machines number as IGMP's (MLDv1 = 2, MLDv2 = 3). */
    private Integer mldVersion(ConfigLines.Line line) {
        String text = values.single(line);
        if (text == null) {
            return null;
        }
        Integer v = ValueReader.parseInt(text);
        if (v == null || v < 1 || v > 2) {
            values.problems().error(line.number(), "mld-version " + text + " is not supported: must be 1 or 2");
            return null;
        }
        return v == 1 ? IgmpSettings.MLDV1 : IgmpSettings.MLDV2;
    }

    private Integer robustness(ConfigLines.Line line) {
        String text = values.single(line);
        if (text == null) {
            return null;
        }
        if (Integer.valueOf(0).equals(ValueReader.parseInt(text))) {
            values.problems()
                    .error(
                            line.number(),
                            line.keyword()
                                    + " must not be 0 (RFC 3376 §8.1: the Robustness Variable MUST NOT be zero)");
            return null;
        }
        Integer v = values.integer(line.number(), line.keyword(), text, 1, MAX_ROBUSTNESS);
        if (v != null && v == 1) {
            values.problems()
                    .warn(
                            line.number(),
                            line.keyword()
                                    + " 1 gives no protection against a lost packet (RFC 3376 §8.1: it SHOULD NOT be one)");
        }
        return v;
    }

    /** A QRV cap: any value the 3-bit field can carry, 0 excepted (it means "no value", not "adopt none"). */
    private Integer adoptedRobustness(ConfigLines.Line line) {
        String text = values.single(line);
        return text == null ? null : values.integer(line.number(), line.keyword(), text, 1, MAX_ROBUSTNESS);
    }

    /** {@code auto}, or a size in bytes with an optional binary K or M suffix, within the kernel's limits. */
    private CaptureBuffer captureBuffer(ConfigLines.Line line) {
        String text = values.single(line);
        if (text == null) {
            return null;
        }
        if (text.equalsIgnoreCase("auto")) {
            return CaptureBuffer.AUTO;
        }
        long bytes = CaptureBuffer.parseSize(text);
        if (bytes < 0) {
            values.problems()
                    .error(
                            line.number(),
                            "capture-buffer: '" + text
                                    + "' is not a size (write auto, or bytes with an optional K or M: 4M, 512K)");
            return null;
        }
        if (bytes < CaptureBuffer.MIN_BYTES || bytes > CaptureBuffer.MAX_BYTES) {
            values.problems()
                    .error(
                            line.number(),
                            "capture-buffer " + text + " is out of range " + CaptureBuffer.size(CaptureBuffer.MIN_BYTES)
                                    + ".." + CaptureBuffer.size(CaptureBuffer.MAX_BYTES));
            return null;
        }
        return new CaptureBuffer((int) bytes);
    }

    private Duration queryInterval(ConfigLines.Line line) {
        Duration d = duration(line, Duration.ofSeconds(1), MAX_QUERY_INTERVAL);
        if (d != null && d.toMillis() % 1000 != 0) {
            values.problems()
                    .error(
                            line.number(),
                            line.keyword() + " " + line.args().get(0)
                                    + " is not a whole number of seconds (QQIC carries seconds, RFC 3376 §4.1.7)");
            return null;
        }
        return d;
    }

    /** Query Response Interval and Last Member Query Interval both travel as a Max Resp Code (tenths of a second). */
    private Duration responseTime(ConfigLines.Line line) {
        Duration d = duration(line, TENTH, MAX_RESPONSE_TIME);
        if (d != null && d.toMillis() % 100 != 0) {
            values.problems()
                    .error(
                            line.number(),
                            line.keyword() + " " + line.args().get(0)
                                    + " is not a multiple of 100ms (Max Resp Code counts tenths of a second)");
            return null;
        }
        return d;
    }

    private Duration duration(ConfigLines.Line line, Duration min, Duration max) {
        String text = values.single(line);
        return text == null ? null : values.duration(line.number(), line.keyword(), text, min, max);
    }

    private Integer count(ConfigLines.Line line) {
        String text = values.single(line);
        return text == null ? null : values.integer(line.number(), line.keyword(), text, 1, 255);
    }

    /** A limit of {@link MembershipLimits}: a whole number from 1. */
    private Integer limit(ConfigLines.Line line, int max) {
        String text = values.single(line);
        return text == null ? null : values.integer(line.number(), line.keyword(), text, 1, max);
    }

    private Boolean bool(ConfigLines.Line line) {
        String text = values.single(line);
        return text == null ? null : values.bool(line.number(), line.keyword(), text);
    }

    /** A prefix list statement; the single value {@code none} writes an empty list (overriding an inherited one). */
    private Sourced<List<IpPrefix>> list(ConfigLines.Line line, Sourced<List<IpPrefix>> current, boolean groups) {
        List<String> args = values.some(line);
        if (args == null) {
            return current;
        }
        if (args.contains("none")) {
            if (args.size() > 1) {
                values.problems().error(line.number(), line.keyword() + ": 'none' cannot be combined with prefixes");
                return current;
            }
            return ConfigDraft.append(current, List.of(), line.number());
        }
        List<IpPrefix> prefixes = groups
                ? values.groupPrefixes(line.number(), line.keyword(), args)
                : values.sourcePrefixes(line.number(), line.keyword(), args);
        return ConfigDraft.append(current, prefixes, line.number());
    }

    private static <T> Sourced<T> sourced(T value, int line) {
        return value == null ? null : new Sourced<>(value, line);
    }
}
