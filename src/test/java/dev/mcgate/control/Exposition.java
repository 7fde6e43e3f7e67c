package dev.mcgate.control;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text format for tests: every sample line must be {@code name{labels} value}
 * (labels optional), and every sample must belong to a family announced by a {@code # TYPE} line before it.
 */
public final class Exposition {

    /** One sample line. */
    public record Sample(String name, Map<String, String> labels, double value) {}

    private static final Pattern TYPE = Pattern.compile(
            "# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) " + "(counter|gauge|histogram|summary|info|stateset|unknown)");
    private static final Pattern SAMPLE =
            Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})? (-?[0-9.eE+-]+|NaN|\\+Inf|-Inf)( [0-9]+)?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

    public final Map<String, String> types = new LinkedHashMap<>();
    public final List<Sample> samples = new ArrayList<>();

    public static Exposition parse(String text) {
        Exposition e = new Exposition();
        Set<String> seenSeries = new HashSet<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.startsWith("# HELP ")) {
                continue;
            }
            Matcher type = TYPE.matcher(line);
            if (type.matches()) {
                if (e.types.put(type.group(1), type.group(2)) != null) {
                    throw new AssertionError("family announced twice: " + line);
                }
                continue;
            }
            if (line.startsWith("#")) {
                throw new AssertionError("unexpected comment: " + line);
            }
            Matcher m = SAMPLE.matcher(line);
            if (!m.matches()) {
                throw new AssertionError("not name{labels} value: " + line);
            }
            Map<String, String> labels = new HashMap<>();
            if (m.group(3) != null && !m.group(3).isEmpty()) {
                Matcher l = LABEL.matcher(m.group(3));
                int end = 0;
                while (l.find() && l.start() == end) {
                    labels.put(l.group(1), l.group(2));
                    end = l.end();
                }
                if (end != m.group(3).length()) {
                    throw new AssertionError("bad labels: " + line);
                }
            }
            String name = m.group(1);
            if (family(e.types, name) == null) {
                throw new AssertionError("sample without a # TYPE before it: " + line);
            }
            if (!seenSeries.add(name + labels)) {
                throw new AssertionError("series twice: " + line);
            }
            e.samples.add(new Sample(
                    name,
                    labels,
                    Double.parseDouble(m.group(4).replace("+Inf", "Infinity").replace("-Inf", "-Infinity"))));
        }
        return e;
    }

    /** The family a sample name belongs to: itself, or itself less a suffix the format adds. */
    private static String family(Map<String, String> types, String name) {
        if (types.containsKey(name)) {
            return name;
        }
        for (String suffix : List.of("_total", "_created", "_bucket", "_count", "_sum", "_info")) {
            if (name.endsWith(suffix) && types.containsKey(name.substring(0, name.length() - suffix.length()))) {
                return name;
            }
        }
        return null;
    }

    public List<Sample> named(String name) {
        return samples.stream().filter(s -> s.name().equals(name)).toList();
    }

    /** The value of the one sample with this name and these labels. */
    public double value(String name, String... labelPairs) {
        Map<String, String> want = new HashMap<>();
        for (int i = 0; i < labelPairs.length; i += 2) {
            want.put(labelPairs[i], labelPairs[i + 1]);
        }
        List<Sample> found = samples.stream()
                .filter(s -> s.name().equals(name) && s.labels().equals(want))
                .toList();
        if (found.size() != 1) {
            throw new AssertionError(found.size() + " samples " + name + want);
        }
        return found.get(0).value();
    }
}
