package dev.mcgate.forward;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Remembers the fingerprints of datagrams accepted in the last few milliseconds, so that one delivered twice (by a
 * bridged loop, or by two parallel paths onto the router) is forwarded once.
 *
 * <p>A copy that comes back through other routers (a ring of proxies: one's downstream is the other's upstream) can
 * take longer than the window to go round, above all through user-space forwarders; it then comes back with a lower
 * TTL than when it was first seen. So a datagram seen again with a lower TTL counts as a duplicate for much longer
 * ({@link #LOOP_WINDOW_NANOS}), while a source that really sends the same datagram twice sends it with the same TTL
 * and is only held to the short window.
 *
 * <p>{@value #WAYS}-way set-associative: a fingerprint may sit in any of the {@value #WAYS} slots of its bucket, and
 * a new one takes the bucket's oldest. A direct-mapped table (one slot per hash) has a hole in a ring: two datagrams in
 * flight at once whose fingerprints share a slot evict each other at every lap on every router, so neither is ever
 * recognised and both go round until their TTL runs out. That needs a lap longer than the gap between datagrams,
 * which is what a busy router makes of a ring of user-space forwarders.
 *
 * <p>Shared by every capture thread without a lock: a slot holds one fingerprint, the time it was seen and its TTL.
 * A race or a collision can only make the guard miss a duplicate, never take two different datagrams for one (that
 * would need equal 64-bit fingerprints).
 */
final class DuplicateGuard {

    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle INTS = MethodHandles.arrayElementVarHandle(int[].class);

    /** Slots per bucket: how many datagrams hashing alike are remembered at once. */
    static final int WAYS = 4;

    /** How long a datagram that comes back with a lower TTL (it went round a loop of routers) is still recognised. */
    static final long LOOP_WINDOW_NANOS = 1_000_000_000L;

    private final long windowNanos;
    private final long[] fingerprints;
    private final long[] times;
    private final int[] ttls;
    private final int mask;

    DuplicateGuard(long windowNanos, int slots) {
        this.windowNanos = windowNanos;
        int size = Integer.highestOneBit(Math.max(WAYS, slots - 1)) << 1;
        this.fingerprints = new long[size];
        this.times = new long[size];
        this.ttls = new int[size];
        // The first slot of a bucket: WAYS consecutive slots.
        this.mask = (size - 1) & ~(WAYS - 1);
    }

    /** {@link #isDuplicate(long, int, long)} without a TTL: the short window only. */
    boolean isDuplicate(long fingerprint, long now) {
        return isDuplicate(fingerprint, 0, now);
    }

    /**
     * True if the same fingerprint was recorded within the window, or within {@link #LOOP_WINDOW_NANOS} with a higher
     * TTL than this one (a copy that went round a loop); otherwise records it. A window of 0 disables.
     */
    boolean isDuplicate(long fingerprint, int ttl, long now) {
        if (windowNanos <= 0) {
            return false;
        }
        // 0 marks an empty slot.
        long print = fingerprint == 0 ? 1 : fingerprint;
        int bucket = (int) (print ^ (print >>> 32)) & mask;
        int oldest = bucket;
        long oldestAge = Long.MIN_VALUE;
        for (int slot = bucket; slot < bucket + WAYS; slot++) {
            long held = (long) LONGS.getOpaque(fingerprints, slot);
            long age = now - (long) LONGS.getOpaque(times, slot);
            if (held == print) {
                if (age <= windowNanos) {
                    return true;
                }
                if (ttl < (int) INTS.getOpaque(ttls, slot) && age <= Math.max(windowNanos, LOOP_WINDOW_NANOS)) {
                    return true;
                }
                // Seen before, but neither a repeat within the window nor a copy that went round: seen anew here.
                oldest = slot;
                break;
            }
            long ageForEviction = held == 0 ? Long.MAX_VALUE : age;
            if (ageForEviction > oldestAge) {
                oldest = slot;
                oldestAge = ageForEviction;
            }
        }
        LONGS.setOpaque(fingerprints, oldest, print);
        LONGS.setOpaque(times, oldest, now);
        INTS.setOpaque(ttls, oldest, ttl);
        return false;
    }

    /**
     * A 64-bit fingerprint of an IPv4 datagram: source, destination, identification, fragment field, total length,
     * protocol, and the first 32 octets after the IP header (for UDP: ports, length, checksum and 24 payload octets).
     * Linux sends unconnected DF datagrams with identification 0, so the payload octets are what tell consecutive
     * datagrams of one flow apart. TTL and header checksum are left out: they differ between two paths.
     */
    static long fingerprint(byte[] b, int ip, int headerLength, int totalLength) {
        long h = mix(0x243F6A8885A308D3L, word(b, ip + 12));
        h = mix(h, word(b, ip + 16));
        h = mix(h, word(b, ip + 4));
        h = mix(h, ((long) totalLength << 8) | (b[ip + 9] & 0xff));
        int start = ip + headerLength;
        int end = Math.min(start + 32, ip + totalLength);
        int at = start;
        for (; at + 4 <= end; at += 4) {
            h = mix(h, word(b, at));
        }
        for (; at < end; at++) {
            h = mix(h, b[at] & 0xff);
        }
        return finish(h);
    }

    /**
     * A 64-bit fingerprint of an IPv6 datagram, as {@link #fingerprint} for IPv4: source, destination, payload length,
     * next header, and the first 32 octets after the fixed header (extension headers, a Fragment header's
     * identification, then the upper layer). The hop limit is left out: it differs between two paths.
     */
    static long fingerprint6(byte[] b, int ip, int payloadLength) {
        long h = 0x13198A2E03707344L;
        for (int at = ip + 8; at < ip + 40; at += 4) {
            h = mix(h, word(b, at));
        }
        h = mix(h, ((long) payloadLength << 8) | (b[ip + 6] & 0xff));
        int start = ip + 40;
        int end = Math.min(start + 32, start + payloadLength);
        int at = start;
        for (; at + 4 <= end; at += 4) {
            h = mix(h, word(b, at));
        }
        for (; at < end; at++) {
            h = mix(h, b[at] & 0xff);
        }
        return finish(h);
    }

    private static long word(byte[] b, int at) {
        return ((b[at] & 0xffL) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
    }

    private static long mix(long h, long value) {
        return Long.rotateLeft(h ^ (value * 0x9E3779B97F4A7C15L), 27) * 0xC2B2AE3D27D4EB4FL;
    }

    /** The MurmurHash3 64-bit finalizer: every input bit affects every output bit. */
    private static long finish(long h) {
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        return h ^ (h >>> 33);
    }
}
