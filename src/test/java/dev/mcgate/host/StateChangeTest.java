package dev.mcgate.host;

import static dev.mcgate.host.TestValues.ex;
import static dev.mcgate.host.TestValues.in;
import static dev.mcgate.host.TestValues.ip;
import static dev.mcgate.host.TestValues.rec;
import static dev.mcgate.packet.RecordType.ALLOW_NEW_SOURCES;
import static dev.mcgate.packet.RecordType.BLOCK_OLD_SOURCES;
import static dev.mcgate.packet.RecordType.CHANGE_TO_EXCLUDE_MODE;
import static dev.mcgate.packet.RecordType.CHANGE_TO_INCLUDE_MODE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mcgate.net.Subscription;
import dev.mcgate.packet.GroupRecord;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** RFC 3376 §5.1 table, one row per case. */
class StateChangeTest {

    private static final String G = "239.1.1.1";

    static Stream<Arguments> rows() {
        return Stream.of(
                // INCLUDE (A) -> INCLUDE (B): ALLOW (B-A), BLOCK (A-B)
                Arguments.of(
                        in("10.0.0.1", "10.0.0.2"),
                        in("10.0.0.2", "10.0.0.3"),
                        List.of(rec(ALLOW_NEW_SOURCES, G, "10.0.0.3"), rec(BLOCK_OLD_SOURCES, G, "10.0.0.1"))),
                Arguments.of(Subscription.NONE, in("10.0.0.1"), List.of(rec(ALLOW_NEW_SOURCES, G, "10.0.0.1"))),
                Arguments.of(
                        in("10.0.0.1", "10.0.0.2"),
                        Subscription.NONE,
                        List.of(rec(BLOCK_OLD_SOURCES, G, "10.0.0.1", "10.0.0.2"))),
                Arguments.of(in("10.0.0.1"), in("10.0.0.1"), List.of()),
                // EXCLUDE (A) -> EXCLUDE (B): ALLOW (A-B), BLOCK (B-A)
                Arguments.of(
                        ex("10.0.0.1", "10.0.0.2"),
                        ex("10.0.0.2", "10.0.0.3"),
                        List.of(rec(ALLOW_NEW_SOURCES, G, "10.0.0.1"), rec(BLOCK_OLD_SOURCES, G, "10.0.0.3"))),
                Arguments.of(ex(), ex("10.0.0.9"), List.of(rec(BLOCK_OLD_SOURCES, G, "10.0.0.9"))),
                Arguments.of(ex("10.0.0.9"), ex(), List.of(rec(ALLOW_NEW_SOURCES, G, "10.0.0.9"))),
                // INCLUDE (A) -> EXCLUDE (B): TO_EX (B)
                Arguments.of(in("10.0.0.1"), ex("10.0.0.2"), List.of(rec(CHANGE_TO_EXCLUDE_MODE, G, "10.0.0.2"))),
                Arguments.of(Subscription.NONE, ex(), List.of(rec(CHANGE_TO_EXCLUDE_MODE, G))),
                // EXCLUDE (A) -> INCLUDE (B): TO_IN (B)
                Arguments.of(
                        ex("10.0.0.1"),
                        in("10.0.0.1", "10.0.0.4"),
                        List.of(rec(CHANGE_TO_INCLUDE_MODE, G, "10.0.0.1", "10.0.0.4"))),
                Arguments.of(ex(), Subscription.NONE, List.of(rec(CHANGE_TO_INCLUDE_MODE, G))));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("rows")
    void recordsFollowTheTable(Subscription old, Subscription now, List<GroupRecord> expected) {
        assertEquals(expected, IgmpHostOutput.groupRecords(StateChange.records(ip(G), old, now)));
    }
}
