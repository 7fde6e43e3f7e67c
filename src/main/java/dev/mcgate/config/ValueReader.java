package dev.mcgate.config;

import dev.mcgate.net.Ip4Prefix;
import dev.mcgate.net.Ip6Prefix;
import dev.mcgate.net.IpFamily;
import dev.mcgate.net.IpPrefix;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads single values (numbers, durations, yes/no, prefixes) and reports what is wrong with them as "keyword: ..."
 * at the statement's line. Every method returns null (or drops the bad element) after reporting, so that parsing
 * goes on and the file's other errors are found too.
 */
final class ValueReader {

    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m)?");

    private final Problems problems;
    /** Whether IPv6 prefixes are accepted: in the native format; igmpproxy.conf is IPv4-only, as igmpproxy is. */
    private final boolean ipv6;

    /** A reader for the native format, which takes prefixes of both families. */
    ValueReader(Problems problems) {
        this(problems, true);
    }

    private ValueReader(Problems problems, boolean ipv6) {
        this.problems = problems;
        this.ipv6 = ipv6;
    }

    /** A reader for igmpproxy.conf: an IPv6 prefix is an error, as igmpproxy has no IPv6. */
    static ValueReader ipv4Only(Problems problems) {
        return new ValueReader(problems, false);
    }

    Problems problems() {
        return problems;
    }

    /** The one argument of a statement; reports a missing value or extra values. */
    String single(ConfigLines.Line line) {
        List<String> args = line.args();
        if (args.isEmpty()) {
            problems.error(line.number(), "missing value for '" + line.keyword() + "'");
            return null;
        }
        if (args.size() > 1) {
            problems.error(
                    line.number(),
                    "too many values for '" + line.keyword() + "': expected one, got " + String.join(" ", args));
            return null;
        }
        return args.get(0);
    }

    /** At least one argument; reports a missing value. */
    List<String> some(ConfigLines.Line line) {
        if (line.args().isEmpty()) {
            problems.error(line.number(), "missing value for '" + line.keyword() + "'");
            return null;
        }
        return line.args();
    }

    Integer integer(int line, String keyword, String text, int min, int max) {
        Integer value = parseInt(text);
        if (value == null) {
            problems.error(line, keyword + ": '" + text + "' is not a whole number");
            return null;
        }
        if (value < min || value > max) {
            problems.error(line, keyword + " " + text + " is out of range " + min + ".." + max);
            return null;
        }
        return value;
    }

    /** A plain non-negative decimal integer, or null; long input is refused rather than overflowing. */
    static Integer parseInt(String text) {
        if (text.isEmpty() || text.length() > 9 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return null;
        }
        return Integer.parseInt(text);
    }

    /** "125", "125s", "1.5s", "100ms", "2m": seconds unless a unit says otherwise, whole milliseconds. */
    Duration duration(int line, String keyword, String text, Duration min, Duration max) {
        Matcher m = DURATION.matcher(text.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            problems.error(line, keyword + ": '" + text + "' is not a duration (write e.g. 125, 125s, 1.5s, 100ms)");
            return null;
        }
        String unit = m.group(2) == null ? "s" : m.group(2);
        BigDecimal millis = new BigDecimal(m.group(1))
                .multiply(BigDecimal.valueOf(
                        switch (unit) {
                            case "ms" -> 1;
                            case "m" -> 60_000;
                            default -> 1000;
                        }));
        if (millis.stripTrailingZeros().scale() > 0) {
            problems.error(line, keyword + ": '" + text + "' is not a whole number of milliseconds");
            return null;
        }
        if (millis.compareTo(BigDecimal.valueOf(max.toMillis())) > 0 || millis.longValue() < min.toMillis()) {
            problems.error(line, keyword + " " + text + " is out of range " + format(min) + ".." + format(max));
            return null;
        }
        return Duration.ofMillis(millis.longValueExact());
    }

    Boolean bool(int line, String keyword, String text) {
        switch (text.toLowerCase(Locale.ROOT)) {
            case "yes", "on", "true":
                return true;
            case "no", "off", "false":
                return false;
            default:
                problems.error(line, keyword + ": '" + text + "' is not yes or no");
                return null;
        }
    }

    IpPrefix prefix(int line, String keyword, String text) {
        if (!ipv6 && text.indexOf(':') >= 0) {
            problems.error(
                    line,
                    keyword + ": '" + text + "' is IPv6; igmpproxy.conf is IPv4-only, as igmpproxy is (write IPv6 "
                            + "settings in mcgate's own format)");
            return null;
        }
        try {
            return IpPrefix.parse(text);
        } catch (IllegalArgumentException e) {
            problems.error(line, keyword + ": " + e.getMessage());
            return null;
        }
    }

    /** The multicast range of a family: every group is in it. */
    static IpPrefix multicast(IpFamily family) {
        return family == IpFamily.IPV4 ? Ip4Prefix.MULTICAST : Ip6Prefix.MULTICAST;
    }

    /** Prefixes that must lie in 224.0.0.0/4 or ff00::/8: group lists, boundaries, upstream group ranges. */
    List<IpPrefix> groupPrefixes(int line, String keyword, List<String> texts) {
        List<IpPrefix> result = new ArrayList<>();
        for (String text : texts) {
            IpPrefix p = prefix(line, keyword, text);
            if (p == null) {
                continue;
            }
            IpPrefix groups = multicast(p.family());
            if (!groups.contains(p)) {
                problems.error(
                        line, keyword + " " + p + " is not a multicast group range (groups are in " + groups + ")");
                continue;
            }
            result.add(p);
        }
        return result;
    }

    /** Prefixes of unicast sources; 0.0.0.0/0 or ::/0 ("any source") is fine, a multicast range is not. */
    List<IpPrefix> sourcePrefixes(int line, String keyword, List<String> texts) {
        List<IpPrefix> result = new ArrayList<>();
        for (String text : texts) {
            IpPrefix p = prefix(line, keyword, text);
            if (p == null) {
                continue;
            }
            if (multicast(p.family()).contains(p)) {
                problems.error(line, keyword + " " + p + " is a multicast range; sources are unicast addresses");
                continue;
            }
            result.add(p);
        }
        return result;
    }

    /** Any prefixes (altnets). */
    List<IpPrefix> prefixes(int line, String keyword, List<String> texts) {
        List<IpPrefix> result = new ArrayList<>();
        for (String text : texts) {
            IpPrefix p = prefix(line, keyword, text);
            if (p != null) {
                result.add(p);
            }
        }
        return result;
    }

    /** A duration as the native syntax writes it: whole seconds "125s", else decimal seconds "31.25s". */
    static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return BigDecimal.valueOf(ms, 3).stripTrailingZeros().toPlainString() + "s";
    }
}
