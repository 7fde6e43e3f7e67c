package dev.mcgate.packet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.mcgate.net.Ip6;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A million random and mutated inputs (seeded) to the MLD codec: it may only answer with a frame or a
 * MalformedMldException, whatever it accepts must re-encode to something that decodes the same, and the IPv6 data view
 * must never throw.
 */
class MldFuzzTest {

    private static final int INPUTS = 1_000_000;

    @Test
    void onlyTheTypedExceptionEverEscapes() {
        MldMessageGenerator generator = new MldMessageGenerator(0xF086DDL);
        Random random = generator.random();
        MldFrame[] seeds = new MldFrame[256];
        byte[][] seedBytes = new byte[seeds.length][];
        for (int i = 0; i < seeds.length; i++) {
            seeds[i] = generator.frame();
            seedBytes[i] = seeds[i].encode();
        }
        Set<MalformedMldException.Reason> seen = EnumSet.noneOf(MalformedMldException.Reason.class);
        Ipv6DataFrameView view = new Ipv6DataFrameView();
        int accepted = 0;
        for (int n = 0; n < INPUTS; n++) {
            int pick = random.nextInt(seeds.length);
            LinkType linkType = random.nextInt(8) == 0 ? LinkType.values()[random.nextInt(2)] : seeds[pick].linkType();
            byte[] input = random.nextInt(10) == 0 ? randomBytes(random) : mutate(seedBytes[pick], seeds[pick], random);
            int length = random.nextInt(16) == 0 ? random.nextInt(input.length + 1) : input.length;
            try {
                MldFrame frame = MldFrame.decode(input, length, linkType);
                accepted++;
                byte[] again = frame.encode();
                MldFrame decodedAgain = MldFrame.decode(again, again.length, linkType);
                assertEquals(withoutSkippedRecords(frame), decodedAgain);
                assertArrayEquals(again, decodedAgain.encode());
            } catch (MalformedMldException e) {
                seen.add(e.reason());
            } catch (RuntimeException e) {
                fail("input " + n + " " + Arrays.toString(Arrays.copyOf(input, length)) + " as " + linkType, e);
            }
            try {
                view.wrap(input, length, linkType);
                if (view.isIpv6()) {
                    // Even a view that is not valid must read nothing past the frame.
                    view.hopLimit();
                    view.destinationLow();
                    view.upperLayerProtocol();
                }
            } catch (RuntimeException e) {
                fail("view of input " + n + " " + Arrays.toString(Arrays.copyOf(input, length)), e);
            }
        }
        assertTrue(accepted > INPUTS / 20, "mutations that keep a packet valid were tried: " + accepted);
        assertEquals(EnumSet.allOf(MalformedMldException.Reason.class), seen, "every reason was reached");
    }

    private static byte[] randomBytes(Random random) {
        byte[] b = new byte[random.nextInt(160)];
        random.nextBytes(b);
        if (b.length > 14 && random.nextBoolean()) {
            b[12] = (byte) 0x86;
            b[13] = (byte) 0xdd;
            b[14] = (byte) (0x60 | (b[14] & 0x0f));
        }
        return b;
    }

    /** A few random edits of a valid frame, then (mostly) a repaired checksum, so that the later checks are reached. */
    private static byte[] mutate(byte[] original, MldFrame seed, Random random) {
        byte[] b = original.clone();
        int ip = seed.ethernet().map(EthernetHeader::length).orElse(0);
        int edits = random.nextInt(4);
        for (int e = 0; e < edits && b.length > 0; e++) {
            // Half of the edits land in the headers and the first octets of the message, where the rules are.
            int at = random.nextBoolean() ? random.nextInt(b.length) : Math.min(b.length - 1, random.nextInt(ip + 80));
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
            repairChecksum(b, ip);
        }
        return b;
    }

    /** Fills in the ICMPv6 checksum where the (possibly edited) headers say the message is. */
    static void repairChecksum(byte[] b, int ip) {
        if (b.length < ip + Ipv6Header.LENGTH) {
            return;
        }
        int payload = ((b[ip + 4] & 0xff) << 8) | (b[ip + 5] & 0xff);
        int end = Math.min(b.length, ip + Ipv6Header.LENGTH + payload);
        int icmp = ip + Ipv6Header.LENGTH;
        if (b[ip + 6] == 0 && icmp + 2 <= end) {
            icmp += 8 * ((b[icmp + 1] & 0xff) + 1);
        }
        if (icmp + 4 <= end) {
            MldMessageEncoder.fillChecksum(b, icmp, end - icmp, Ip6.fromBytes(b, ip + 8), Ip6.fromBytes(b, ip + 24));
        }
    }

    /** Records of an unrecognized type are skipped on decode (RFC 9777 §5.2.12), so an encoding has none to count. */
    static MldFrame withoutSkippedRecords(MldFrame frame) {
        MldPacket p = frame.packet();
        if (p.message() instanceof MldV2Report r && r.unrecognizedRecords() > 0) {
            return new MldFrame(
                    frame.ethernet(), new MldPacket(p.header(), p.hopByHop(), new MldV2Report(r.records())));
        }
        return frame;
    }
}
