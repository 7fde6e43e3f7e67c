package dev.mcgate.igmp;

import static dev.mcgate.igmp.Harness.GMI;
import static dev.mcgate.igmp.Harness.LMQT;
import static dev.mcgate.igmp.Harness.set;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mcgate.net.FilterMode;
import dev.mcgate.net.Ip4;
import dev.mcgate.net.SourceSet;
import dev.mcgate.net.Subscription;
import dev.mcgate.packet.RecordType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every row of RFC 3376 §6.4.1 (current-state records) and §6.4.2 (state-change records), on a querier.
 *
 * <p>Start states: INCLUDE(A) with A = {1,2} reported 10 s ago; EXCLUDE(X,Y) with Y = {3,4} from an IS_EX 30 s ago
 * (group timer GMI - 30 s) and X = {1,2} allowed 10 s ago. Records carry B = {2,3} (INCLUDE) or A = {2,3,5}
 * (EXCLUDE), so every part of the set algebra is non-empty. Timer symbols: GMI, OLD (untouched: GMI - 10 s), GT (the
 * group timer before the record: GMI - 30 s), LMQT, 0 (exclude list).
 */
class RouterStateTableTest {

    static Stream<Arguments> rows() {
        return Stream.of(
                // §6.4.1
                row(
                        "INCLUDE (A)  IS_IN (B)  INCLUDE (A+B)  (B)=GMI",
                        "IN",
                        RecordType.MODE_IS_INCLUDE,
                        "IN",
                        "1=OLD 2=GMI 3=GMI",
                        "0"),
                row(
                        "INCLUDE (A)  IS_EX (B)  EXCLUDE (A*B,B-A)  (B-A)=0 Delete (A-B) Group Timer=GMI",
                        "IN",
                        RecordType.MODE_IS_EXCLUDE,
                        "EX",
                        "2=OLD 3=0",
                        "GMI"),
                row(
                        "EXCLUDE (X,Y)  IS_IN (A)  EXCLUDE (X+A,Y-A)  (A)=GMI",
                        "EX",
                        RecordType.MODE_IS_INCLUDE,
                        "EX",
                        "1=OLD 2=GMI 3=GMI 4=0 5=GMI",
                        "GT"),
                row(
                        "EXCLUDE (X,Y)  IS_EX (A)  EXCLUDE (A-Y,Y*A)  (A-X-Y)=GMI Delete (X-A) Delete (Y-A) Group Timer=GMI",
                        "EX",
                        RecordType.MODE_IS_EXCLUDE,
                        "EX",
                        "2=OLD 3=0 5=GMI",
                        "GMI"),
                // §6.4.2
                row(
                        "INCLUDE (A)  ALLOW (B)  INCLUDE (A+B)  (B)=GMI",
                        "IN",
                        RecordType.ALLOW_NEW_SOURCES,
                        "IN",
                        "1=OLD 2=GMI 3=GMI",
                        "0"),
                row(
                        "INCLUDE (A)  BLOCK (B)  INCLUDE (A)  Send Q(G,A*B)",
                        "IN",
                        RecordType.BLOCK_OLD_SOURCES,
                        "IN",
                        "1=OLD 2=LMQT",
                        "0",
                        "Q(G,{192.0.2.2})"),
                row(
                        "INCLUDE (A)  TO_EX (B)  EXCLUDE (A*B,B-A)  (B-A)=0 Delete (A-B) Send Q(G,A*B) Group Timer=GMI",
                        "IN",
                        RecordType.CHANGE_TO_EXCLUDE_MODE,
                        "EX",
                        "2=LMQT 3=0",
                        "GMI",
                        "Q(G,{192.0.2.2})"),
                row(
                        "INCLUDE (A)  TO_IN (B)  INCLUDE (A+B)  (B)=GMI Send Q(G,A-B)",
                        "IN",
                        RecordType.CHANGE_TO_INCLUDE_MODE,
                        "IN",
                        "1=LMQT 2=GMI 3=GMI",
                        "0",
                        "Q(G,{192.0.2.1})"),
                row(
                        "EXCLUDE (X,Y)  ALLOW (A)  EXCLUDE (X+A,Y-A)  (A)=GMI",
                        "EX",
                        RecordType.ALLOW_NEW_SOURCES,
                        "EX",
                        "1=OLD 2=GMI 3=GMI 4=0 5=GMI",
                        "GT"),
                row(
                        "EXCLUDE (X,Y)  BLOCK (A)  EXCLUDE (X+(A-Y),Y)  (A-X-Y)=Group Timer Send Q(G,A-Y)",
                        "EX",
                        RecordType.BLOCK_OLD_SOURCES,
                        "EX",
                        "1=OLD 2=LMQT 3=0 4=0 5=LMQT",
                        "GT",
                        "Q(G,{192.0.2.2, 192.0.2.5})"),
                row(
                        "EXCLUDE (X,Y)  TO_EX (A)  EXCLUDE (A-Y,Y*A)  (A-X-Y)=Group Timer Delete (X-A) Delete (Y-A) "
                                + "Send Q(G,A-Y) Group Timer=GMI",
                        "EX",
                        RecordType.CHANGE_TO_EXCLUDE_MODE,
                        "EX",
                        "2=LMQT 3=0 5=LMQT",
                        "GMI",
                        "Q(G,{192.0.2.2, 192.0.2.5})"),
                row(
                        "EXCLUDE (X,Y)  TO_IN (A)  EXCLUDE (X+A,Y-A)  (A)=GMI Send Q(G,X-A) Send Q(G)",
                        "EX",
                        RecordType.CHANGE_TO_INCLUDE_MODE,
                        "EX",
                        "1=LMQT 2=GMI 3=GMI 4=0 5=GMI",
                        "LMQT",
                        "Q(G)",
                        "Q(G,{192.0.2.1})"));
    }

    private static Arguments row(
            String rfcRow,
            String from,
            RecordType type,
            String mode,
            String sources,
            String groupTimer,
            String... queries) {
        return Arguments.of(rfcRow, from, type, mode, sources, groupTimer, List.of(queries));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void row(
            String rfcRow,
            String from,
            RecordType type,
            String mode,
            String sources,
            String groupTimer,
            List<String> queries) {
        Harness h = new Harness().started();
        SourceSet record;
        if (from.equals("IN")) {
            h.report(RecordType.MODE_IS_INCLUDE, set(1, 2));
            h.advanceSeconds(10);
            record = set(2, 3);
        } else {
            h.report(RecordType.MODE_IS_EXCLUDE, set(3, 4));
            h.advanceSeconds(20);
            h.report(RecordType.ALLOW_NEW_SOURCES, set(1, 2));
            h.advanceSeconds(10);
            record = set(2, 3, 5);
        }
        h.takeQueries();
        h.published.clear();

        h.report(type, record);

        RouterSnapshot.Group g = h.group();
        FilterMode expectedMode = mode.equals("IN") ? FilterMode.INCLUDE : FilterMode.EXCLUDE;
        assertEquals(expectedMode, g.filterMode(), rfcRow);
        assertEquals(expectedSources(sources), g.sources(), rfcRow);
        assertEquals(value(groupTimer), g.groupTimer(), rfcRow);
        assertEquals(queries, h.takeQueries(), rfcRow);

        // §6.3: INCLUDE(A) forwards A, EXCLUDE(X,Y) all but Y; published only when it changed.
        List<Ip4> zero = new ArrayList<>();
        List<Ip4> running = new ArrayList<>();
        expectedSources(sources).forEach((s, d) -> (d.isZero() ? zero : running).add(s));
        Subscription expected = expectedMode == FilterMode.INCLUDE
                ? Subscription.include(SourceSet.of(running))
                : Subscription.exclude(SourceSet.of(zero));
        assertEquals(expected, h.subscription(), rfcRow);
        boolean changed =
                !expected.equals(from.equals("IN") ? Subscription.include(set(1, 2)) : Subscription.exclude(set(3, 4)));
        assertEquals(changed ? List.of("down1 " + Harness.G + " " + expected) : List.of(), h.published, rfcRow);
    }

    private static Map<Ip4, Duration> expectedSources(String text) {
        Map<Ip4, Duration> out = new TreeMap<>();
        Arrays.stream(text.split(" ")).forEach(part -> {
            String[] kv = part.split("=");
            out.put(Harness.src(Integer.parseInt(kv[0])), value(kv[1]));
        });
        return out;
    }

    private static Duration value(String symbol) {
        return switch (symbol) {
            case "GMI" -> GMI;
            case "OLD" -> GMI.minusSeconds(10);
            case "GT" -> GMI.minusSeconds(30);
            case "LMQT" -> LMQT;
            case "0" -> Duration.ZERO;
            default -> throw new IllegalArgumentException(symbol);
        };
    }
}
