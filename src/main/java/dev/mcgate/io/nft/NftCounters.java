package dev.mcgate.io.nft;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads named counters out of {@code nft -j list counters table netdev mcgate}: each is a flat object
 * {@code {"counter": {"family": ..., "name": ..., "table": ..., "handle": ..., "packets": N, "bytes": N}}}, so a
 * pattern over those objects is enough and mcgate needs no JSON library.
 */
public final class NftCounters {

    /** One counter's values. */
    public record Count(long packets, long bytes) {
        public static final Count ZERO = new Count(0, 0);
    }

    private static final Pattern COUNTER = Pattern.compile("\\{\"counter\":\\s*\\{([^{}]*)\\}\\}");
    private static final Pattern NAME = Pattern.compile("\"name\":\\s*\"([^\"]*)\"");
    private static final Pattern TABLE = Pattern.compile("\"table\":\\s*\"([^\"]*)\"");
    private static final Pattern PACKETS = Pattern.compile("\"packets\":\\s*(\\d+)");
    private static final Pattern BYTES = Pattern.compile("\"bytes\":\\s*(\\d+)");

    private NftCounters() {}

    /** Counter name to values, for the counters of mcgate's table; anything else in the output is ignored. */
    public static Map<String, Count> parse(String json) {
        Map<String, Count> out = new LinkedHashMap<>();
        Matcher m = COUNTER.matcher(json);
        while (m.find()) {
            String body = m.group(1);
            String name = find(NAME, body);
            if (name == null || !NftNames.TABLE.equals(find(TABLE, body))) {
                continue;
            }
            String packets = find(PACKETS, body);
            String bytes = find(BYTES, body);
            out.put(
                    name,
                    new Count(
                            packets == null ? 0 : Long.parseLong(packets), bytes == null ? 0 : Long.parseLong(bytes)));
        }
        return Collections.unmodifiableMap(out);
    }

    private static String find(Pattern p, String body) {
        Matcher m = p.matcher(body);
        return m.find() ? m.group(1) : null;
    }
}
