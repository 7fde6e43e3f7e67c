package dev.mcgate.lab;

import java.time.Duration;

/** The option checks that sender and receiver share, each failing with a message that names the option. */
final class LabOptionChecks {

    private LabOptionChecks() {}

    static void port(int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("--port " + port + " must be 1..65535");
        }
    }

    /** {@code 2.5} as "2.5" and {@code 100.0} as "100", as the user typed it. */
    static String number(double value) {
        return Double.isFinite(value)
                ? java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString()
                : Double.toString(value);
    }

    static void count(long count) {
        if (count < 0) {
            throw new IllegalArgumentException("--count " + count + " must be >= 0 (0 = no limit)");
        }
    }

    static void duration(String option, Duration duration) {
        if (duration != null && (duration.isNegative() || duration.isZero())) {
            throw new IllegalArgumentException(option + " must be positive, got " + duration.toMillis() + " ms");
        }
    }
}
