package dev.mcgate.packet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mcgate.fuzz.FuzzTally;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;

/**
 * Coverage-guided fuzzing of the MLD codec, as {@link IgmpFrameFuzzTest} does the IGMP one: {@link MldFrame#decode}
 * on both link types (the first input byte picks it, and whether the ICMPv6 checksum is repaired first), and
 * {@link Ipv6DataFrameView} on the same bytes. Whatever decodes must encode to bytes that decode the same; the view
 * must read nothing past the frame, valid or not.
 */
class MldFrameFuzzTest {

    private static final FuzzTally TALLY = new FuzzTally("mld-frame");

    @FuzzTest(maxDuration = "10m")
    void decode(byte[] input) {
        if (input.length == 0) {
            return;
        }
        int control = input[0] & 0xff;
        LinkType linkType = (control & 1) == 0 ? LinkType.ETHERNET : LinkType.RAW_IP;
        byte[] frame = Arrays.copyOfRange(input, 1, input.length);
        // Where the IP header starts, as the data path finds it (none: a short or double-tagged frame).
        int ip = EthernetHeader.ipOffset(frame, frame.length, linkType, EthernetHeader.ETHERTYPE_IPV6);
        if ((control & 2) != 0 && ip >= 0) {
            MldFuzzTest.repairChecksum(frame, ip);
        }
        Ipv6DataFrameView view = new Ipv6DataFrameView();
        view.wrap(frame, frame.length, linkType);
        if (view.isIpv6()) {
            view.hopLimit();
            view.destinationLow();
            view.upperLayerProtocol();
        }
        MldFrame decoded;
        try {
            decoded = MldFrame.decode(frame, frame.length, linkType);
        } catch (MalformedMldException e) {
            TALLY.count(e.reason().name());
            return;
        }
        TALLY.count("accepted");
        // The data path's view and the codec agree on what an MLD packet is: valid IPv6, and ICMPv6 after the
        // Hop-by-Hop header if there is one.
        assertTrue(view.isValid(), "an MLD frame the codec accepts is a valid IPv6 frame to the data view");
        assertEquals(decoded.packet().hopByHop().isPresent() ? 0 : 58, view.nextHeader());
        assertEquals(58, view.upperLayerProtocol());
        byte[] again = decoded.encode();
        MldFrame reread;
        try {
            reread = MldFrame.decode(again, again.length, linkType);
        } catch (MalformedMldException e) {
            throw new AssertionError("what the codec accepted re-encodes to a frame it refuses: " + e.reason(), e);
        }
        assertEquals(MldFuzzTest.withoutSkippedRecords(decoded), reread);
        assertArrayEquals(again, reread.encode());
    }

    /** Writes 32 generated frames as seeds into the inputs directory given (…/MldFrameFuzzTestInputs/decode). */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        MldMessageGenerator generator = new MldMessageGenerator(0x5EED6);
        for (int i = 0; i < 32; i++) {
            MldFrame frame = generator.frame();
            byte[] encoded = frame.encode();
            byte[] seed = new byte[encoded.length + 1];
            seed[0] = (byte) ((frame.ethernet().isPresent() ? 0 : 1) | (i % 2 == 0 ? 2 : 0));
            System.arraycopy(encoded, 0, seed, 1, encoded.length);
            Files.write(dir.resolve(String.format("seed-%02d", i)), seed);
        }
    }

    @AfterAll
    static void tally() {
        TALLY.print();
    }
}
