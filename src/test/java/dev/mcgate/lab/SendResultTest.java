package dev.mcgate.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mcgate.control.JsonWriter;
import dev.mcgate.net.Ip4;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SendResultTest {

    private static final SendOptions OPTIONS =
            new SendOptions(Ip4.parse("239.1.2.3"), 5001, null, null, 10, 64, 8, 3, null, false);

    @Test
    void rateCountsIntervalsBetweenFirstAndLastSend() {
        // 3 datagrams at 10/s: sent at 0, 100 and 200 ms.
        SendResult result = new SendResult(0xabc, Ip4.parse("10.0.0.1"), 3, 0, null, 201_000_000L, 200_000_000L);
        assertEquals(10.0, result.achievedRate(), 1e-9);
        assertEquals(0, new SendResult(1, Ip4.ANY, 1, 0, null, 5, 0).achievedRate());
    }

    @Test
    void summaryAndJson() {
        SendResult result = new SendResult(
                0xabc, Ip4.parse("10.0.0.1"), 3, 1, "No buffer space available", 301_000_000L, 200_000_000L);
        assertEquals(
                "sent 3 datagrams of 64 bytes from 10.0.0.1 to 239.1.2.3:5001 in 0.301 s (10.0/s), TTL 8, sender abc"
                        + System.lineSeparator() + "1 sends failed, first: No buffer space available",
                result.summary(OPTIONS));
        StringBuilder out = new StringBuilder();
        JsonWriter json = JsonWriter.compact(out);
        result.writeJson(json, OPTIONS);
        json.finish();
        assertEquals(
                "{\"group\":\"239.1.2.3\",\"port\":5001,\"source\":\"10.0.0.1\",\"interface\":null,"
                        + "\"senderId\":\"abc\",\"size\":64,\"ttl\":8,\"requestedRate\":10,\"sent\":3,\"errors\":1,"
                        + "\"firstError\":\"No buffer space available\",\"elapsedSeconds\":0.301,\"achievedRate\":10}",
                out.toString());
    }

    @Test
    void optionsRefuseBadValues() {
        org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class,
                () -> new SendOptions(Ip4.parse("239.1.2.3"), 5001, null, null, 10, 64, 8, 0, Duration.ZERO, false));
        org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class,
                () -> new SendOptions(Ip4.parse("239.1.2.3"), 5001, null, null, Double.NaN, 64, 8, 0, null, false));
    }
}
