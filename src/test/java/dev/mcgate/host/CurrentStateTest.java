package dev.mcgate.host;

import static dev.mcgate.host.TestValues.ex;
import static dev.mcgate.host.TestValues.in;
import static dev.mcgate.host.TestValues.ip;
import static dev.mcgate.host.TestValues.rec;
import static dev.mcgate.host.TestValues.set;
import static dev.mcgate.packet.RecordType.MODE_IS_EXCLUDE;
import static dev.mcgate.packet.RecordType.MODE_IS_INCLUDE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mcgate.net.Subscription;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** RFC 3376 §5.2: Current-State Records, including the group-and-source-specific table. */
class CurrentStateTest {

    private static final String G = "239.1.1.1";

    @Test
    void wholeStateRecords() {
        assertEquals(
                Optional.of(rec(MODE_IS_EXCLUDE, G, "10.0.0.1")),
                CurrentState.record(ip(G), ex("10.0.0.1")).map(IgmpHostOutput::groupRecord));
        assertEquals(
                Optional.of(rec(MODE_IS_INCLUDE, G, "10.0.0.1")),
                CurrentState.record(ip(G), in("10.0.0.1")).map(IgmpHostOutput::groupRecord));
        assertEquals(
                Optional.empty(), CurrentState.record(ip(G), Subscription.NONE).map(IgmpHostOutput::groupRecord));
    }

    @Test
    void sourceQueryTable() {
        // INCLUDE (A), B: IS_IN (A*B)
        assertEquals(
                Optional.of(rec(MODE_IS_INCLUDE, G, "10.0.0.2")),
                CurrentState.sourceRecord(ip(G), in("10.0.0.1", "10.0.0.2"), set("10.0.0.2", "10.0.0.3"))
                        .map(IgmpHostOutput::groupRecord));
        // EXCLUDE (A), B: IS_IN (B-A)
        assertEquals(
                Optional.of(rec(MODE_IS_INCLUDE, G, "10.0.0.3")),
                CurrentState.sourceRecord(ip(G), ex("10.0.0.1", "10.0.0.2"), set("10.0.0.2", "10.0.0.3"))
                        .map(IgmpHostOutput::groupRecord));
        // An empty answer is not sent.
        assertEquals(
                Optional.empty(),
                CurrentState.sourceRecord(ip(G), in("10.0.0.1"), set("10.0.0.2"))
                        .map(IgmpHostOutput::groupRecord));
        assertEquals(
                Optional.empty(),
                CurrentState.sourceRecord(ip(G), ex("10.0.0.2"), set("10.0.0.2"))
                        .map(IgmpHostOutput::groupRecord));
        assertEquals(
                Optional.empty(),
                CurrentState.sourceRecord(ip(G), Subscription.NONE, set("10.0.0.2"))
                        .map(IgmpHostOutput::groupRecord));
    }
}
