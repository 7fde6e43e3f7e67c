package dev.mcgate.config;

import java.time.Duration;

/**
 * How much of another querier's QRV and QQIC mcgate adopts (RFC 9776 §4.1.6, §4.1.7), on a downstream and on the
 * upstream host side alike: at most a Robustness Variable of 4 and a Query Interval of 250 s, or the configured values
 * where those are larger.
 *
 * <p>Why: the adopted values set how long one heard query holds. Uncapped, a single forged query with QRV 7 and QQIC
 * 255 (31744 s) keeps mcgate a non-querier, not forwarding to that LAN, for 7 × 31744 s (about 62 hours), and keeps
 * the host side in an older version as long. Capped, at the RFC defaults, one query holds at most 4 × 250 s + 5 s =
 * 1005 s (the Other Querier Present Interval), and an Older Version Querier Present Timeout at most 4 × 250 s + the
 * query's Max Resp Time. A real querier refreshes that at every Query Interval, so it stays the querier as long as its
 * interval is shorter than the capped hold.
 */
public final class QuerierAdoption {

    /** The largest QRV adopted, unless the configured Robustness Variable is larger. */
    public static final int MAX_ROBUSTNESS = 4;
    /** The largest Querier's Query Interval adopted, unless the configured Query Interval is longer. */
    public static final Duration MAX_QUERY_INTERVAL = Duration.ofSeconds(250);

    private QuerierAdoption() {}

    /** The Robustness Variable to use after hearing {@code qrv} (0: "use your own", §4.1.6). */
    public static int robustness(int qrv, int configured) {
        return qrv == 0 ? configured : Math.min(qrv, Math.max(configured, MAX_ROBUSTNESS));
    }

    /** The Query Interval to use after hearing a QQIC worth {@code qqiSeconds} (0: "use your own", §4.1.7). */
    public static Duration queryInterval(int qqiSeconds, Duration configured) {
        if (qqiSeconds == 0) {
            return configured;
        }
        Duration cap = configured.compareTo(MAX_QUERY_INTERVAL) > 0 ? configured : MAX_QUERY_INTERVAL;
        Duration heard = Duration.ofSeconds(qqiSeconds);
        return heard.compareTo(cap) > 0 ? cap : heard;
    }
}
