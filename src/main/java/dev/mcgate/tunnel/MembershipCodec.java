package dev.mcgate.tunnel;

import dev.mcgate.net.FilterMode;
import dev.mcgate.net.Ip4;
import dev.mcgate.net.Ip6;
import dev.mcgate.net.IpAddress;
import dev.mcgate.net.IpFamily;
import dev.mcgate.net.SourceSet;
import dev.mcgate.net.Subscription;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The MEMBERSHIP payload of one address family: the full state the receiving side wants of that family (group, filter
 * mode, sources), split into parts that each fit one message.
 *
 * <pre>
 * generation (8) | part index (2) | part count (2) | record count (2) | records...
 * record: group (A) | mode (1: 0 INCLUDE, 1 EXCLUDE) | source count (2) | sources (A each)
 * </pre>
 *
 * <p>A is the family's address length: 4 in a {@link TunnelWire#MEMBERSHIP} message (the IPv4 layout unchanged since
 * the first tunnel), 16 in a {@link TunnelWire#MEMBERSHIP6} message. The message type is the version: a peer that
 * predates IPv6 drops a MEMBERSHIP6 before it opens it (an unknown type, counted as a bad header) and keeps its IPv4
 * membership, which travels apart; see {@link FamilyMemberships}.
 *
 * <p>An INCLUDE record with more sources than fit is split into several records of the same group (the receiver
 * unites them); an EXCLUDE record that does not fit is sent as EXCLUDE{} (asks for more, never less: the far side's
 * own forwarding table still filters per receiver).
 */
public final class MembershipCodec {

    static final int PART_HEADER = 14;
    private static final int RECORD_HEADER_AFTER_GROUP = 3;
    static final int MAX_PARTS = 1000;

    private MembershipCodec() {}

    /** One decoded part. */
    public record Part(long generation, int index, int count, Map<IpAddress, Subscription> groups) {}

    /** The octets of one address of {@code family}. */
    static int addressLength(IpFamily family) {
        return family.bits() / 8;
    }

    /**
     * Splits {@code groups} (all of {@code family}) into payloads of at most {@code maxPayload} octets (at least one,
     * even when empty).
     */
    public static List<byte[]> encode(
            IpFamily family, Map<? extends IpAddress, Subscription> groups, long generation, int maxPayload) {
        int a = addressLength(family);
        int recordHeader = a + RECORD_HEADER_AFTER_GROUP;
        int perPart = maxPayload - PART_HEADER;
        if (perPart < recordHeader + a) {
            throw new IllegalArgumentException("a membership part needs more than " + maxPayload + " octets");
        }
        int maxSources = (perPart - recordHeader) / a;
        List<List<byte[]>> parts = new ArrayList<>();
        List<byte[]> current = new ArrayList<>();
        int used = 0;
        for (Map.Entry<? extends IpAddress, Subscription> e : new TreeMap<>(groups).entrySet()) {
            if (e.getKey().family() != family) {
                throw new IllegalArgumentException(e.getKey() + " is not an " + family + " group");
            }
            for (byte[] record : records(family, e.getKey(), e.getValue(), maxSources)) {
                if (used + record.length > perPart) {
                    parts.add(current);
                    current = new ArrayList<>();
                    used = 0;
                }
                current.add(record);
                used += record.length;
            }
        }
        parts.add(current);
        if (parts.size() > MAX_PARTS) {
            throw new IllegalArgumentException(
                    "membership of " + groups.size() + " groups needs more than " + MAX_PARTS + " messages");
        }
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            List<byte[]> records = parts.get(i);
            int length = PART_HEADER + records.stream().mapToInt(r -> r.length).sum();
            byte[] p = new byte[length];
            TunnelWire.putLong(p, 0, generation);
            TunnelWire.putShort(p, 8, i);
            TunnelWire.putShort(p, 10, parts.size());
            TunnelWire.putShort(p, 12, records.size());
            int at = PART_HEADER;
            for (byte[] r : records) {
                System.arraycopy(r, 0, p, at, r.length);
                at += r.length;
            }
            out.add(p);
        }
        return out;
    }

    private static List<byte[]> records(IpFamily family, IpAddress group, Subscription s, int maxSources) {
        int a = addressLength(family);
        int recordHeader = a + RECORD_HEADER_AFTER_GROUP;
        List<IpAddress> sources = s.sources().asList();
        boolean exclude = s.mode() == FilterMode.EXCLUDE;
        if (exclude && sources.size() > maxSources) {
            sources = List.of();
        }
        List<byte[]> out = new ArrayList<>();
        int from = 0;
        do {
            int n = Math.min(maxSources, sources.size() - from);
            byte[] r = new byte[recordHeader + a * n];
            put(r, 0, group);
            r[a] = (byte) (exclude ? 1 : 0);
            TunnelWire.putShort(r, a + 1, n);
            for (int i = 0; i < n; i++) {
                IpAddress source = sources.get(from + i);
                if (source.family() != family) {
                    throw new IllegalArgumentException(source + " is not an " + family + " source");
                }
                put(r, recordHeader + a * i, source);
            }
            out.add(r);
            from += n;
        } while (from < sources.size());
        return out;
    }

    private static void put(byte[] b, int at, IpAddress address) {
        if (address instanceof Ip4 v4) {
            TunnelWire.putInt(b, at, v4.bits());
        } else {
            ((Ip6) address).writeTo(b, at);
        }
    }

    private static IpAddress get(IpFamily family, byte[] b, int at) {
        return family == IpFamily.IPV4 ? new Ip4(TunnelWire.getInt(b, at)) : Ip6.fromBytes(b, at);
    }

    /**
     * Decodes one part of {@code family}; null if it is malformed (lengths that do not add up, a bad mode, a
     * non-multicast group).
     */
    public static Part decode(IpFamily family, byte[] p, int length) {
        if (length < PART_HEADER) {
            return null;
        }
        int a = addressLength(family);
        int recordHeader = a + RECORD_HEADER_AFTER_GROUP;
        long generation = TunnelWire.getLong(p, 0);
        int index = TunnelWire.getShort(p, 8);
        int count = TunnelWire.getShort(p, 10);
        int records = TunnelWire.getShort(p, 12);
        if (count == 0 || count > MAX_PARTS || index >= count) {
            return null;
        }
        Map<IpAddress, Subscription> groups = new LinkedHashMap<>();
        int at = PART_HEADER;
        for (int r = 0; r < records; r++) {
            if (at + recordHeader > length) {
                return null;
            }
            IpAddress group = get(family, p, at);
            int mode = p[at + a];
            int n = TunnelWire.getShort(p, at + a + 1);
            at += recordHeader;
            if (!group.isMulticast() || (mode != 0 && mode != 1) || at + (long) a * n > length) {
                return null;
            }
            List<IpAddress> sources = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                sources.add(get(family, p, at + a * i));
            }
            at += a * n;
            Subscription s = mode == 1
                    ? Subscription.exclude(SourceSet.of(sources))
                    : Subscription.include(SourceSet.of(sources));
            groups.merge(group, s, MembershipCodec::unite);
        }
        return at == length ? new Part(generation, index, count, groups) : null;
    }

    /** Two records of one group: INCLUDE parts unite; anything with EXCLUDE asks for any source it names not. */
    static Subscription unite(Subscription a, Subscription b) {
        if (a.mode() == FilterMode.INCLUDE && b.mode() == FilterMode.INCLUDE) {
            return Subscription.include(a.sources().union(b.sources()));
        }
        return Subscription.ANY_SOURCE;
    }
}
