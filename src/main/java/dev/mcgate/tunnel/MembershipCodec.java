package dev.mcgate.tunnel;

import dev.mcgate.net.FilterMode;
import dev.mcgate.net.Ip4;
import dev.mcgate.net.SourceSet;
import dev.mcgate.net.Subscription;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The MEMBERSHIP payload: the full state the receiving side wants (group, filter mode, sources), split into parts that
 * each fit one message.
 *
 * <pre>
 * generation (8) | part index (2) | part count (2) | record count (2) | records...
 * record: group (4) | mode (1: 0 INCLUDE, 1 EXCLUDE) | source count (2) | sources (4 each)
 * </pre>
 *
 * <p>An INCLUDE record with more sources than fit is split into several records of the same group (the receiver
 * unites them); an EXCLUDE record that does not fit is sent as EXCLUDE{} (asks for more, never less: the far side's
 * own forwarding table still filters per receiver).
 */
public final class MembershipCodec {

    static final int PART_HEADER = 14;
    private static final int RECORD_HEADER = 7;
    static final int MAX_PARTS = 1000;

    private MembershipCodec() {}

    /** One decoded part. */
    public record Part(long generation, int index, int count, Map<Ip4, Subscription> groups) {}

    /** Splits {@code groups} into payloads of at most {@code maxPayload} octets (at least one, even when empty). */
    public static List<byte[]> encode(Map<Ip4, Subscription> groups, long generation, int maxPayload) {
        int perPart = maxPayload - PART_HEADER;
        if (perPart < RECORD_HEADER + 4) {
            throw new IllegalArgumentException("a membership part needs more than " + maxPayload + " octets");
        }
        int maxSources = (perPart - RECORD_HEADER) / 4;
        List<List<byte[]>> parts = new ArrayList<>();
        List<byte[]> current = new ArrayList<>();
        int used = 0;
        for (Map.Entry<Ip4, Subscription> e : new TreeMap<>(groups).entrySet()) {
            for (byte[] record : records(e.getKey(), e.getValue(), maxSources)) {
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

    private static List<byte[]> records(Ip4 group, Subscription s, int maxSources) {
        List<Ip4> sources = s.sources().ip4List();
        boolean exclude = s.mode() == FilterMode.EXCLUDE;
        if (exclude && sources.size() > maxSources) {
            sources = List.of();
        }
        List<byte[]> out = new ArrayList<>();
        int from = 0;
        do {
            int n = Math.min(maxSources, sources.size() - from);
            byte[] r = new byte[RECORD_HEADER + 4 * n];
            TunnelWire.putInt(r, 0, group.bits());
            r[4] = (byte) (exclude ? 1 : 0);
            TunnelWire.putShort(r, 5, n);
            for (int i = 0; i < n; i++) {
                TunnelWire.putInt(
                        r, RECORD_HEADER + 4 * i, sources.get(from + i).bits());
            }
            out.add(r);
            from += n;
        } while (from < sources.size());
        return out;
    }

    /** Decodes one part; null if it is malformed (lengths that do not add up, a bad mode, a non-multicast group). */
    public static Part decode(byte[] p, int length) {
        if (length < PART_HEADER) {
            return null;
        }
        long generation = TunnelWire.getLong(p, 0);
        int index = TunnelWire.getShort(p, 8);
        int count = TunnelWire.getShort(p, 10);
        int records = TunnelWire.getShort(p, 12);
        if (count == 0 || count > MAX_PARTS || index >= count) {
            return null;
        }
        Map<Ip4, Subscription> groups = new LinkedHashMap<>();
        int at = PART_HEADER;
        for (int r = 0; r < records; r++) {
            if (at + RECORD_HEADER > length) {
                return null;
            }
            Ip4 group = new Ip4(TunnelWire.getInt(p, at));
            int mode = p[at + 4];
            int n = TunnelWire.getShort(p, at + 5);
            at += RECORD_HEADER;
            if (!group.isMulticast() || (mode != 0 && mode != 1) || at + 4 * n > length) {
                return null;
            }
            List<Ip4> sources = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                sources.add(new Ip4(TunnelWire.getInt(p, at + 4 * i)));
            }
            at += 4 * n;
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
