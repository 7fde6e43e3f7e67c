package dev.mcgate.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcgate.net.Ip4;
import dev.mcgate.net.Ip4Prefix;
import dev.mcgate.net.Ip6;
import dev.mcgate.net.Ip6Prefix;
import dev.mcgate.net.IpPrefix;
import dev.mcgate.net.SourceSet;
import dev.mcgate.net.Subscription;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The small parts of the data plane: source filters, the group index, the flow table, the duplicate guard, UDP sums. */
class BuildingBlocksTest {

    @Test
    void sourceFilterAgreesWithSubscriptionWants() {
        SplittableRandom random = new SplittableRandom(42);
        for (int round = 0; round < 200; round++) {
            List<Ip4> listed = new ArrayList<>();
            for (int i = random.nextInt(6); i > 0; i--) {
                // Some high addresses, so that unsigned order matters.
                listed.add(new Ip4(random.nextInt(16) | (random.nextBoolean() ? 0xC0000000 : 0x0A000000)));
            }
            Subscription s = random.nextBoolean()
                    ? Subscription.include(SourceSet.of(listed))
                    : Subscription.exclude(SourceSet.of(listed));
            SourceFilter filter = new SourceFilter(s);
            for (int probe = 0; probe < 40; probe++) {
                int bits = random.nextInt(16) | (random.nextBoolean() ? 0xC0000000 : 0x0A000000);
                assertEquals(s.wants(new Ip4(bits)), filter.wants(bits), s + " wants " + new Ip4(bits));
            }
        }
    }

    @Test
    void ipv6SourceFilterAgreesWithSubscriptionWants() {
        SplittableRandom random = new SplittableRandom(43);
        for (int round = 0; round < 200; round++) {
            List<Ip6> listed = new ArrayList<>();
            for (int i = random.nextInt(6); i > 0; i--) {
                listed.add(randomIp6(random));
            }
            Subscription s = random.nextBoolean()
                    ? Subscription.include(SourceSet.of(listed))
                    : Subscription.exclude(SourceSet.of(listed));
            SourceFilter filter = new SourceFilter(s);
            for (int probe = 0; probe < 40; probe++) {
                Ip6 source = randomIp6(random);
                assertEquals(s.wants(source), filter.wants(source.high(), source.low()), s + " wants " + source);
            }
        }
    }

    /** Few distinct values per half, some with the top bit set, so that hits and unsigned order both matter. */
    private static Ip6 randomIp6(SplittableRandom random) {
        long high = (random.nextBoolean() ? 0x2001_0db8_0000_0000L : 0xfd00_0000_0000_0000L) | random.nextInt(3);
        long low = random.nextInt(8) | (random.nextBoolean() ? Long.MIN_VALUE : 0);
        return new Ip6(high, low);
    }

    @Test
    void prefixSetMatchesIpv6AsIp6PrefixDoesAndNeverAcrossFamilies() {
        SplittableRandom random = new SplittableRandom(44);
        for (int round = 0; round < 300; round++) {
            List<IpPrefix> prefixes = new ArrayList<>();
            for (int i = random.nextInt(4); i >= 0; i--) {
                prefixes.add(Ip6Prefix.containing(randomIp6(random), random.nextInt(129)));
            }
            prefixes.add(Ip4Prefix.parse("0.0.0.0/0"));
            PrefixSet set = new PrefixSet(prefixes);
            for (int probe = 0; probe < 30; probe++) {
                Ip6 a = randomIp6(random);
                int longest = prefixes.stream()
                        .filter(p -> p.contains(a))
                        .mapToInt(IpPrefix::length)
                        .max()
                        .orElse(-1);
                assertEquals(longest, set.longestMatch(a.high(), a.low()), prefixes + " for " + a);
            }
        }
        PrefixSet onlyIpv6 = new PrefixSet(List.of(Ip6Prefix.parse("::/0")));
        assertFalse(onlyIpv6.contains(0x0A000001), "an IPv6 prefix holds no IPv4 address");
    }

    @Test
    void ipv6GroupIndexFindsEveryGroupAndOnlyThose() {
        List<GroupRoute> routes = new ArrayList<>();
        // The same low halves under 13 scopes: only the high half tells these groups apart.
        for (long scope = 3; scope <= 0xf; scope++) {
            for (int i = 0; i < 40; i++) {
                routes.add(new GroupRoute(
                        new Ip6(0xff00_0000_0000_0000L | scope << 48, i), new int[0], new Subscription[0]));
            }
        }
        for (int i = 0; i < 100; i++) {
            routes.add(new GroupRoute(Ip4.of(239, 0, 0, i), new int[0], new Subscription[0]));
        }
        GroupIndex index = new GroupIndex(routes);
        for (GroupRoute route : routes) {
            assertSame(route, route.isIpv6() ? index.get(route.groupHigh, route.groupLow) : index.get(route.group));
        }
        for (int i = 0; i < 40; i++) {
            assertNull(index.get(0xff02_0000_0000_0000L, i), "ff02:: was never added");
        }
        assertNull(index.get(0xff0e_0000_0000_0000L, 40));
        assertEquals(13 * 40 + 100, index.size());
    }

    @Test
    void groupIndexFindsEveryGroupAndOnlyThose() {
        List<GroupRoute> routes = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            routes.add(new GroupRoute(Ip4.of(239, 0, i >> 8, i & 0xff), new int[0], new Subscription[0]));
        }
        GroupIndex index = new GroupIndex(routes);
        for (GroupRoute route : routes) {
            assertSame(route, index.get(route.group));
        }
        assertNull(index.get(Ip4.of(239, 1, 0, 0).bits()));
        assertNull(new GroupIndex(List.of()).get(Ip4.of(239, 1, 0, 0).bits()));
        assertEquals(1000, index.size());
    }

    @Test
    void flowTableFindsTheSameFlowAgainAndStaysBounded() {
        FlowTable table = new FlowTable(16, 4);
        Flow a = table.lookup(1, 0xEF010101, 0, 3);
        assertSame(a, table.lookup(1, 0xEF010101, 5, 3));
        for (int i = 0; i < 1000; i++) {
            table.lookup(100 + i, 0xEF010101, 10 + i, 3);
        }
        assertTrue(table.flows().size() <= 16);
        assertTrue(table.evicted() >= 1000 - 15);
    }

    @Test
    void duplicateGuardForgetsAfterItsWindow() {
        DuplicateGuard guard = new DuplicateGuard(1000, 64);
        assertFalse(guard.isDuplicate(77, 0));
        assertTrue(guard.isDuplicate(77, 1000));
        assertFalse(guard.isDuplicate(77, 2001), "the repeat did not extend the window");
        assertFalse(guard.isDuplicate(78, 2001));
        assertFalse(guard.isDuplicate(0, 0), "a zero fingerprint is a fingerprint too");
        assertTrue(guard.isDuplicate(0, 1));
    }

    @Test
    void aCopyThatComesBackWithALowerTtlIsADuplicateLongAfterTheShortWindow() {
        DuplicateGuard guard = new DuplicateGuard(1000, 64);
        assertFalse(guard.isDuplicate(77, 32, 0));
        // Round a ring of routers: two hops lower, 50 ms later.
        assertTrue(guard.isDuplicate(77, 30, 50_000_000L), "went round a loop");
        assertTrue(guard.isDuplicate(77, 28, 100_000_000L), "and again: the first sighting is kept");
        assertFalse(guard.isDuplicate(77, 26, DuplicateGuard.LOOP_WINDOW_NANOS + 1), "forgotten after the loop window");
        // A source that sends the same datagram again sends it with the same TTL: only the short window holds it.
        assertFalse(guard.isDuplicate(88, 32, 0));
        assertFalse(guard.isDuplicate(88, 32, 2_000), "a real repeat, with the same TTL");
        assertFalse(guard.isDuplicate(88, 33, 5_000), "or a higher one");
        assertTrue(guard.isDuplicate(88, 33, 5_500), "within the short window whatever the TTL");
    }

    /**
     * RouterRingE2ETest's flake: on a busy ring a lap takes longer than the gap between datagrams, so two are in
     * flight at once. If their fingerprints share a slot, each used to evict the other before it came back, at every
     * lap on both routers, and both went round until their TTL ran out.
     */
    @Test
    void twoDatagramsInFlightThatHashAlikeAreBothRecognisedWhenTheyComeRound() {
        DuplicateGuard guard = new DuplicateGuard(2_000_000L, 64);
        // Equal low bits, so one slot of a direct-mapped table of 64 (and one bucket here).
        long p = 5;
        long q = 5 + (1L << 20);
        long ms = 1_000_000L;
        assertFalse(guard.isDuplicate(p, 32, 0));
        assertFalse(guard.isDuplicate(q, 32, 3 * ms));
        assertTrue(guard.isDuplicate(p, 30, 5 * ms), "p came round after q arrived");
        assertTrue(guard.isDuplicate(q, 30, 8 * ms), "and so did q");
        assertTrue(guard.isDuplicate(p, 28, 10 * ms), "second lap");
        assertTrue(guard.isDuplicate(q, 28, 13 * ms));
    }

    @Test
    void aFullBucketGivesUpItsOldestFingerprint() {
        DuplicateGuard guard = new DuplicateGuard(1000, 64);
        long[] alike = new long[DuplicateGuard.WAYS + 1];
        for (int i = 0; i < alike.length; i++) {
            alike[i] = 5 + ((long) i << 20);
            assertFalse(guard.isDuplicate(alike[i], 32, 10_000L * i));
        }
        assertTrue(guard.isDuplicate(alike[alike.length - 1], 30, 100_000), "the newest is held");
        assertTrue(guard.isDuplicate(alike[1], 30, 100_000), "and the others since the first");
        assertFalse(guard.isDuplicate(alike[0], 30, 100_000), "the oldest made room");
    }

    @Test
    void fingerprintsIgnoreTtlAndHeaderChecksumButNotPayload() {
        byte[] a = Frames.udpPacket(Lab.REMOTE_SOURCE, Lab.GROUP, 64, 100, 1);
        byte[] b = a.clone();
        b[8] = 3;
        b[10] ^= 0x7f;
        assertEquals(DuplicateGuard.fingerprint(a, 0, 20, a.length), DuplicateGuard.fingerprint(b, 0, 20, b.length));
        byte[] c = a.clone();
        c[20 + 8 + 23] ^= 1;
        assertNotEquals(DuplicateGuard.fingerprint(a, 0, 20, a.length), DuplicateGuard.fingerprint(c, 0, 20, c.length));
    }

    @Test
    void udpChecksumChecksAndRepairsEveryLength() {
        for (int payload = 0; payload < 64; payload++) {
            byte[] p = Frames.udpPacket(Lab.REMOTE_SOURCE, Lab.GROUP, 64, payload, payload * 7);
            assertEquals(UdpChecksum.Verdict.RIGHT, UdpChecksum.check(p, 0, 20, p.length), "payload " + payload);
            byte[] broken = p.clone();
            broken[26] ^= 0x10;
            assertEquals(UdpChecksum.Verdict.WRONG, UdpChecksum.check(broken, 0, 20, broken.length));
            assertTrue(UdpChecksum.isRepairable(broken, 0, 20, broken.length));
            UdpChecksum.fill(broken, 0, 20, broken.length);
            assertEquals(Frames.u16(p, 26), Frames.u16(broken, 26), "payload " + payload);
        }
        byte[] p = Frames.udpPacket(Lab.REMOTE_SOURCE, Lab.GROUP, 64, 10, 1);
        p[26] = 0;
        p[27] = 0;
        assertEquals(UdpChecksum.Verdict.ABSENT, UdpChecksum.check(p, 0, 20, p.length));
        assertFalse(UdpChecksum.isRepairable(p, 0, 20, p.length));
        p[25] = 99;
        assertEquals(UdpChecksum.Verdict.UNCHECKABLE, UdpChecksum.check(p, 0, 20, p.length));
    }
}
