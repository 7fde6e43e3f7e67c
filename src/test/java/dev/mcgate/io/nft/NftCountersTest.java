package dev.mcgate.io.nft;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The counters of real {@code nft -j list counters} output (recorded with nft 1.0.6 on Linux 6.18). */
class NftCountersTest {

    @Test
    void readsTheNamedCountersOfARecordedListing() throws IOException {
        // 5 datagrams with TTL 8 and 2 with TTL 1 into a lab whose lan1 was wired back to wan0: each of the 5 went
        // round 7 times (TTL 8 down to 2) and then expired, which shows the TTL rewrite too.
        String json = Files.readString(Path.of("src/test/resources/golden/nft/counters.json"));
        assertEquals(
                Map.of(
                        "f_239_1_1_1_any_wan0",
                        new NftCounters.Count(35, 1610),
                        "x_239_1_1_1_any_wan0",
                        new NftCounters.Count(7, 322)),
                NftCounters.parse(json));
    }

    @Test
    void anEmptyOrForeignListingHasNoCounters() {
        assertEquals(Map.of(), NftCounters.parse(""));
        assertEquals(
                Map.of(),
                NftCounters.parse("{\"nftables\": [{\"metainfo\": {\"version\": \"1.0.6\"}}, "
                        + "{\"counter\": {\"family\": \"inet\", \"name\": \"c\", \"table\": \"filter\", \"handle\": 2, "
                        + "\"packets\": 1, \"bytes\": 2}}]}"));
    }
}
