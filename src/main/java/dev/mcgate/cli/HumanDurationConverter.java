package dev.mcgate.cli;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads durations the way people type them: {@code 500ms}, {@code 10s}, {@code 1.5s}, {@code 2m}, {@code 1h}, a bare number of seconds, or ISO-8601 {@code PT10S}. */
public final class HumanDurationConverter implements ITypeConverter<Duration> {

    @Override
    public Duration convert(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        try {
            if (t.startsWith("p")) {
                return Duration.parse(text.trim());
            }
            long unitNanos;
            String number;
            if (t.endsWith("ms")) {
                unitNanos = 1_000_000L;
                number = t.substring(0, t.length() - 2);
            } else if (t.endsWith("us")) {
                unitNanos = 1_000L;
                number = t.substring(0, t.length() - 2);
            } else if (t.endsWith("s")) {
                unitNanos = 1_000_000_000L;
                number = t.substring(0, t.length() - 1);
            } else if (t.endsWith("m")) {
                unitNanos = 60_000_000_000L;
                number = t.substring(0, t.length() - 1);
            } else if (t.endsWith("h")) {
                unitNanos = 3_600_000_000_000L;
                number = t.substring(0, t.length() - 1);
            } else {
                unitNanos = 1_000_000_000L;
                number = t;
            }
            BigDecimal nanos = new BigDecimal(number.trim()).multiply(BigDecimal.valueOf(unitNanos));
            return Duration.ofNanos(nanos.longValueExact());
        } catch (NumberFormatException | ArithmeticException | DateTimeParseException e) {
            throw new TypeConversionException("'" + text + "' is not a duration (examples: 500ms, 10s, 2m, 1h)");
        }
    }
}
