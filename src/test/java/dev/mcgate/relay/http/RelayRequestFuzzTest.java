package dev.mcgate.relay.http;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mcgate.fuzz.FuzzTally;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Fuzzing of the request parser, the relay's first contact with a client nobody vets: a seeded random run of requests
 * built from the characters URLs are made of, and a coverage-guided target ({@code .ci/fuzz}) fed any octets. Neither
 * may throw, and whatever is accepted as a stream is a joinable group of a port in range, with a source of its family.
 */
class RelayRequestFuzzTest {

    private static final FuzzTally TALLY = new FuzzTally("http request");

    private static final String ALPHABET = "0123456789abcdef.:@[]/?%udprtpGETPOST HTTP/1.\r\n";
    private static final String[] STARTS = {"GET /udp/", "GET /rtp/", "GET /status", "POST /udp/", "GET /", ""};

    @Test
    void neverThrowsAndAcceptsOnlyWhatCanBeJoined() {
        Random random = new Random(18);
        int streams = 0;
        for (int i = 0; i < 200_000; i++) {
            StringBuilder b = new StringBuilder(STARTS[random.nextInt(STARTS.length)]);
            if (random.nextBoolean()) {
                b.append(random.nextInt(256))
                        .append('.')
                        .append(random.nextInt(256))
                        .append(".1.")
                        .append(random.nextInt(300));
                b.append(':').append(random.nextInt(70000));
            }
            int n = random.nextInt(3) == 0 ? random.nextInt(24) : 0;
            for (int k = 0; k < n; k++) {
                b.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            if (random.nextInt(4) > 0) {
                b.append(" HTTP/1.1");
            }
            if (check(b.toString()) instanceof RelayRequest.Stream) {
                streams++;
            }
        }
        assertTrue(streams > 500, "the fuzz reached the accepting paths: " + streams);
    }

    @FuzzTest(maxDuration = "10m")
    void request(byte[] input) {
        RelayRequest r = check(new String(input, StandardCharsets.ISO_8859_1));
        TALLY.count(r.getClass().getSimpleName());
    }

    @AfterAll
    static void tally() {
        TALLY.print();
    }

    /** Parses one request head and checks what came out; returns it. */
    private static RelayRequest check(String head) {
        RelayRequest r = RelayRequest.parse(head);
        if (r instanceof RelayRequest.Stream s) {
            assertTrue(s.group().isMulticast() && !s.group().isLinkLocalMulticast(), head);
            assertTrue(s.port() >= 1 && s.port() <= 65535, head);
            assertTrue(s.source() == null
                    || (!s.source().isMulticast()
                            && s.source().family() == s.group().family()));
            assertTrue(s.source() != null || !s.group().isSourceSpecific(), head);
        } else if (r instanceof RelayRequest.Refusal f) {
            assertTrue(f.code() >= 400 && f.code() < 500, head);
        }
        return r;
    }
}
