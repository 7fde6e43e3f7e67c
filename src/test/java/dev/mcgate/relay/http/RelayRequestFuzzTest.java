package dev.mcgate.relay.http;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A seeded random fuzz of the request parser: requests built from the characters URLs are made of never throw, and
 * whatever is accepted as a stream is a joinable group of a port in range, with a source of its family.
 */
class RelayRequestFuzzTest {

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
            RelayRequest r = RelayRequest.parse(b.toString());
            if (r instanceof RelayRequest.Stream s) {
                streams++;
                assertTrue(s.group().isMulticast() && !s.group().isLinkLocalMulticast(), b.toString());
                assertTrue(s.port() >= 1 && s.port() <= 65535, b.toString());
                assertTrue(s.source() == null
                        || (!s.source().isMulticast()
                                && s.source().family() == s.group().family()));
                assertTrue(s.source() != null || !s.group().isSourceSpecific(), b.toString());
            } else if (r instanceof RelayRequest.Refusal f) {
                assertTrue(f.code() >= 400 && f.code() < 500 && !f.reason().contains("\n"), b.toString());
            }
        }
        assertTrue(streams > 500, "the fuzz reached the accepting paths: " + streams);
    }
}
