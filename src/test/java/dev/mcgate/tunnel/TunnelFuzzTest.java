package dev.mcgate.tunnel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mcgate.config.LogLevel;
import dev.mcgate.fuzz.FuzzTally;
import dev.mcgate.logging.Logging;
import dev.mcgate.net.Ip4;
import dev.mcgate.net.Ip6;
import dev.mcgate.net.IpAddress;
import dev.mcgate.net.IpFamily;
import dev.mcgate.net.Subscription;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;

/**
 * Coverage-guided fuzzing of what a tunnel takes from the network ({@link TunnelWire}, {@link MembershipCodec}, both
 * families):
 *
 * <ul>
 *   <li>{@link #unauthenticated}: any datagram from the peer's address, against two ends that are up; the first input
 *       byte can make its header plausible (version, a live session id, a handshake length) so that the checks behind
 *       those are reached. Nothing forged is ever delivered as data, and the tunnel keeps working.
 *   <li>{@link #authenticated}: the peer's own session seals fuzzed plaintext as DATA or MEMBERSHIP (what a peer with
 *       the key, or a bug in ours, could send): no exception, data comes out as it went in, and the membership the
 *       receiving end takes holds only multicast groups.
 *   <li>{@link #membershipPart}: the membership codec alone, each input read in both families' layouts; whatever
 *       decodes encodes back to the same groups, all multicast and of the family read.
 * </ul>
 */
class TunnelFuzzTest {

    private static final FuzzTally UNAUTHENTICATED = new FuzzTally("tunnel-unauthenticated");
    private static final FuzzTally AUTHENTICATED = new FuzzTally("tunnel-authenticated");
    private static final FuzzTally MEMBERSHIP = new FuzzTally("tunnel-membership-part");
    private static final byte[] INNER = innerPacket();
    /** Two ends that are up, shared by the unauthenticated inputs: nothing forged can change their sessions. */
    private static TunnelPair shared;
    /**
     * Two ends that are up, shared by the authenticated inputs (a handshake per input would be most of the work): a
     * membership an input sends stays until the next one replaces it, which the checks allow for.
     */
    private static TunnelPair sealing;

    @FuzzTest(maxDuration = "10m")
    void unauthenticated(byte[] input) {
        LogLevel level = quiet();
        try {
            if (shared == null) {
                shared = upPair();
            }
            TunnelPair p = shared;
            byte[] message = plausible(input, p.b.endpoint.control().sessions().current());
            int n = p.inject(p.b, message, TunnelPair.A_ADDRESS, TunnelPair.PORT);
            assertEquals(-1, n, "a forged message was delivered as data");
            p.b.delivered.clear();
            p.deliver();
            // The tunnel still carries data after it.
            assertTrue(p.a.endpoint.sendData(INNER, 0, INNER.length));
            p.deliver();
            assertEquals(1, p.b.delivered.size());
            assertArrayEquals(INNER, p.b.delivered.get(0));
            p.b.delivered.clear();
            UNAUTHENTICATED.count(kind(message));
        } finally {
            Logging.setLevel(level);
        }
    }

    @FuzzTest(maxDuration = "10m")
    void authenticated(byte[] input) {
        if (input.length == 0) {
            return;
        }
        LogLevel level = quiet();
        try {
            if (sealing == null) {
                sealing = upPair();
            }
            TunnelPair p = sealing;
            p.a.delivered.clear();
            p.b.delivered.clear();
            boolean membership = (input[0] & 1) != 0;
            // Bit 1 picks the IPv6 membership message (older seeds have it clear: IPv4).
            int membershipType = (input[0] & 2) != 0 ? TunnelWire.MEMBERSHIP6 : TunnelWire.MEMBERSHIP;
            byte[] plain = Arrays.copyOfRange(input, 1, input.length);
            // DATA flows downstream (A) to upstream (B), MEMBERSHIP the other way.
            TunnelPair.End from = membership ? p.b : p.a;
            TunnelPair.End to = membership ? p.a : p.b;
            Session s = from.endpoint.control().sessions().current();
            assertNotNull(s);
            byte[] sealed = new byte[plain.length + TunnelWire.OVERHEAD];
            int length = s.send.seal(
                    membership ? membershipType : TunnelWire.DATA,
                    s.id,
                    s.nextCounter(),
                    plain,
                    0,
                    plain.length,
                    sealed);
            byte[] message = Arrays.copyOf(sealed, length);
            int n = p.inject(to, message, membership ? TunnelPair.B_ADDRESS : TunnelPair.A_ADDRESS, TunnelPair.PORT);
            p.deliver();
            if (membership) {
                assertEquals(-1, n);
                for (IpAddress group : to.endpoint.remoteMembership().keySet()) {
                    assertTrue(group.isMulticast(), "a membership for " + group);
                }
                AUTHENTICATED.count(
                        to.endpoint.remoteMembership().isEmpty() ? "membership-refused-or-empty" : "membership-taken");
            } else if (message.length > p.b.endpoint.params().maxMessage()) {
                assertEquals(-1, n);
                AUTHENTICATED.count("data-oversized");
            } else {
                assertEquals(plain.length, n);
                assertEquals(1, to.delivered.size());
                assertArrayEquals(plain, to.delivered.get(0));
                AUTHENTICATED.count("data-delivered");
            }
        } finally {
            Logging.setLevel(level);
        }
    }

    @FuzzTest(maxDuration = "10m")
    void membershipPart(byte[] input) {
        // The same octets read as either family's layout: each reading must keep the invariants.
        for (IpFamily family : IpFamily.values()) {
            MembershipCodec.Part part = MembershipCodec.decode(family, input, input.length);
            if (part == null) {
                MEMBERSHIP.count("refused-" + family);
                continue;
            }
            MEMBERSHIP.count("decoded-" + family);
            for (IpAddress group : part.groups().keySet()) {
                assertTrue(group.isMulticast(), "decoded a membership for " + group);
                assertEquals(family, group.family());
            }
            List<byte[]> again = MembershipCodec.encode(family, part.groups(), part.generation(), 65507);
            assertEquals(1, again.size(), "one part's groups fit one part");
            MembershipCodec.Part reread = MembershipCodec.decode(family, again.get(0), again.get(0).length);
            assertNotNull(reread, "what decoded encodes to a part that decodes");
            Map<IpAddress, Subscription> groups = reread.groups();
            assertEquals(part.groups(), groups);
        }
    }

    /**
     * Writes seed inputs under the inputs directory given as the argument
     * ({@code src/test/resources/dev/mcgate/tunnel/TunnelFuzzTestInputs}): a handshake, a keepalive and data as they
     * crossed the wire, a membership of two parts' worth, and plaintexts for the authenticated target.
     */
    public static void main(String[] args) throws java.io.IOException {
        java.nio.file.Path dir = java.nio.file.Path.of(args[0]);
        Map<Ip4, Subscription> groups = new java.util.LinkedHashMap<>();
        groups.put(Ip4.parse("239.1.1.1"), Subscription.ANY_SOURCE);
        groups.put(
                Ip4.parse("232.1.1.1"),
                Subscription.include(
                        dev.mcgate.net.SourceSet.of(List.of(Ip4.parse("192.0.2.7"), Ip4.parse("192.0.2.8")))));
        groups.put(
                Ip4.parse("239.2.2.2"),
                Subscription.exclude(dev.mcgate.net.SourceSet.of(List.of(Ip4.parse("198.51.100.9")))));
        byte[] part = MembershipCodec.encode(IpFamily.IPV4, groups, 7, 65507).get(0);
        write(dir.resolve("membershipPart"), "seed-membership", part);
        write(dir.resolve("authenticated"), "seed-membership", prefixed(1, part));
        byte[] part6 =
                MembershipCodec.encode(IpFamily.IPV6, groups6(), 8, 65507).get(0);
        write(dir.resolve("membershipPart"), "seed-membership6", part6);
        write(dir.resolve("authenticated"), "seed-membership6", prefixed(3, part6));
        write(dir.resolve("authenticated"), "seed-data", prefixed(0, INNER));
        TunnelPair p = new TunnelPair();
        p.a.endpoint.start();
        p.b.endpoint.start();
        List<byte[]> wire = new java.util.ArrayList<>(p.a.outbox);
        wire.addAll(p.b.outbox);
        p.deliver();
        p.a.endpoint.sendData(INNER, 0, INNER.length);
        wire.addAll(p.a.outbox);
        p.b.endpoint.setMembership(groups);
        wire.addAll(p.b.outbox);
        for (int i = 0; i < wire.size(); i++) {
            write(dir.resolve("unauthenticated"), "seed-wire-" + i, prefixed(0, wire.get(i)));
            write(dir.resolve("unauthenticated"), "seed-wire-plausible-" + i, prefixed(7, wire.get(i)));
        }
    }

    /** An IPv6 membership with each record kind: any source, SSM INCLUDE, EXCLUDE. */
    private static Map<IpAddress, Subscription> groups6() {
        Map<IpAddress, Subscription> groups = new java.util.LinkedHashMap<>();
        groups.put(Ip6.parse("ff0e::1:1"), Subscription.ANY_SOURCE);
        groups.put(
                Ip6.parse("ff3e::8000:1"),
                Subscription.include(
                        dev.mcgate.net.SourceSet.of(List.of(Ip6.parse("2001:db8::7"), Ip6.parse("2001:db8::8")))));
        groups.put(
                Ip6.parse("ff15::2"),
                Subscription.exclude(dev.mcgate.net.SourceSet.of(List.of(Ip6.parse("2001:db8:1::9")))));
        return groups;
    }

    private static byte[] prefixed(int first, byte[] rest) {
        byte[] b = new byte[rest.length + 1];
        b[0] = (byte) first;
        System.arraycopy(rest, 0, b, 1, rest.length);
        return b;
    }

    private static void write(java.nio.file.Path dir, String name, byte[] content) throws java.io.IOException {
        java.nio.file.Files.createDirectories(dir);
        java.nio.file.Files.write(dir.resolve(name), content);
    }

    @AfterAll
    static void tally() {
        UNAUTHENTICATED.print();
        AUTHENTICATED.print();
        MEMBERSHIP.print();
    }

    private static TunnelPair upPair() {
        TunnelPair p = new TunnelPair();
        p.start();
        assertEquals(TunnelStatus.PeerState.UP, p.a.endpoint.state());
        assertEquals(TunnelStatus.PeerState.UP, p.b.endpoint.state());
        return p;
    }

    /**
     * The input as a message, its first byte saying what to make plausible: bit 0 the version and reserved octets,
     * bit 1 the live session's id, bit 2 a handshake type's exact length (type from the input, id 0).
     */
    private static byte[] plausible(byte[] input, Session live) {
        if (input.length == 0) {
            return input;
        }
        int control = input[0] & 0xff;
        byte[] m = Arrays.copyOfRange(input, 1, input.length);
        if ((control & 4) != 0 && m.length > 0) {
            int length = TunnelWire.handshakeLength(m[0] & 0xff);
            if (length > 0) {
                m = Arrays.copyOf(m, length);
                TunnelWire.putInt(m, 4, 0);
            }
        }
        if ((control & 1) != 0 && m.length >= 4) {
            m[1] = TunnelWire.VERSION;
            m[2] = 0;
            m[3] = 0;
        }
        if ((control & 2) != 0 && m.length >= 8 && live != null) {
            TunnelWire.putInt(m, 4, live.id);
        }
        return m;
    }

    /** What a forged message looked like: a known type (by name) or another. */
    private static String kind(byte[] message) {
        if (message.length == 0) {
            return "empty";
        }
        return switch (message[0] & 0xff) {
            case TunnelWire.INIT -> "init";
            case TunnelWire.RESPONSE -> "response";
            case TunnelWire.COOKIE -> "cookie";
            case TunnelWire.DATA -> "data";
            case TunnelWire.KEEPALIVE -> "keepalive";
            case TunnelWire.MEMBERSHIP -> "membership";
            case TunnelWire.MEMBERSHIP6 -> "membership6";
            default -> "other-type";
        };
    }

    private static LogLevel quiet() {
        LogLevel level = Logging.level();
        Logging.setLevel(LogLevel.ERROR);
        return level;
    }

    private static byte[] innerPacket() {
        byte[] b = new byte[60];
        b[0] = 0x45;
        b[3] = 60;
        b[8] = 8;
        b[9] = 17;
        b[16] = (byte) 239;
        b[19] = 1;
        return b;
    }
}
