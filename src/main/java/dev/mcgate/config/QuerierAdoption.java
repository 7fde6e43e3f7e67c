package dev.mcgate.config;

import java.time.Duration;
import java.util.Objects;

/**
 * How much of another querier's QRV and QQIC mcgate adopts (RFC 9776 §4.1.6, §4.1.7), on a downstream and on the
 * upstream host side alike: at most {@code maxRobustness} and {@code maxQueryInterval}, or the configured Robustness
 * Variable and Query Interval where those are larger ({@code max-adopted-robustness},
 * {@code max-adopted-query-interval}).
 *
 * <p>Why: the adopted values set how long one heard query holds. Uncapped, a single forged query with QRV 7 and QQIC
 * 255 (31744 s) keeps mcgate a non-querier, not forwarding to that LAN, for 7 × 31744 s (about 62 hours), and keeps
 * the host side in an older version as long. Capped, at the defaults (4 and 250 s), one query holds at most
 * 4 × 250 s + 10 s / 2 = 1005 s (the Other Querier Present Interval), and an Older Version Querier Present Timeout at
 * most 4 × 250 s + the query's Max Resp Time. A real querier refreshes that at every Query Interval, so it stays the
 * querier as long as its interval is shorter than the capped hold.
 *
 * @param maxRobustness    the largest QRV adopted (1..7)
 * @param maxQueryInterval the largest Querier's Query Interval adopted (whole seconds)
 */
public record QuerierAdoption(int maxRobustness, Duration maxQueryInterval) {

    /** A QRV of 4 and a QQI of 250 s: twice the RFC defaults, room for a slow real querier, not for days. */
    public static final QuerierAdoption DEFAULTS = new QuerierAdoption(4, Duration.ofSeconds(250));

    public QuerierAdoption {
        Objects.requireNonNull(maxQueryInterval, "maxQueryInterval");
        if (maxRobustness < 1 || maxRobustness > 7 || maxQueryInterval.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException(
                    "adoption caps out of range: robustness " + maxRobustness + ", query interval " + maxQueryInterval);
        }
    }

    /** The Robustness Variable to use after hearing {@code qrv} (0: "use your own", §4.1.6). */
    public int robustness(int qrv, int configured) {
        return qrv == 0 ? configured : Math.min(qrv, Math.max(configured, maxRobustness));
    }

    /** The Query Interval to use after hearing a QQIC worth {@code qqiSeconds} (0: "use your own", §4.1.7). */
    public Duration queryInterval(int qqiSeconds, Duration configured) {
        if (qqiSeconds == 0) {
            return configured;
        }
        Duration cap = configured.compareTo(maxQueryInterval) > 0 ? configured : maxQueryInterval;
        Duration heard = Duration.ofSeconds(qqiSeconds);
        return heard.compareTo(cap) > 0 ? cap : heard;
    }
}
