package dev.mcgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** metrics-listen values: what is an ADDRESS:PORT, and that each one prints back as written. */
class ListenAddressTest {

    @ParameterizedTest
    @CsvSource({
        "127.0.0.1:9310, 127.0.0.1, 9310",
        "0.0.0.0:1, 0.0.0.0, 1",
        "[::1]:9310, ::1, 9310",
        "[2001:db8::5]:65535, 2001:db8::5, 65535"
    })
    void validAddressesParseAndPrintBack(String text, String host, int port) {
        assertEquals(Optional.of(new ListenAddress(host, port)), ListenAddress.parse(text));
        assertEquals(text, new ListenAddress(host, port).toString());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "9310",
                "127.0.0.1",
                "127.0.0.1:",
                "127.0.0.1:0",
                "127.0.0.1:65536",
                "256.0.0.1:80",
                "localhost:9310",
                "::1:9310",
                "[::1]9310",
                "[zz::1]:80",
                "1.2.3:80",
                "127.0.0.1:+80",
                "[1.2.3.4]:80"
            })
    void invalidAddressesAreRefused(String text) {
        assertEquals(Optional.empty(), ListenAddress.parse(text));
    }
}
