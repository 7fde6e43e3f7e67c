package dev.mcgate.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.control.JsonWriter;
import dev.mcgate.net.Ip4;
import org.junit.jupiter.api.Test;

class ReceiveStatsTest {

    private static final long T0 = 1_700_000_000_000_000L;
    private static final Ip4 SOURCE = Ip4.parse("10.0.0.1");

    @Test
    void countsLossDuplicatesAndReorderingFromCraftedArrivals() {
        ReceiveStats stats = new ReceiveStats();
        long[] arrivals = {0, 1, 2, 4, 3, 3, 7, 8, 9}; // 5 and 6 lost, 3 late then duplicated
        for (long seq : arrivals) {
            stats.record(new LabPayload(1, seq, T0 + seq * 1000), T0 + seq * 1000 + 50, 64, SOURCE);
        }
        assertEquals(9, stats.received());
        assertEquals(8, stats.unique());
        assertEquals(2, stats.lost());
        assertEquals(1, stats.duplicated());
        assertEquals(1, stats.reordered());
        assertEquals(20.0, stats.lossPercent(), 1e-9); // 2 of 10 expected
    }

    @Test
    void latencyPercentilesComeFromReceiveMinusSendTime() {
        ReceiveStats stats = new ReceiveStats();
        for (int i = 0; i < 100; i++) {
            long latency = (i + 1) * 10; // 10, 20, ... 1000 µs
            stats.record(new LabPayload(1, i, T0 + i), T0 + i + latency, 63, SOURCE);
        }
        assertEquals(500, stats.latencyPercentile(50));
        assertEquals(900, stats.latencyPercentile(90));
        assertEquals(990, stats.latencyPercentile(99));
        assertEquals(1000, stats.latencyMax());
    }

    @Test
    void sequencesArePerSenderSoARestartedSenderIsNotReordering() {
        ReceiveStats stats = new ReceiveStats();
        for (long seq = 0; seq < 5; seq++) {
            stats.record(new LabPayload(0xA, seq, T0), T0 + 10, 64, SOURCE);
        }
        for (long seq = 0; seq < 5; seq++) {
            stats.record(new LabPayload(0xB, seq, T0), T0 + 10, 64, SOURCE);
        }
        stats.record(new LabPayload(0xA, 7, T0), T0 + 10, 64, SOURCE);
        assertEquals(2, stats.senderCount());
        assertEquals(11, stats.unique());
        assertEquals(0, stats.reordered());
        assertEquals(0, stats.duplicated());
        assertEquals(2, stats.lost());
    }

    @Test
    void firstDatagramAfterJoinTtlRangeAndRate() {
        ReceiveStats stats = new ReceiveStats();
        stats.joinedAt(T0);
        stats.record(new LabPayload(1, 0, T0 + 12_000), T0 + 12_345, 63, SOURCE);
        stats.record(new LabPayload(1, 1, T0 + 13_000), T0 + 13_345, -1, SOURCE); // TTL unknown: ignored
        stats.record(new LabPayload(1, 2, T0 + 14_000), T0 + 14_345, 61, SOURCE);
        assertEquals(12.345, stats.firstAfterJoinMillis(), 1e-9);
        assertEquals(61, stats.ttlMin());
        assertEquals(63, stats.ttlMax());
        assertEquals(1000.0, stats.receiveRate(), 1e-9); // 2 intervals in 2 ms
    }

    @Test
    void emptyRunReportsUnknownsAsNull() {
        ReceiveStats stats = new ReceiveStats();
        stats.recordForeign();
        assertEquals(-1, stats.firstAfterJoinMillis());
        assertEquals(-1, stats.latencyPercentile(50));
        StringBuilder out = new StringBuilder();
        JsonWriter json = JsonWriter.compact(out);
        json.beginObject();
        stats.writeJsonFields(json);
        json.endObject().finish();
        assertEquals(
                "{\"received\":0,\"distinct\":0,\"lost\":0,\"lossPercent\":0,\"duplicated\":0,\"reordered\":0,"
                        + "\"foreign\":1,\"senders\":0,\"socketDrops\":null,\"sources\":[],\"latencyMicros\":null,"
                        + "\"firstAfterJoinMillis\":null,\"ttlMin\":null,\"ttlMax\":null,\"receiveRate\":0}",
                out.toString());
    }

    @Test
    void summaryAndJsonCarryTheFigures() {
        ReceiveStats stats = new ReceiveStats();
        stats.joinedAt(T0);
        stats.socketDrops(3);
        stats.kernelTimestamps(true);
        stats.record(new LabPayload(1, 0, T0), T0 + 11_000, 7, SOURCE);
        stats.record(new LabPayload(1, 2, T0 + 1), T0 + 11_001, 7, SOURCE);
        String summary = stats.summary();
        assertTrue(summary.startsWith("received 2 datagrams (2 distinct) from 1 sender (source 10.0.0.1)"), summary);
        assertTrue(
                summary.contains("lost 1 (33.333 %), duplicated 0, reordered 0, foreign 0, socket drops 3"), summary);
        assertTrue(summary.contains("p50 11000 p90 11000 p99 11000 max 11000 (kernel timestamps)"), summary);
        assertTrue(summary.contains("first datagram 11.000 ms after join, TTL 7"), summary);

        StringBuilder out = new StringBuilder();
        JsonWriter json = JsonWriter.compact(out);
        json.beginObject();
        stats.writeJsonFields(json);
        json.endObject().finish();
        String text = out.toString();
        assertTrue(text.contains("\"lost\":1,\"lossPercent\":33.333,"), text);
        assertTrue(text.contains("\"socketDrops\":3,\"sources\":[\"10.0.0.1\"]"), text);
        assertTrue(
                text.contains("\"latencyMicros\":{\"p50\":11000,\"p90\":11000,\"p99\":11000,\"max\":11000,"
                        + "\"timestamps\":\"kernel\"}"),
                text);
        assertTrue(text.contains("\"firstAfterJoinMillis\":11,\"ttlMin\":7,\"ttlMax\":7"), text);
    }
}
