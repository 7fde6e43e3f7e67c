package dev.mcgate.igmp;

import dev.mcgate.logging.RateLimitedLog;
import dev.mcgate.logging.RateLimiter;
import dev.mcgate.net.IpAddress;
import dev.mcgate.net.IpFamily;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * The warning RFC 3376 §7.3.1 asks for when a router hears an older version query: once per querier and version, for
 * the {@link #REMEMBERED} queriers heard most recently, and at most a few lines a minute.
 *
 * <p>Why bounded: a real older querier queries every Query Interval and is warned about once, but a LAN host can send
 * queries from any number of spoofed sources; remembering each of them grew without end, and warning for each made a
 * line per packet. The queries are counted whatever is logged.
 */
final class OlderQuerierWarnings {

    /** Older queriers remembered as warned about; a LAN has one or two. */
    static final int REMEMBERED = 16;

    private final Map<String, Boolean> warned = new LinkedHashMap<>(REMEMBERED * 2, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    };
    private final RateLimitedLog log;

    OlderQuerierWarnings(Logger logger, LongSupplier nanoClock) {
        this.log = new RateLimitedLog(logger, new RateLimiter(3, Duration.ofMinutes(1), nanoClock));
    }

    /** A query of generation {@code version} from {@code source} on an interface configured for {@code configured}. */
    void heard(String interfaceName, IpAddress source, int version, int configured) {
        if (warned.put(source + "/" + version, Boolean.TRUE) == null) {
            IpFamily family = source.family();
            log.warn(interfaceName + ": " + family.versionName(version) + " query heard (configured "
                    + family.versionName(configured) + ") from " + source
                    + ": the routers on this LAN should be configured alike (RFC 9776 §7.3.1, RFC 9777 §8.3.1)");
        }
    }

    /** How many queriers are remembered now (at most {@link #REMEMBERED}). */
    int remembered() {
        return warned.size();
    }
}
