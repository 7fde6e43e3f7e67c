package dev.mcgate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

class HumanDurationConverterTest {

    private final HumanDurationConverter converter = new HumanDurationConverter();

    @ParameterizedTest
    @CsvSource({
        "500ms, 500000000", "10s, 10000000000", "1.5s, 1500000000", "2m, 120000000000", "1h, 3600000000000",
        "250us, 250000", "3, 3000000000", "0.25, 250000000", "PT10S, 10000000000", "pt0.5s, 500000000",
        "10S, 10000000000", "-1s, -1000000000",
    })
    void readsCommonForms(String text, long nanos) {
        assertEquals(Duration.ofNanos(nanos), converter.convert(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "s", "ms", "abc", "10 parsecs", "1.5.2s", "0.0000000001s", "P"})
    void refusesOthers(String text) {
        assertThrows(TypeConversionException.class, () -> converter.convert(text));
    }
}
