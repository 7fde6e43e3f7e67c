package dev.mcgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Durations in seconds with optional units, to whole milliseconds, and how they are printed back. */
class ValueReaderTest {

    private static final Duration MAX = Duration.ofDays(1);

    @ParameterizedTest
    @CsvSource({
        "125, 125000",
        "125s, 125000",
        "1.5s, 1500",
        "100ms, 100",
        "2m, 120000",
        "0.25, 250",
        "31.25s, 31250",
        "1.5m, 90000",
        "100MS, 100"
    })
    void durations(String text, long millis) {
        Problems problems = new Problems("t");
        assertEquals(Duration.ofMillis(millis), new ValueReader(problems).duration(1, "d", text, Duration.ZERO, MAX));
        assertEquals(List.of(), problems.errors());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "1.5ms  | t:3: d: '1.5ms' is not a whole number of milliseconds",
                "-1s    | t:3: d: '-1s' is not a duration (write e.g. 125, 125s, 1.5s, 100ms)",
                "1h     | t:3: d: '1h' is not a duration (write e.g. 125, 125s, 1.5s, 100ms)",
                ".5s    | t:3: d: '.5s' is not a duration (write e.g. 125, 125s, 1.5s, 100ms)",
                "2d     | t:3: d: '2d' is not a duration (write e.g. 125, 125s, 1.5s, 100ms)",
                "99999999999999999999s | t:3: d 99999999999999999999s is out of range 0s..86400s"
            })
    void badDurations(String text, String message) {
        Problems problems = new Problems("t");
        assertNull(new ValueReader(problems).duration(3, "d", text, Duration.ZERO, MAX));
        assertEquals(message, problems.errors().get(0).toString());
    }

    @ParameterizedTest
    @CsvSource({"125000, 125s", "31250, 31.25s", "100, 0.1s", "1500, 1.5s", "0, 0s", "3174400, 3174.4s"})
    void formatReadsBack(long millis, String text) {
        assertEquals(text, ValueReader.format(Duration.ofMillis(millis)));
        assertEquals(
                Duration.ofMillis(millis),
                new ValueReader(new Problems("t")).duration(1, "d", text, Duration.ZERO, MAX));
    }
}
