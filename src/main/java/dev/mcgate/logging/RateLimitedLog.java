package dev.mcgate.logging;

import org.slf4j.Logger;

/**
 * A warning or notice that may come once per packet (a malformed frame, a failing handler, a forged querier): logged
 * through a {@link RateLimiter}, with the number of lines held back added to the next one that gets through.
 */
public final class RateLimitedLog {

    private final Logger log;
    private final RateLimiter limiter;

    public RateLimitedLog(Logger log, RateLimiter limiter) {
        this.log = log;
        this.limiter = limiter;
    }

    /** Logs at INFO if the bucket allows (an event a LAN host can repeat at will: a querier change). */
    public void info(String message) {
        if (!log.isInfoEnabled()) {
            return;
        }
        long suppressed = limiter.tryAcquire();
        if (suppressed == 0) {
            log.info(message);
        } else if (suppressed > 0) {
            log.info("{} ({} similar lines suppressed)", message, suppressed);
        }
    }

    /** Logs at WARN if the bucket allows; the counters are the record, this line is only a hint. */
    public void warn(String message) {
        if (!log.isWarnEnabled()) {
            return;
        }
        long suppressed = limiter.tryAcquire();
        if (suppressed == 0) {
            log.warn(message);
        } else if (suppressed > 0) {
            log.warn("{} ({} similar warnings suppressed)", message, suppressed);
        }
    }
}
