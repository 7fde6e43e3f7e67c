package dev.mcgate.tunnel;

import dev.mcgate.net.Ip4;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the receiving side does to a datagram out of the tunnel before forwarding it: the group remapped (the far
 * side's G sent here as G'), and the TTL set. Checksums follow: the IPv4 header's, and the UDP checksum by the
 * incremental update of RFC 1624 (it covers the destination address through the pseudo-header). In place, no
 * allocation; the packet starts at offset 0 (raw IPv4).
 */
public final class InnerRewrite {

    private static final int PROTOCOL_UDP = 17;

    /** Remote groups, sorted, and the local group of each. */
    private final int[] remote;

    private final int[] local;
    private final int ttl;

    /**
     * @param remap remote group to local group
     * @param ttl   the TTL datagrams leave with (set here to one more, since forwarding takes one off); 0 keeps it
     */
    public InnerRewrite(Map<Ip4, Ip4> remap, int ttl) {
        TreeMap<Ip4, Ip4> sorted = new TreeMap<>((x, y) -> Integer.compare(x.bits(), y.bits()));
        sorted.putAll(remap);
        remote = sorted.keySet().stream().mapToInt(Ip4::bits).toArray();
        local = sorted.values().stream().mapToInt(Ip4::bits).toArray();
        this.ttl = ttl == 0 ? 0 : Math.min(255, ttl + 1);
    }

    /** Whether there is anything to do. */
    public boolean isIdentity() {
        return remote.length == 0 && ttl == 0;
    }

    /**
     * Rewrites the IPv4 packet of {@code length} octets at the start of {@code p}; false (untouched) if it is not a
     * well-formed IPv4 header, which the forwarder then drops and counts.
     */
    public boolean apply(byte[] p, int length) {
        if (length < 20 || (p[0] & 0xf0) != 0x40) {
            return false;
        }
        int headerLength = (p[0] & 0x0f) * 4;
        if (headerLength < 20 || headerLength > length) {
            return false;
        }
        boolean changed = false;
        int i = remote.length == 0 ? -1 : Arrays.binarySearch(remote, getInt(p, 16));
        if (i >= 0) {
            int from = remote[i];
            int to = local[i];
            putInt(p, 16, to);
            changed = true;
            int fragment = ((p[6] & 0x1f) << 8) | (p[7] & 0xff);
            if ((p[9] & 0xff) == PROTOCOL_UDP && fragment == 0 && length >= headerLength + 8) {
                int at = headerLength + 6;
                int sum = ((p[at] & 0xff) << 8) | (p[at + 1] & 0xff);
                if (sum != 0) {
                    // RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m'), for each 16-bit word of the address.
                    long acc = (~sum & 0xffff)
                            + (~(from >>> 16) & 0xffff)
                            + ((to >>> 16) & 0xffff)
                            + (~from & 0xffff)
                            + (to & 0xffff);
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

    private static int getInt(byte[] b, int at) {
        return TunnelWire.getInt(b, at);
    }

    private static void putInt(byte[] b, int at, int v) {
        TunnelWire.putInt(b, at, v);
    }
}
