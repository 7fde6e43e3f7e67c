package dev.mcgate.net;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.RandomAccess;

/**
 * An immutable, sorted set of source addresses of one family (the "A", "B" of RFC 9776 §6.4 and RFC 9777 §7.4 set
 * algebra), held as a sorted long array: one word per IPv4 address, two per IPv6 address. Small sets cost one array
 * and set operations are linear merges. The empty set has no family and combines with either.
 */
public final class SourceSet implements Iterable<IpAddress> {

    public static final SourceSet EMPTY = new SourceSet(null, new long[0]);

    /** IPV4 or IPV6; null only for {@link #EMPTY}. */
    private final IpFamily family;
    /**
     * The addresses in ascending unsigned order, no duplicates, never modified: IPv4 as its 32 bits zero-extended, IPv6
     * as (high, low) pairs.
     */
    private final long[] words;

    private SourceSet(IpFamily family, long[] sortedUniqueWords) {
        this.family = family;
        this.words = sortedUniqueWords;
    }

    public static SourceSet of(IpAddress... sources) {
        return of(Arrays.asList(sources));
    }

    public static SourceSet of(Collection<? extends IpAddress> sources) {
        if (sources instanceof SourceSetList list) {
            return list.owner;
        }
        if (sources.isEmpty()) {
            return EMPTY;
        }
        IpFamily family = sources.iterator().next().family();
        int stride = stride(family);
        long[] raw = new long[sources.size() * stride];
        int n = 0;
        for (IpAddress source : sources) {
            if (source.family() != family) {
                throw new IllegalArgumentException("a source set holds one family: " + sources);
            }
            if (source instanceof Ip4 v4) {
                raw[n++] = v4.bits() & 0xffffffffL;
            } else {
                Ip6 v6 = (Ip6) source;
                raw[n++] = v6.high();
                raw[n++] = v6.low();
            }
        }
        return sortedUnique(family, raw);
    }

    /** Builds an IPv4 set from the first {@code count} raw address values (any order, duplicates allowed); the array is not kept. */
    public static SourceSet fromBits(int[] raw, int count) {
        if (count == 0) {
            return EMPTY;
        }
        long[] words = new long[count];
        for (int i = 0; i < count; i++) {
            words[i] = raw[i] & 0xffffffffL;
        }
        return sortedUnique(IpFamily.IPV4, words);
    }

    private static SourceSet sortedUnique(IpFamily family, long[] raw) {
        int stride = stride(family);
        int count = raw.length / stride;
        long[] sorted;
        if (stride == 1) {
            // IPv4 words are non-negative (zero-extended), so a signed sort is the unsigned order.
            sorted = raw.clone();
            Arrays.sort(sorted);
        } else {
            Integer[] order = new Integer[count];
            for (int i = 0; i < count; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> compare(raw, a * 2, raw, b * 2, 2));
            sorted = new long[raw.length];
            for (int i = 0; i < count; i++) {
                sorted[2 * i] = raw[2 * order[i]];
                sorted[2 * i + 1] = raw[2 * order[i] + 1];
            }
        }
        int unique = 0;
        for (int i = 0; i < count; i++) {
            if (unique == 0 || compare(sorted, (unique - 1) * stride, sorted, i * stride, stride) != 0) {
                System.arraycopy(sorted, i * stride, sorted, unique * stride, stride);
                unique++;
            }
        }
        return new SourceSet(family, unique == count ? sorted : Arrays.copyOf(sorted, unique * stride));
    }

    /** The family of the members, or null for the empty set. */
    public IpFamily family() {
        return family;
    }

    public int size() {
        return family == null ? 0 : words.length / stride(family);
    }

    public boolean isEmpty() {
        return words.length == 0;
    }

    public boolean contains(IpAddress source) {
        return source.family() == family && indexOf(source) >= 0;
    }

    public IpAddress get(int index) {
        if (family == IpFamily.IPV4) {
            return new Ip4((int) words[index]);
        }
        return new Ip6(words[2 * index], words[2 * index + 1]);
    }

    /** A ∪ B. */
    public SourceSet union(SourceSet other) {
        if (other.isEmpty()) {
            return this;
        }
        if (isEmpty()) {
            return other;
        }
        int stride = sameStride(other);
        long[] out = new long[words.length + other.words.length];
        int i = 0;
        int j = 0;
        int n = 0;
        while (i < words.length || j < other.words.length) {
            int order =
                    i == words.length ? 1 : j == other.words.length ? -1 : compare(words, i, other.words, j, stride);
            if (order <= 0) {
                System.arraycopy(words, i, out, n, stride);
                i += stride;
                j += order == 0 ? stride : 0;
            } else {
                System.arraycopy(other.words, j, out, n, stride);
                j += stride;
            }
            n += stride;
        }
        return make(family, out, n);
    }

    /** A ∩ B (written A*B in the RFCs). */
    public SourceSet intersection(SourceSet other) {
        if (isEmpty() || other.isEmpty()) {
            return EMPTY;
        }
        int stride = sameStride(other);
        long[] out = new long[Math.min(words.length, other.words.length)];
        int i = 0;
        int j = 0;
        int n = 0;
        while (i < words.length && j < other.words.length) {
            int order = compare(words, i, other.words, j, stride);
            if (order < 0) {
                i += stride;
            } else if (order > 0) {
                j += stride;
            } else {
                System.arraycopy(words, i, out, n, stride);
                n += stride;
                i += stride;
                j += stride;
            }
        }
        return n == words.length ? this : make(family, out, n);
    }

    /** A - B: the members of this set that are not in {@code other}. */
    public SourceSet difference(SourceSet other) {
        if (isEmpty() || other.isEmpty()) {
            return this;
        }
        int stride = sameStride(other);
        long[] out = new long[words.length];
        int j = 0;
        int n = 0;
        for (int i = 0; i < words.length; i += stride) {
            while (j < other.words.length && compare(other.words, j, words, i, stride) < 0) {
                j += stride;
            }
            if (j == other.words.length || compare(other.words, j, words, i, stride) != 0) {
                System.arraycopy(words, i, out, n, stride);
                n += stride;
            }
        }
        return n == words.length ? this : make(family, out, n);
    }

    /** The first {@code count} members in address order (RFC 9776 §4.2.16 asks for the same subset each time). */
    public SourceSet first(int count) {
        if (count >= size()) {
            return this;
        }
        int length = count * stride(family);
        return make(family, Arrays.copyOf(words, length), length);
    }

    /** A read-only list view in ascending address order. */
    public List<IpAddress> asList() {
        return new SourceSetList(this);
    }

    /** The members as IPv4 addresses, for the IGMP codec; the set must be IPv4 (or empty). */
    public List<Ip4> ip4List() {
        requireFamily(IpFamily.IPV4);
        Ip4[] out = new Ip4[size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = new Ip4((int) words[i]);
        }
        return List.of(out);
    }

    /** The members as IPv6 addresses, for the MLD codec; the set must be IPv6 (or empty). */
    public List<Ip6> ip6List() {
        requireFamily(IpFamily.IPV6);
        Ip6[] out = new Ip6[size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = new Ip6(words[2 * i], words[2 * i + 1]);
        }
        return List.of(out);
    }

    private void requireFamily(IpFamily wanted) {
        if (family != null && family != wanted) {
            throw new IllegalStateException("an " + family + " source set where " + wanted + " was expected: " + this);
        }
    }

    @Override
    public Iterator<IpAddress> iterator() {
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < size();
            }

            @Override
            public IpAddress next() {
                if (next >= size()) {
                    throw new NoSuchElementException();
                }
                return get(next++);
            }
        };
    }

    private int indexOf(IpAddress source) {
        int stride = stride(family);
        long[] key = source instanceof Ip4 v4
                ? new long[] {v4.bits() & 0xffffffffL}
                : new long[] {((Ip6) source).high(), ((Ip6) source).low()};
        int low = 0;
        int high = size() - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            int order = compare(words, mid * stride, key, 0, stride);
            if (order < 0) {
                low = mid + 1;
            } else if (order > 0) {
                high = mid - 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    /** The stride both sets share; a set of the other family is a caller's bug (groups of one family have sources of it). */
    private int sameStride(SourceSet other) {
        if (other.family != family) {
            throw new IllegalArgumentException("cannot combine " + family + " and " + other.family + " source sets");
        }
        return stride(family);
    }

    private static int stride(IpFamily family) {
        return family == IpFamily.IPV6 ? 2 : 1;
    }

    private static int compare(long[] a, int i, long[] b, int j, int stride) {
        for (int k = 0; k < stride; k++) {
            int c = Long.compareUnsigned(a[i + k], b[j + k]);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static SourceSet make(IpFamily family, long[] sortedUnique, int length) {
        if (length == 0) {
            return EMPTY;
        }
        return new SourceSet(
                family, length == sortedUnique.length ? sortedUnique : Arrays.copyOf(sortedUnique, length));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SourceSet other && other.family == family && Arrays.equals(words, other.words);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(words);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("{");
        for (int i = 0; i < size(); i++) {
            s.append(i == 0 ? "" : ", ").append(get(i));
        }
        return s.append('}').toString();
    }

    /** The list view; remembers its set so that {@link SourceSet#of(Collection)} can skip the sort. */
    private static final class SourceSetList extends AbstractList<IpAddress> implements RandomAccess {
        private final SourceSet owner;

        SourceSetList(SourceSet owner) {
            this.owner = owner;
        }

        @Override
        public IpAddress get(int index) {
            return owner.get(index);
        }

        @Override
        public int size() {
            return owner.size();
        }
    }
}
