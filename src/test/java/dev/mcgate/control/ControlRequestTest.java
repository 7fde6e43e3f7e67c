package dev.mcgate.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The request line of the control protocol: what parses, what round-trips, and what is refused with a reason. */
class ControlRequestTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "text status",
                "json groups",
                "json groups down1",
                "text reload",
                "json counters",
                "text routes",
                "text ping"
            })
    void validRequestsRoundTrip(String line) {
        ControlRequest r = ControlRequest.parse(line);
        assertEquals(line + "\n", r.toLine());
        assertEquals(line.startsWith("json"), r.json());
    }

    @Test
    void surroundingBlanksAndACarriageReturnAreTolerated() {
        assertEquals(
                new ControlRequest(false, "groups", Optional.of("eth0.10")),
                ControlRequest.parse("  text   groups eth0.10\r"));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "status|a request is 'text|json COMMAND [ARGUMENT]'",
                "text|a request is",
                "text groups a b|a request is",
                "yaml status|unknown format 'yaml'",
                "text halt|unknown command 'halt'",
                "json reload now|reload takes no argument",
                "text groups ../../etc|is not an interface name",
                "text groups an-interface-name-too-long|is not an interface name"
            })
    void badRequestsSayWhy(String line, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ControlRequest.parse(line));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void controlCharactersAreNotEchoed() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> ControlRequest.parse("text \u001b[2Jstatus"));
        assertTrue(e.getMessage().contains("?[2Jstatus") && !e.getMessage().contains("\u001b"), e.getMessage());
    }

    @Test
    void theStatusLineCarriesTheExitCodeAndIsCheckedOnRead() {
        assertEquals("mcgate-control 1 78\n", new ControlResponse(78, "").statusLine());
        assertEquals(78, ControlResponse.parseStatusLine("mcgate-control 1 78"));
        assertThrows(IllegalArgumentException.class, () -> ControlResponse.parseStatusLine("HTTP/1.1 200 OK"));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> ControlResponse.parseStatusLine("mcgate-control 2 0"));
        assertTrue(e.getMessage().contains("protocol 2"), e.getMessage());
    }
}
