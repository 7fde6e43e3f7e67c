package dev.mcgate.relay.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mcgate.fuzz.FuzzTally;
import org.junit.jupiter.api.AfterAll;

/**
 * Coverage-guided fuzzing ({@code .ci/fuzz}) of the record key a subscriber reads from a topic, which anyone allowed
 * to produce to it can write: a key is a flow whose group is multicast and which encodes back to the same octets, or
 * an {@link IllegalArgumentException} (counted as malformed by the subscriber), never another exception.
 */
class RelayFlowFuzzTest {

    private static final FuzzTally TALLY = new FuzzTally("flow key");

    @FuzzTest(maxDuration = "10m")
    void key(byte[] input) {
        RelayFlow flow;
        try {
            flow = RelayFlow.fromKey(input);
        } catch (IllegalArgumentException e) {
            TALLY.count("refused");
            return;
        }
        TALLY.count("read");
        assertTrue(flow.group().isMulticast(), flow.toString());
        assertTrue(flow.group().family() == flow.source().family(), flow.toString());
        assertArrayEquals(input, flow.toKey());
    }

    @AfterAll
    static void tally() {
        TALLY.print();
    }
}
