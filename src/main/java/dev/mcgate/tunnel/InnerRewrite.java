package dev.mcgate.tunnel;

import dev.mcgate.net.Ip4;
import dev.mcgate.net.Ip6;
import dev.mcgate.net.IpAddress;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the receiving side does to a datagram out of the tunnel before forwarding it: the group remapped (the far
 * side's G sent here as G', within one family), and the TTL (IPv4) or hop limit (IPv6) set. Checksums follow: the
 * IPv4 header's, and the UDP checksum by the incremental update of RFC 1624 (it covers the destination address
 * through the pseudo-header, in both families: RFC 768, RFC 8200 §8.1). In place, no allocation; the packet starts
 * at offset 0 (raw IP, either version).
 */
public final class InnerRewrite {

    private static final int PROTOCOL_UDP = 17;
    /** IPv6 extension headers walked to find UDP (RFC 8200 §4): Hop-by-Hop, Destination Options, Fragment. */
    private static final int HOP_BY_HOP = 0;

    private static final int DESTINATION_OPTIONS = 60;
    private static final int FRAGMENT = 44;
    private static final int IPV6_HEADER = 40;

    /** Remote IPv4 groups, sorted, and the local group of each. */
    private final int[] remote;

    private final int[] local;
    /** Remote IPv6 groups sorted unsigned by (high, low), and the local group of each. */
    private final long[] remoteHigh;

    private final long[] remoteLow;
    private final long[] localHigh;
    private final long[] localLow;
    private final int ttl;

    /**
     * @param remap remote group to local group, each pair of one family
     * @param ttl   the TTL or hop limit datagrams leave with (set here to one more, since forwarding takes one off); 0
     *              keeps it
     */
    public InnerRewrite(Map<? extends IpAddress, ? extends IpAddress> remap, int ttl) {
        TreeMap<IpAddress, IpAddress> sorted = new TreeMap<>(remap);
        sorted.forEach((r, l) -> {
            if (r.family() != l.family()) {
                throw new IllegalArgumentException("remap " + r + " " + l + ": families differ");
            }
        });
        remote = sorted.keySet().stream()
                .filter(Ip4.class::isInstance)
                .mapToInt(a -> ((Ip4) a).bits())
                .sorted()
                .toArray();
        local = Arrays.stream(remote)
                .map(r -> ((Ip4) sorted.get(new Ip4(r))).bits())
                .toArray();
        // The TreeMap orders IPv6 addresses unsigned by (high, low): the order the binary search below expects.
        Ip6[] six = sorted.keySet().stream().filter(Ip6.class::isInstance).toArray(Ip6[]::new);
        remoteHigh = new long[six.length];
        remoteLow = new long[six.length];
        localHigh = new long[six.length];
        localLow = new long[six.length];
        for (int i = 0; i < six.length; i++) {
            Ip6 to = (Ip6) sorted.get(six[i]);
            remoteHigh[i] = six[i].high();
            remoteLow[i] = six[i].low();
            localHigh[i] = to.high();
            localLow[i] = to.low();
        }
        this.ttl = ttl == 0 ? 0 : Math.min(255, ttl + 1);
    }

    /** Whether there is anything to do. */
    public boolean isIdentity() {
        return remote.length == 0 && remoteHigh.length == 0 && ttl == 0;
    }

    /**
     * Rewrites the IP packet of {@code length} octets at the start of {@code p}; false (untouched) if it is not a
     * well-formed IPv4 or IPv6 header, which the forwarder then drops and counts.
     */
    public boolean apply(byte[] p, int length) {
        if (length < 1) {
            return false;
        }
        return switch (p[0] & 0xf0) {
            case 0x40 -> apply4(p, length);
            case 0x60 -> apply6(p, length);
            default -> false;
        };
    }

    private boolean apply4(byte[] p, int length) {
        if (length < 20) {
            return false;
        }
        int headerLength = (p[0] & 0x0f) * 4;
        if (headerLength < 20 || headerLength > length) {
            return false;
        }
        boolean changed = false;
        int i = remote.length == 0 ? -1 : Arrays.binarySearch(remote, TunnelWire.getInt(p, 16));
        if (i >= 0) {
            int from = remote[i];
            int to = local[i];
            TunnelWire.putInt(p, 16, to);
            changed = true;
            int fragment = ((p[6] & 0x1f) << 8) | (p[7] & 0xff);
            if ((p[9] & 0xff) == PROTOCOL_UDP && fragment == 0 && length >= headerLength + 8) {
                long delta = wordsDelta(from, to);
                updateUdpChecksum(p, headerLength + 6, delta);
            }
        }
        if (ttl != 0) {
            p[8] = (byte) ttl;
            changed = true;
        }
        if (changed) {
            p[10] = 0;
            p[11] = 0;
            int sum = 0;
            for (int k = 0; k < headerLength; k += 2) {
                sum += ((p[k] & 0xff) << 8) | (p[k + 1] & 0xff);
            }
            while ((sum >>> 16) != 0) {
                sum = (sum & 0xffff) + (sum >>> 16);
            }
            int checksum = ~sum & 0xffff;
            p[10] = (byte) (checksum >>> 8);
            p[11] = (byte) checksum;
        }
        return true;
    }

    private boolean apply6(byte[] p, int length) {
        if (length < IPV6_HEADER) {
            return false;
        }
        int i = remoteHigh.length == 0 ? -1 : find6(Ip6.readLong(p, 24), Ip6.readLong(p, 32));
        if (i >= 0) {
            long delta = wordsDelta(remoteHigh[i], localHigh[i]) + wordsDelta(remoteLow[i], localLow[i]);
            writeLong(p, 24, localHigh[i]);
            writeLong(p, 32, localLow[i]);
            int udp = udpOffset6(p, length);
            if (udp >= 0) {
                updateUdpChecksum(p, udp + 6, delta);
            }
        }
        if (ttl != 0) {
            p[7] = (byte) ttl;
        }
        return true;
    }

    /** Where the UDP header starts behind the IPv6 header and the options and first-fragment headers; -1 if not. */
    private static int udpOffset6(byte[] p, int length) {
        int next = p[6] & 0xff;
        int at = IPV6_HEADER;
        while (true) {
            switch (next) {
                case PROTOCOL_UDP -> {
                    return at + 8 <= length ? at : -1;
                }
                case HOP_BY_HOP, DESTINATION_OPTIONS -> {
                    if (at + 2 > length) {
                        return -1;
                    }
                    next = p[at] & 0xff;
                    at += ((p[at + 1] & 0xff) + 1) * 8;
                }
                case FRAGMENT -> {
                    // Only the first fragment holds the UDP header; later ones keep their checksum-free bytes.
                    if (at + 8 > length || (((p[at + 2] & 0xff) << 8 | (p[at + 3] & 0xf8)) != 0)) {
                        return -1;
                    }
                    next = p[at] & 0xff;
                    at += 8;
                }
                default -> {
                    return -1;
                }
            }
        }
    }

    private int find6(long high, long low) {
        int lo = 0;
        int hi = remoteHigh.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = Long.compareUnsigned(remoteHigh[mid], high);
            if (c == 0) {
                c = Long.compareUnsigned(remoteLow[mid], low);
            }
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    /** RFC 1624 eqn. 3's {@code ~m + m'} summed over the 16-bit words of a changed 32-bit field (not yet folded). */
    private static long wordsDelta(int from, int to) {
        return (~(from >>> 16) & 0xffff) + ((to >>> 16) & 0xffff) + (~from & 0xffff) + (to & 0xffff);
    }

    private static long wordsDelta(long from, long to) {
        return wordsDelta((int) (from >>> 32), (int) (to >>> 32)) + wordsDelta((int) from, (int) to);
    }

    /** RFC 1624 eqn. 3, HC' = ~(~HC + ~m + m'), on the UDP checksum at {@code at}; 0 (none, IPv4 only) stays 0. */
    private static void updateUdpChecksum(byte[] p, int at, long delta) {
        int sum = ((p[at] & 0xff) << 8) | (p[at + 1] & 0xff);
        if (sum == 0) {
            return;
        }
        long acc = (~sum & 0xffff) + delta;
        while ((acc >>> 16) != 0) {
            acc = (acc & 0xffff) + (acc >>> 16);
        }
        int updated = ~(int) acc & 0xffff;
        // RFC 768: a computed 0 is sent as all ones (0 means "no checksum").
        if (updated == 0) {
            updated = 0xffff;
        }
        p[at] = (byte) (updated >>> 8);
        p[at + 1] = (byte) updated;
    }

    private static void writeLong(byte[] b, int at, long v) {
        for (int k = 0; k < 8; k++) {
            b[at + k] = (byte) (v >>> (56 - 8 * k));
        }
    }
}
