package dev.mcgate.packet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mcgate.fuzz.FuzzTally;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;

/**
 * Coverage-guided fuzzing of the codec every captured frame goes through: {@link IgmpFrame#decode} on both link
 * types, and {@link DataFrameView} on the same bytes. The first input byte picks the link type and whether the
 * checksums are repaired first (a fuzzer rarely finds a valid checksum by itself, and the later checks sit behind it).
 * Whatever decodes must encode to bytes that decode the same, and the two decoders must agree on what an IPv4 frame
 * is. Seeds: {@code IgmpFrameFuzzTestInputs/} in the test resources; without {@code JAZZER_FUZZ} only they run.
 */
class IgmpFrameFuzzTest {

    private static final FuzzTally TALLY = new FuzzTally("igmp-frame");

    @FuzzTest(maxDuration = "10m")
    void decode(byte[] input) {
        if (input.length == 0) {
            TALLY.count("empty");
            return;
        }
        int control = input[0] & 0xff;
        LinkType linkType = (control & 1) == 0 ? LinkType.ETHERNET : LinkType.RAW_IP;
        byte[] frame = Arrays.copyOfRange(input, 1, input.length);
        // Where the IP header starts, as the data path finds it (none: a short or double-tagged frame).
        int ip = EthernetHeader.ipOffset(frame, frame.length, linkType, EthernetHeader.ETHERTYPE_IPV4);
        if ((control & 2) != 0 && ip >= 0) {
            Checksums.repair(frame, ip);
        }
        DataFrameView view = new DataFrameView().wrap(frame, frame.length, linkType);
        if (view.isValid()) {
            assertTrue(view.headerLength() >= 20 && view.ipOffset() + view.headerLength() <= frame.length);
        }
        IgmpFrame decoded;
        try {
            decoded = IgmpFrame.decode(frame, frame.length, linkType);
        } catch (MalformedPacketException e) {
            TALLY.count(e.reason().name());
            return;
        }
        TALLY.count("accepted");
        assertTrue(view.isValid(), "an IGMP frame the codec accepts is a valid IPv4 frame to the data view");
        assertEquals(2, view.protocol());
        byte[] again = decoded.encode();
        IgmpFrame reread;
        try {
            reread = IgmpFrame.decode(again, again.length, linkType);
        } catch (MalformedPacketException e) {
            throw new AssertionError("what the codec accepted re-encodes to a frame it refuses: " + e.reason(), e);
        }
        assertEquals(SeededFuzzTest.withoutSkippedRecords(decoded), reread);
        assertArrayEquals(again, reread.encode());
    }

    /**
     * Writes the seed inputs (32 generated frames, each as it is, and with the checksum-repair bit) into the inputs
     * directory given as the argument: {@code src/test/resources/dev/mcgate/packet/IgmpFrameFuzzTestInputs/decode}.
     */
    public static void main(String[] args) throws java.io.IOException {
        java.nio.file.Path dir = java.nio.file.Path.of(args[0]);
        java.nio.file.Files.createDirectories(dir);
        MessageGenerator generator = new MessageGenerator(0x5EED);
        for (int i = 0; i < 32; i++) {
            IgmpFrame frame = generator.frame();
            byte[] encoded = frame.encode();
            byte[] seed = new byte[encoded.length + 1];
            seed[0] = (byte) ((frame.ethernet().isPresent() ? 0 : 1) | (i % 2 == 0 ? 2 : 0));
            System.arraycopy(encoded, 0, seed, 1, encoded.length);
            java.nio.file.Files.write(dir.resolve(String.format("seed-%02d", i)), seed);
        }
    }

    @AfterAll
    static void tally() {
        TALLY.print();
    }
}
