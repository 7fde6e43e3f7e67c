package dev.mcgate.packet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A million random and mutated inputs (seeded): the decoders may only answer with a message or a MalformedPacketException,
 * and whatever they accept must re-encode to something that decodes the same.
 */
class SeededFuzzTest {

    private static final int INPUTS = 1_000_000;

    @Test
    void onlyTheTypedExceptionEverEscapes() {
        MessageGenerator generator = new MessageGenerator(0xF022);
        Random random = generator.random();
        IgmpFrame[] seeds = new IgmpFrame[256];
        byte[][] seedBytes = new byte[seeds.length][];
        for (int i = 0; i < seeds.length; i++) {
            seeds[i] = generator.frame();
            seedBytes[i] = seeds[i].encode();
        }
        Set<MalformedPacketException.Reason> seen = EnumSet.noneOf(MalformedPacketException.Reason.class);
        DataFrameView view = new DataFrameView();
        int accepted = 0;
        for (int n = 0; n < INPUTS; n++) {
            int pick = random.nextInt(seeds.length);
            LinkType linkType = random.nextInt(8) == 0 ? LinkType.values()[random.nextInt(2)] : seeds[pick].linkType();
            byte[] input = random.nextInt(10) == 0 ? randomBytes(random) : mutate(seedBytes[pick], seeds[pick], random);
            int length = random.nextInt(16) == 0 ? random.nextInt(input.length + 1) : input.length;
            try {
                IgmpFrame frame = IgmpFrame.decode(input, length, linkType);
                accepted++;
                byte[] again = frame.encode();
                assertEquals(withoutSkippedRecords(frame), IgmpFrame.decode(again, again.length, linkType));
                assertArrayEquals(
                        again, IgmpFrame.decode(again, again.length, linkType).encode());
            } catch (MalformedPacketException e) {
                seen.add(e.reason());
            } catch (RuntimeException e) {
                fail("input " + n + " " + Arrays.toString(Arrays.copyOf(input, length)) + " as " + linkType, e);
            }
            view.wrap(input, length, linkType);
            if (view.isValid()) {
                view.ttl();
                view.destinationBits();
            }
        }
        assertTrue(accepted > INPUTS / 20, "mutations that keep a packet valid were tried: " + accepted);
        assertEquals(EnumSet.allOf(MalformedPacketException.Reason.class), seen, "every reason was reached");
    }

    private static byte[] randomBytes(Random random) {
        byte[] b = new byte[random.nextInt(120)];
        random.nextBytes(b);
        if (b.length > 14 && random.nextBoolean()) {
            b[12] = 0x08;
            b[13] = 0x00;
            b[14] = (byte) (0x40 | (b[14] & 0x0f));
        }
        return b;
    }

    /** A few random edits of a valid frame, then (mostly) repaired checksums, so that the later checks are reached. */
    private static byte[] mutate(byte[] original, IgmpFrame seed, Random random) {
        byte[] b = original.clone();
        int edits = random.nextInt(4);
        for (int e = 0; e < edits && b.length > 0; e++) {
            int at = random.nextInt(b.length);
            switch (random.nextInt(6)) {
                case 0 -> b[at] ^= (byte) (1 << random.nextInt(8));
                case 1 -> b[at] = (byte) random.nextInt(256);
                case 2 -> b[at] = (byte) (random.nextBoolean() ? 0 : 0xff);
                case 3 -> b = Arrays.copyOf(b, at);
                case 4 -> {
                    byte[] longer = Arrays.copyOf(b, b.length + 1 + random.nextInt(8));
                    System.arraycopy(b, at, longer, longer.length - (b.length - at), b.length - at);
                    b = longer;
                }
                default -> b[at] = (byte) (b[at] + (random.nextBoolean() ? 1 : -1));
            }
        }
        if (random.nextInt(4) != 0) {
            Checksums.repair(b, seed.ethernet().map(EthernetHeader::length).orElse(0));
        }
        return b;
    }

    /** Records of an unrecognized type are skipped on decode (RFC 9776 §4.2.13), so an encoding has none to count. */
    static IgmpFrame withoutSkippedRecords(IgmpFrame frame) {
        if (frame.packet().message() instanceof V3MembershipReport r && r.unrecognizedRecords() > 0) {
            return new IgmpFrame(
                    frame.ethernet(), new IgmpPacket(frame.packet().header(), new V3MembershipReport(r.records())));
        }
        return frame;
    }
}
